/**
 * Integration: LibreOffice opens the .xlsx without complaint and prints it as the form — the
 * department's text, the page-number footer and the header row on every page. Skipped without soffice.
 *
 * Then the built workbooks (`jxmb build`, PDF and xlsx) of the reference table and the 60-indicator
 * table printed by LibreOffice with the form's own CJK fonts (libreoffice-fonts.ts: the host's fonts
 * play no part): page for page the PDF's, and the 二级 dropdown's lists resolved by LibreOffice.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { INDICATOR_HEADER, LEVELS, type FormModel } from '../../scripts/model/form-model.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { renderXlsx } from '../../scripts/render/xlsx.ts';
import { writeZip } from '../../scripts/render/xlsx/zip.ts';
import { FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';
import { libreOfficeFontEnv } from './libreoffice-fonts.ts';
import { readZip } from './xlsx/read-zip.ts';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const ready = has('soffice') && has('pdftotext');

describe.skipIf(!ready)('LibreOffice reads the seed’s .xlsx', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-xlsx-lo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts to a PDF that shows the form', async () => {
    const model = checkFile('seed.yaml', readFileSync(SEED_YAML), { settings: DEFAULT_SETTINGS }).model!;
    const xlsx = path.join(dir, 'seed.xlsx');
    writeFileSync(xlsx, await renderXlsx(model, { settings: DEFAULT_SETTINGS }));
    // A private profile: parallel soffice runs (other tests, a user's open LibreOffice) do not collide.
    const profile = `file://${path.join(dir, 'profile')}`;
    const lo = spawnSync(
      'soffice',
      [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, xlsx],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(lo.status, lo.stderr).toBe(0);
    expect(lo.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    const pdf = path.join(dir, 'seed.pdf');
    expect(existsSync(pdf), lo.stdout + lo.stderr).toBe(true);

    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    const [w, h] = (/Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) ?? []).slice(1).map(Number);
    expect(Math.round(w!)).toBe(842); // A4 landscape
    expect(Math.round(h!)).toBe(595);

    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain(model.name);
    expect(text).toContain('服务企业满意度');
    expect(text).toContain('部门（单位）整体绩效目标表');
    expect(text).toContain('2025.12.14');
    const pageTexts = text.split('\f').filter((t) => t.trim() !== '');
    expect(pageTexts).toHaveLength(pages);
    // Spaces in extracted CJK text depend on the fonts LibreOffice found; compare without them.
    pageTexts.forEach((t, i) => {
      expect(t.replace(/\s+/g, ''), `page ${i + 1}`).toContain(`第${i + 1}页共${pages}页`);
      expect(t, `page ${i + 1}`).toContain('评（扣）分标准');
    });
  });
});

/** Runs soffice headless on `files` with a private profile and the given environment. */
function soffice(dir: string, env: NodeJS.ProcessEnv, convertTo: string, files: string[]): void {
  const profile = `file://${path.join(dir, 'profile')}`;
  const lo = spawnSync(
    'soffice',
    [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', convertTo, '--outdir', dir, ...files],
    { encoding: 'utf8', timeout: 180_000, env },
  );
  expect(lo.status, lo.stderr).toBe(0);
  expect(lo.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
}

/**
 * A PDF's pages as text, white space removed (CJK extraction spaces depend on the fonts): in reading
 * order (`-layout`), or as drawn (`-raw`: the lines of a wrapped cell one after the other, so a label
 * split over two lines reads whole).
 */
function pageTexts(pdf: string, mode: '-layout' | '-raw' = '-layout'): string[] {
  const text = spawnSync('pdftotext', [mode, pdf, '-'], { encoding: 'utf8' }).stdout;
  return text
    .split('\f')
    .filter((t) => t.trim() !== '')
    .map((t) => t.replace(/\s+/g, ''));
}

const pageCount = (pdf: string): number =>
  Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout)?.[1]);

/**
 * The 一级/二级 labels each page must repeat with （续）, from the page each indicator is printed on:
 * a page's first indicator continues its predecessor's 一级 (and 二级) run when they share it.
 */
function continuedLabels(model: FormModel, pageOf: readonly number[]): string[][] {
  const out: string[][] = [];
  model.rows.forEach((r, i) => {
    const prev = model.rows[i - 1];
    if (!prev || pageOf[i] === pageOf[i - 1]) return;
    const labels = (out[pageOf[i]!] ??= []);
    if (prev.level1 === r.level1) labels.push(`${r.level1}（续）`);
    if (prev.level1 === r.level1 && prev.level2 === r.level2) labels.push(`${r.level2}（续）`);
  });
  return out;
}

/** Tiny CSV reader for LibreOffice's export (comma, double quotes, quoted newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted || (ch !== ',' && ch !== '\n' && ch !== '\r')) cell += ch;
    else if (ch !== '\r') {
      row.push(cell);
      cell = '';
      if (ch === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

const ready2 = ready && has('pdfinfo');

describe.skipIf(!ready2)('the built workbook printed by LibreOffice is the PDF, page by page', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-xlsx-proof-'));
  const out = path.join(dir, 'out/2025');
  const print = path.join(dir, 'print');
  const forms = ['long-form', 'zhijiang-swkjgxj'] as const;
  const models = new Map<string, FormModel>();
  let env: NodeJS.ProcessEnv;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
    cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
    cpSync(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
    const long = path.join(FIXTURES, 'paginate-60-indicators/data/2025/long-form.yaml');
    cpSync(long, path.join(dir, 'data/2025/long-form.yaml'));
    const built = await runCli(['build', '--formats', 'pdf,xlsx'], dir);
    expect(built.code, built.out + built.err).toBe(0);
    for (const f of forms) {
      const file = path.join(dir, 'data/2025', `${f}.yaml`);
      models.set(f, checkFile(`${f}.yaml`, readFileSync(file), { settings: DEFAULT_SETTINGS }).model!);
    }
    env = libreOfficeFontEnv(path.join(dir, 'lo'));
    mkdirSync(print);
    soffice(
      print,
      env,
      'pdf',
      forms.map((f) => path.join(out, `${f}.xlsx`)),
    );
  }, 300_000);

  it('prints with the form’s CJK fonts, not boxes or a host font', () => {
    for (const f of forms) {
      const fonts = spawnSync('pdffonts', [path.join(print, `${f}.pdf`)], { encoding: 'utf8' }).stdout;
      const names = [...fonts.matchAll(/^\w{6}\+(\S+)/gm)].map((m) => m[1]);
      expect(new Set(names), f).toEqual(new Set(['NotoSerifSC-Regular', 'NotoSerifSC-Bold', 'NotoSansSC-Bold']));
    }
  });

  for (const f of forms) {
    it(`${f}: the PDF’s pages, each with its header, its （续） labels and its indicators`, () => {
      const model = models.get(f)!;
      const pdf = pageTexts(path.join(out, `${f}.pdf`));
      const xlsx = pageTexts(path.join(print, `${f}.pdf`));
      const [pdfRaw, xlsxRaw] = [
        pageTexts(path.join(out, `${f}.pdf`), '-raw'),
        pageTexts(path.join(print, `${f}.pdf`), '-raw'),
      ];
      expect(pageCount(path.join(print, `${f}.pdf`))).toBe(pageCount(path.join(out, `${f}.pdf`)));
      expect(xlsx).toHaveLength(pdf.length);
      if (f === 'zhijiang-swkjgxj') expect(xlsx).toHaveLength(2);
      else expect(xlsx.length).toBeGreaterThanOrEqual(4);
      // Each indicator on the page the PDF prints it on, found by its 三级指标 on that page or a later one
      // (indicators are in order; the reference table names 引进高中层次人才 twice).
      const pagesOf = (pages: string[]): number[] => {
        let from = 0;
        return model.rows.map((r) => {
          const k = pages.findIndex((p, j) => j >= from && p.includes(r.name));
          if (k >= 0) from = k;
          return k;
        });
      };
      const onPdf = pagesOf(pdfRaw);
      expect(onPdf.filter((p) => p < 0)).toEqual([]);
      expect(new Set(onPdf).size).toBe(pdf.length);
      expect(pagesOf(xlsxRaw)).toEqual(onPdf);
      // The header's words (指标类型 and 计量单位 wrap in their narrow columns: their text is split up).
      const header = INDICATOR_HEADER.filter((h) => !['指标类型', '计量单位'].includes(h));
      expect(header).toHaveLength(INDICATOR_HEADER.length - 2);
      const labels = continuedLabels(model, onPdf);
      xlsx.forEach((page, i) => {
        const at = `${f} page ${i + 1}`;
        expect(page, at).toContain(`第${i + 1}页共${xlsx.length}页`);
        // Every page of these forms holds indicator rows: each starts its part of the table with the header.
        for (const h of header) {
          expect(page, `${at}: ${h}`).toContain(h);
          expect(pdf[i], `${at}: ${h}`).toContain(h);
        }
        // The section label, and the runs carried over from the page before, marked as the PDF marks them.
        const want = [...(i > 0 ? ['绩效指标（续）'] : []), ...(labels[i] ?? [])];
        if (i > 0) expect(want.length, at).toBeGreaterThan(1);
        for (const l of want) {
          expect(xlsxRaw[i], `${at}: ${l}`).toContain(l);
          expect(pdfRaw[i], `${at}: ${l}`).toContain(l);
        }
        expect(xlsxRaw[i]!.split('（续）').length - 1, at).toBe(want.length);
      });
      // The review rows and the signature line together on the last page, and only there.
      for (const word of ['业务股室审核', '绩效股室审核', '填表人', '单位负责人签字']) {
        expect(
          xlsx.map((p) => p.includes(word)),
          word,
        ).toEqual(xlsx.map((_, i) => i === xlsx.length - 1));
      }
      expect(xlsx[xlsx.length - 1]).toContain(model.signoff.businessReview);
    });
  }

  it('the 二级 dropdown lists the 二级 of the run’s 一级 (named ranges resolved by LibreOffice)', () => {
    // A copy of the built workbook with, beside every run's top row, a formula joining the list its
    // 二级 validation offers: the validation's own formula, evaluated by LibreOffice.
    const zip = readZip(readFileSync(path.join(out, 'long-form.xlsx')));
    const sheet = zip.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    let xml = sheet.data.toString('utf8');
    const lists = [
      ...xml.matchAll(/<dataValidation type="list"[^>]*sqref="C(\d+)[^"]*"><formula1>(INDIRECT\(.*?)<\/formula1>/g),
    ];
    const model = models.get('long-form')!;
    // One per 一级 run per page: the 60-indicator table's four 一级, two of them cut by page breaks.
    expect(lists.length).toBeGreaterThan(Object.keys(LEVELS).length);
    for (const [, row, formula] of lists) {
      const cell = `<c r="L${row}" t="str"><f>_xlfn.TEXTJOIN("|",TRUE,${formula})</f></c>`;
      xml = xml.replace(new RegExp(`(<row r="${row}"[^>]*>.*?)(</row>)`), (_m, a: string, b: string) => a + cell + b);
    }
    const probe = path.join(dir, 'probe');
    mkdirSync(probe);
    const copy = path.join(probe, 'dropdowns.xlsx');
    const entries = zip.map((e) => ({ name: e.name, data: e.name === sheet.name ? xml : e.data }));
    writeFileSync(copy, writeZip(entries, { date: new Date(2025, 11, 10) }));
    soffice(probe, env, 'csv:Text - txt - csv (StarCalc):44,34,76', [copy]);
    const rows = parseCsv(readFileSync(path.join(probe, 'dropdowns.csv'), 'utf8'));
    const seen = new Set<string>();
    for (const [, row] of lists) {
      const r = rows[Number(row) - 1]!;
      const level1 = r[1]!.replace(/（续）$/, '');
      seen.add(level1);
      expect(Object.keys(LEVELS), `B${row}`).toContain(level1);
      expect(r[11], `L${row}`).toBe(LEVELS[level1 as keyof typeof LEVELS].join('|'));
    }
    expect(seen).toEqual(new Set(model.rows.map((r) => r.level1)));
  });
});
