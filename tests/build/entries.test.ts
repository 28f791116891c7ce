/** Sidecars (out/<year>/<code>.entry.json): round trip, canonical bytes, what a bad one says. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseSidecar,
  readEntrySidecars,
  sidecarPath,
  writeEntrySidecar,
  writeIndexAndManifest,
} from '../../scripts/build/entries.ts';
import { manifestJson } from '../../scripts/build/manifest.ts';
import { readBoard } from '../../scripts/render/index-page.ts';
import type { IndexEntry } from '../../scripts/render/outputs.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'jxmb-entries-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ENTRY: IndexEntry = {
  fiscalYear: 2025,
  code: 'zhijiang-swkjgxj',
  name: '芷江侗族自治县商务科技和工业和信息化局',
  source: 'data/2025/zhijiang-swkjgxj.yaml',
  indicators: 18,
  pointsSum: 90,
  warnings: 3,
  outputs: { xlsx: '2025/zhijiang-swkjgxj.xlsx', pdf: '2025/zhijiang-swkjgxj.pdf' },
};

describe('entry sidecars', () => {
  it('reads a year of more sidecars than it reads at once: every one, in order, a bad one named', async () => {
    const out = path.join(tmp, 'many');
    const codes = Array.from({ length: 150 }, (_, i) => `d${String(i).padStart(3, '0')}`);
    for (const code of codes)
      await writeEntrySidecar(out, { ...ENTRY, code, source: `data/2025/${code}.yaml`, outputs: {} });
    writeFileSync(sidecarPath(out, 2025, 'd070'), '{');
    const { entries, problems } = await readEntrySidecars(out);
    expect(entries.map((e) => e.code)).toEqual(codes.filter((c) => c !== 'd070'));
    expect(problems.map((p) => p.file)).toEqual(['2025/d070.entry.json']);
  });

  it('round trip; the links follow the files present', async () => {
    const out = path.join(tmp, 'rt');
    await writeEntrySidecar(out, ENTRY);
    expect(sidecarPath(out, 2025, ENTRY.code)).toBe(path.join(out, '2025/zhijiang-swkjgxj.entry.json'));
    writeFileSync(path.join(out, '2025/zhijiang-swkjgxj.pdf'), 'x');
    writeFileSync(path.join(out, '2025/zhijiang-swkjgxj.html'), 'x');
    const { entries, problems } = await readEntrySidecars(out);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { ...ENTRY, outputs: { pdf: '2025/zhijiang-swkjgxj.pdf', html: '2025/zhijiang-swkjgxj.html' } },
    ]);
  });

  it('round trip of a board row: errors, diagnostics, dates, pages, a failed render; the diff beside it', async () => {
    const out = path.join(tmp, 'board');
    const entry: IndexEntry = {
      ...ENTRY,
      outputs: {},
      errors: 2,
      failed: 'Chromium 超时',
      diagnostics: [
        { severity: 'error', code: 'YAML_SYNTAX', line: 30, col: 4, message: '缩进' },
        { severity: 'warning', code: 'DEADLINE_BEFORE_YEAR', line: 104, col: 12, message: '时限' },
      ],
      filed: '2025-12-08',
      reviewed: '2025-12-14',
      pages: 3,
    };
    await writeEntrySidecar(out, entry);
    writeFileSync(path.join(out, '2025/zhijiang-swkjgxj.diff.html'), 'diff');
    const { entries, problems } = await readEntrySidecars(out);
    // A diff page is not an output without a sidecar.
    expect(problems).toEqual([]);
    expect(entries).toEqual([{ ...entry, diff: '2025/zhijiang-swkjgxj.diff.html' }]);
    for (const [field, value] of [
      ['filed', '2025/12/08'],
      ['pages', 1.5],
      ['diagnostics', [{ severity: 'fatal', code: 'X', line: 1, col: 1, message: '' }]],
    ] as const) {
      const doc = { kind: 'jxmb/index-entry', version: 1, entry: { ...entry, [field]: value } };
      expect(parseSidecar(JSON.stringify(doc))).toMatch(new RegExp(`字段 ${field}`));
    }
  });

  it('same entry, same bytes, whatever the key order', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    await writeEntrySidecar(a, ENTRY);
    const shuffled = Object.fromEntries(
      Object.entries({ ...ENTRY, outputs: { pdf: ENTRY.outputs.pdf, xlsx: ENTRY.outputs.xlsx } }).reverse(),
    ) as unknown as IndexEntry;
    await writeEntrySidecar(b, shuffled);
    expect(readFileSync(sidecarPath(a, 2025, ENTRY.code), 'utf8')).toBe(
      readFileSync(sidecarPath(b, 2025, ENTRY.code), 'utf8'),
    );
  });

  it.each([
    ['[]', /kind/],
    ['{"kind":"jxmb/index-entry","version":2,"entry":{}}', /版本 2/],
    ['{"kind":"jxmb/index-entry","version":1,"entry":{"fiscalYear":2025}}', /code/],
    [
      '{"kind":"jxmb/index-entry","version":1,"entry":{"fiscalYear":2025,"code":"Bad Code","name":"x",' +
        '"source":"s","indicators":1,"pointsSum":1,"warnings":0}}',
      /code/,
    ],
    [
      '{"kind":"jxmb/index-entry","version":1,"entry":{"fiscalYear":2025,"code":"a","name":"x",' +
        '"source":"s","indicators":1,"pointsSum":"90","warnings":0}}',
      /pointsSum/,
    ],
  ])('rejects %s', (text, why) => {
    const r = parseSidecar(text);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
  });

  it('writeIndexAndManifest writes both files; the manifest is stable JSON', async () => {
    const out = path.join(tmp, 'w');
    await writeEntrySidecar(out, ENTRY);
    writeFileSync(path.join(out, '2025/zhijiang-swkjgxj.pdf'), 'pdf bytes');
    const { entries } = await readEntrySidecars(out);
    const w = await writeIndexAndManifest(out, entries, { pointsTotal: 90 });
    expect(readBoard(readFileSync(w.indexFile, 'utf8')).rows.map((r) => [r.code, r.files])).toEqual([[ENTRY.code, 1]]);
    expect(readFileSync(w.manifestFile, 'utf8')).toBe(manifestJson(w.manifest));
    expect(w.manifest.files).toEqual([
      {
        path: '2025/zhijiang-swkjgxj.pdf',
        source: ENTRY.source,
        fiscalYear: 2025,
        code: ENTRY.code,
        format: 'pdf',
        size: 9,
        sha256: createHash('sha256').update('pdf bytes').digest('hex'),
      },
    ]);
    expect(w.manifest.commit).toBeUndefined();
  });
});
