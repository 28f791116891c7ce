/**
 * Integration: files a real spreadsheet program wrote. LibreOffice opens jxmb's .xlsx and saves it again
 * as .xlsx (its own shared strings, styles and merges), exports it as tab-separated text (every text cell
 * quoted), and saves a legacy .xls; importing each gives the data back, or a clear diagnostic for the .xls.
 * Skipped without soffice.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { importForm } from '../../scripts/import/import-form.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { renderXlsx } from '../../scripts/render/xlsx.ts';
import { FIXTURES, SEED_YAML } from '../helpers.ts';
import { normalise } from './_exports.ts';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const sources = { seed: SEED_YAML, 'all-kinds': path.join(FIXTURES, 'import-round-trip/2025/all-kinds.yaml') };

describe.skipIf(!has('soffice'))('importing what LibreOffice wrote', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-import-lo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    for (const [name, file] of Object.entries(sources)) {
      const model = checkFile(file, readFileSync(file), { settings: DEFAULT_SETTINGS }).model!;
      writeFileSync(path.join(dir, `${name}.xlsx`), await renderXlsx(model, { settings: DEFAULT_SETTINGS }));
    }
    // A private profile: parallel soffice runs (other tests, a user's open LibreOffice) do not collide.
    const profile = `file://${path.join(dir, 'profile')}`;
    const xlsx = Object.keys(sources).map((n) => path.join(dir, `${n}.xlsx`));
    for (const [to, out] of [
      ['xlsx', 'resaved'],
      ['txt:Text - txt - csv (StarCalc):9,34,76,1', 'text'],
      ['xls', 'legacy'],
    ] as const) {
      const lo = spawnSync(
        'soffice',
        [
          `-env:UserInstallation=${profile}`,
          '--headless',
          '--convert-to',
          to,
          '--outdir',
          path.join(dir, out),
          ...xlsx,
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(lo.status, lo.stderr).toBe(0);
    }
  }, 180_000);

  for (const [name, file] of Object.entries(sources)) {
    const original = (): ReturnType<typeof normalise> =>
      normalise(checkFile(file, readFileSync(file), { settings: DEFAULT_SETTINGS }).data!);
    const reimport = async (bytes: Uint8Array) => {
      const r = await importForm(bytes, { pointsTotal: 90 });
      expect(r.diagnostics.filter((d) => d.code !== 'IMPORT_POINTS_INFERRED')).toEqual([]);
      const data = r.parsed!.data;
      data.fiscal_year = r.parsed!.titleYear!;
      data.department.code = original().department.code;
      return data;
    };
    it(`${name}: re-saved by LibreOffice as .xlsx`, async () => {
      expect(await reimport(readFileSync(path.join(dir, 'resaved', `${name}.xlsx`)))).toEqual(original());
    });
    it(`${name}: exported by LibreOffice as tab-separated text`, async () => {
      expect(await reimport(readFileSync(path.join(dir, 'text', `${name}.txt`)))).toEqual(original());
    });
    it(`${name}: saved as legacy .xls → IMPORT_UNREADABLE (xls)`, async () => {
      const r = await importForm(readFileSync(path.join(dir, 'legacy', `${name}.xls`)), { pointsTotal: 90 });
      expect(r.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'xls']]);
    });
  }
});
