/**
 * Integration with LibreOffice: old .xls and .doc files read through its converter, and the HTML and .docx
 * LibreOffice itself writes. The inputs are made here: the reference table as an .xlsx in the official
 * layout (exceljs, merged cells) saved by LibreOffice as .xls and as HTML, and as a Word document (built
 * part by part) saved as .doc; LibreOffice's HTML opened in Writer and saved as .docx. Each is imported and
 * compared with the reference text field by field; the .xls grid with the .xlsx's cell by cell.
 * Skipped only where soffice is absent and this is not CI (CI installs it: scripts/setup/test-tools.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRef, type Grid } from '../../scripts/import/grid.ts';
import { importFile } from '../../scripts/import/import-form.ts';
import { readXlsx } from '../../scripts/import/read-xlsx.ts';
import { findSoffice, officeConverter } from '../../scripts/io/office-convert.ts';
import { seedText } from '../helpers.ts';
import { docx, documentXml, seedMerged } from './_containers.ts';
import { officialXlsx } from './_exports.ts';

const soffice = findSoffice();
const opts = { pointsTotal: 90, convert: officeConverter() };
const cells = (g: Grid): string[][] =>
  g.rows.map((r) => r.map((c) => `${describeRef(c.ref)}=${c.text}`)).filter((r) => r.length);

describe.skipIf(!soffice && !process.env.CI)('old formats through LibreOffice, and what LibreOffice writes', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-containers-lo-'));
  const file = (name: string): Uint8Array => readFileSync(path.join(dir, name));
  let seed: unknown;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    expect(soffice, 'CI must have LibreOffice (scripts/setup/test-tools.js installs it)').toBeDefined();
    seed = (await importFile(new TextEncoder().encode(seedText()), opts)).forms[0]!.parsed!.data;
    writeFileSync(path.join(dir, 'official.xlsx'), await officialXlsx(seedText()));
    writeFileSync(path.join(dir, 'seed.docx'), docx(documentXml(seedMerged())));
    // The test's own conversions, with a private profile (parallel runs do not collide).
    const lo = (to: string, out: string, inputs: string[]): void => {
      const profile = `-env:UserInstallation=file://${path.join(dir, 'profile')}`;
      const args = [profile, '--headless', '--convert-to', to, '--outdir', path.join(dir, out), ...inputs];
      const r = spawnSync(soffice!, args, { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
    };
    lo('xls', 'xls', [path.join(dir, 'official.xlsx')]);
    lo('ods', 'ods', [path.join(dir, 'official.xlsx')]);
    lo('odt', 'odt', [path.join(dir, 'seed.docx')]);
    lo('html', 'html', [path.join(dir, 'official.xlsx')]);
    lo('doc:MS Word 97', 'doc', [path.join(dir, 'seed.docx')]);
    lo('docx:MS Word 2007 XML', 'docx', [path.join(dir, 'html', 'official.html')]);
  }, 240_000);

  it('.xls (LibreOffice’s converter): every cell where the .xlsx has it, merges included; the same data', async () => {
    const r = await importFile(file('xls/official.xls'), opts);
    expect(r.kind).toBe('xls');
    expect(r.sheets).toEqual(['Sheet1']);
    expect(r.forms).toHaveLength(1);
    const xlsx = (await readXlsx(file('official.xlsx'))).sheets[0]!;
    expect(cells(r.forms[0]!.grid!)).toEqual(cells(xlsx));
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(seed);
  });

  it('.xls without a converter: one line saying to install LibreOffice or save as .xlsx', async () => {
    const r = await importFile(file('xls/official.xls'), { pointsTotal: 90 });
    expect(r.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'xls']]);
  });

  it('OpenDocument (.ods, .odt) through LibreOffice: the same data; without it, a line saying so', async () => {
    const ods = await importFile(file('ods/official.ods'), opts);
    expect(ods.kind).toBe('ods');
    expect(ods.forms[0]!.diagnostics).toEqual([]);
    expect(ods.forms[0]!.parsed!.data).toEqual(seed);
    const odt = await importFile(file('odt/seed.odt'), opts);
    expect(odt.kind).toBe('odt');
    expect(odt.forms[0]!.parsed!.data).toEqual(seed);
    const bare = await importFile(file('ods/official.ods'), { pointsTotal: 90 });
    expect(bare.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'ods']]);
  });

  it('.doc (LibreOffice’s converter): the same data, positions in its tables', async () => {
    const r = await importFile(file('doc/seed.doc'), opts);
    expect(r.kind).toBe('doc');
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(seed);
    const at = (p: string): string | undefined => {
      const src = r.forms[0]!.parsed!.sources.find((s) => s.path.join('/') === p);
      return src && describeRef(src.ref);
    };
    expect(at('department/name')).toBe('表1 第1行第2列');
    expect(at('indicators/0/name')).toBe('表1 第5行第4列');
  });

  it('the HTML LibreOffice Calc writes (its merges as colspan/rowspan): the same data', async () => {
    const r = await importFile(file('html/official.html'), opts);
    expect(r.kind).toBe('html');
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(seed);
  });

  it('the .docx LibreOffice Writer writes from that page (Word’s gridSpan and vMerge): the same data', async () => {
    const r = await importFile(file('docx/official.docx'), opts);
    expect(r.kind).toBe('docx');
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(seed);
  });
});
