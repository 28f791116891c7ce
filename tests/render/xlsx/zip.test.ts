/**
 * The zip writer: every entry comes back intact through a strict reader (and through Info-ZIP's
 * `unzip -t` where installed), dates are the given date, names are UTF-8, bytes are deterministic.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  crc32,
  crc32Table,
  dosDateTime,
  normalizeZipDates,
  writeZip,
  type ZipEntry,
} from '../../../scripts/render/xlsx/zip.ts';
import { readZip } from './read-zip.ts';

const DATE = new Date('2025-12-08T00:00:00Z');
// Compressible text, a tiny part (stored: deflate would not shrink it), binary noise, a non-ASCII name.
const noise = Buffer.concat(Array.from({ length: 128 }, (_, i) => createHash('sha256').update(String(i)).digest()));
const ENTRIES: ZipEntry[] = [
  { name: '[Content_Types].xml', data: '<Types>'.padEnd(3000, '<x/>') + '</Types>' },
  { name: 'a', data: 'x' },
  { name: 'bin/noise', data: noise },
  { name: '部门/目标表.xml', data: '部门（单位）整体绩效目标表'.repeat(50) },
  { name: 'empty', data: '' },
];

describe('writeZip', () => {
  const zip = writeZip(ENTRIES, { date: DATE });
  const read = readZip(zip);

  it('every entry reads back byte for byte, in order', () => {
    expect(read.map((e) => e.name)).toEqual(ENTRIES.map((e) => e.name));
    read.forEach((e, i) => {
      const want = ENTRIES[i]!.data;
      expect(e.data.equals(Buffer.from(typeof want === 'string' ? Buffer.from(want, 'utf8') : want)), e.name).toBe(
        true,
      );
    });
  });

  it('deflates what shrinks and stores what does not', () => {
    const method = Object.fromEntries(read.map((e) => [e.name, e.method]));
    expect(method['[Content_Types].xml']).toBe(8);
    expect(method['部门/目标表.xml']).toBe(8);
    expect(method.a).toBe(0);
    expect(method['bin/noise']).toBe(0);
    expect(method.empty).toBe(0);
    for (const e of read) expect(e.compressedSize, e.name).toBeLessThanOrEqual(e.data.length);
  });

  it('level 0 stores everything', () => {
    expect(readZip(writeZip(ENTRIES, { date: DATE, level: 0 })).map((e) => e.method)).toEqual([0, 0, 0, 0, 0]);
  });

  it('names are flagged UTF-8; every entry has the given date', () => {
    for (const e of read) {
      expect(e.flags, e.name).toBe(0x0800);
      expect([(e.dosDate >> 9) + 1980, (e.dosDate >> 5) & 15, e.dosDate & 31, e.dosTime], e.name).toEqual([
        2025, 12, 8, 0,
      ]);
    }
  });

  it('same entries and date → same bytes; another date → other bytes', async () => {
    expect(Buffer.from(writeZip(ENTRIES, { date: DATE })).equals(Buffer.from(zip))).toBe(true);
    expect(Buffer.from(writeZip(ENTRIES, { date: new Date('2025-12-09T00:00:00Z') })).equals(Buffer.from(zip))).toBe(
      false,
    );
  });

  it('an empty archive is just the end record', () => {
    const empty = writeZip([], { date: DATE });
    expect(empty).toHaveLength(22);
    expect(readZip(empty)).toEqual([]);
  });

  const hasUnzip = spawnSync('sh', ['-c', 'command -v unzip']).status === 0;
  it.skipIf(!hasUnzip)('Info-ZIP unzip tests it clean and lists the UTF-8 names', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-zip-'));
    try {
      const file = path.join(dir, 't.zip');
      writeFileSync(file, zip);
      const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
      expect(t.status, t.stdout + t.stderr).toBe(0);
      expect(t.stdout).toContain('No errors detected');
      const z = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
      expect(z.stdout.trim().split('\n')).toEqual(ENTRIES.map((e) => e.name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('crc32', () => {
  it('the table implementation gives the standard check value', () => {
    expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Table(new Uint8Array())).toBe(0);
  });

  it.skipIf(typeof (zlib as { crc32?: unknown }).crc32 !== 'function')('matches zlib’s on text and noise', () => {
    const z = (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32;
    for (const d of [noise, Buffer.from('部门（单位）整体绩效目标表'), new Uint8Array(1)]) {
      expect(crc32Table(d)).toBe(z(d));
      expect(crc32(d)).toBe(z(d));
    }
  });
});

describe('dosDateTime', () => {
  it('packs the UTC calendar fields (seconds in 2 s steps)', () => {
    const { date, time } = dosDateTime(new Date('2031-02-03T04:05:07Z'));
    expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31]).toEqual([2031, 2, 3]);
    expect([time >> 11, (time >> 5) & 63, (time & 31) * 2]).toEqual([4, 5, 6]);
  });

  it('dates before 1980 (or invalid) become 1980-01-01 00:00', () => {
    for (const d of [new Date('1975-06-01T00:00:00Z'), new Date(Number.NaN)])
      expect(dosDateTime(d)).toEqual({ date: (1 << 5) | 1, time: 0 });
  });
});

describe('normalizeZipDates', () => {
  it('turns a zip stamped at another time into the one written with the date', () => {
    const other = writeZip(ENTRIES, { date: new Date('2039-07-08T09:10:12Z') });
    expect(Buffer.from(normalizeZipDates(other, DATE)).equals(Buffer.from(writeZip(ENTRIES, { date: DATE })))).toBe(
      true,
    );
  });

  it('leaves its input untouched', () => {
    const other = writeZip(ENTRIES, { date: new Date('2039-07-08T09:10:12Z') });
    const copy = Uint8Array.from(other);
    normalizeZipDates(other, DATE);
    expect(Buffer.from(other).equals(Buffer.from(copy))).toBe(true);
  });

  it('rejects what is not a zip, or a damaged one', () => {
    expect(() => normalizeZipDates(new Uint8Array(64), DATE)).toThrow(/zip/);
    const broken = writeZip(ENTRIES, { date: DATE });
    const v = new DataView(broken.buffer);
    // central directory offset off by one
    v.setUint32(broken.length - 6, v.getUint32(broken.length - 6, true) + 1, true);
    expect(() => normalizeZipDates(broken, DATE)).toThrow(/zip/);
  });
});
