/**
 * A strict reader for the zips the xlsx writer makes (tests only): walks the end record, the central
 * directory and every local header, and throws on anything inconsistent between them (sizes, CRC,
 * names, flags, dates, offsets) rather than trusting one copy. The CRC is the table implementation,
 * which zip.test.ts checks against the standard check value and zlib's.
 */
import { inflateRawSync } from 'node:zlib';
import { crc32Table } from '../../../scripts/render/xlsx/zip.ts';

export interface ReadEntry {
  name: string;
  method: number;
  flags: number;
  dosTime: number;
  dosDate: number;
  crc: number;
  compressedSize: number;
  data: Buffer;
}

export function readZip(zip: Uint8Array): ReadEntry[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22; // no archive comment
  const fail = (what: string): never => {
    throw new Error(`zip: ${what}`);
  };
  if (v.getUint32(eocd, true) !== 0x06054b50) fail('no end record at the end');
  const count = v.getUint16(eocd + 10, true);
  if (v.getUint16(eocd + 8, true) !== count) fail('entry counts differ');
  const cdSize = v.getUint32(eocd + 12, true);
  const cdStart = v.getUint32(eocd + 16, true);
  if (cdStart + cdSize !== eocd) fail('central directory does not end at the end record');
  const out: ReadEntry[] = [];
  let p = cdStart;
  let expectLocal = 0;
  for (let i = 0; i < count; i++) {
    if (v.getUint32(p, true) !== 0x02014b50) fail(`central record ${i} signature`);
    const nameLen = v.getUint16(p + 28, true);
    const name = Buffer.from(zip.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    const local = v.getUint32(p + 42, true);
    if (local !== expectLocal) fail(`${name}: local header not right after the previous entry`);
    if (v.getUint32(local, true) !== 0x04034b50) fail(`${name}: local header signature`);
    // Fields the local header repeats must agree with the central directory.
    for (const [l, c, size] of [
      [6, 8, 2],
      [8, 10, 2],
      [10, 12, 2],
      [12, 14, 2],
      [14, 16, 4],
      [18, 20, 4],
      [22, 24, 4],
      [26, 28, 2],
    ] as const) {
      const a = size === 2 ? v.getUint16(local + l, true) : v.getUint32(local + l, true);
      const b = size === 2 ? v.getUint16(p + c, true) : v.getUint32(p + c, true);
      if (a !== b) fail(`${name}: local/central field at ${l} differs (${a} vs ${b})`);
    }
    const localName = Buffer.from(zip.subarray(local + 30, local + 30 + nameLen)).toString('utf8');
    if (localName !== name) fail(`${name}: local name ${localName}`);
    const start = local + 30 + nameLen + v.getUint16(local + 28, true);
    const compressedSize = v.getUint32(p + 20, true);
    const method = v.getUint16(p + 10, true);
    const body = zip.subarray(start, start + compressedSize);
    const data =
      method === 8 ? inflateRawSync(body) : method === 0 ? Buffer.from(body) : fail(`${name}: method ${method}`);
    if (data.length !== v.getUint32(p + 24, true)) fail(`${name}: uncompressed size`);
    const crc = v.getUint32(p + 16, true);
    if (crc32Table(data) !== crc) fail(`${name}: CRC`);
    out.push({
      name,
      method,
      flags: v.getUint16(p + 8, true),
      dosTime: v.getUint16(p + 12, true),
      dosDate: v.getUint16(p + 14, true),
      crc,
      compressedSize,
      data,
    });
    expectLocal = start + compressedSize;
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  if (expectLocal !== cdStart) fail('bytes between the last entry and the central directory');
  return out;
}

/** One entry's text. */
export function zipText(zip: Uint8Array, name: string): string {
  const e = readZip(zip).find((x) => x.name === name);
  if (!e) throw new Error(`${name} not in zip`);
  return e.data.toString('utf8');
}
