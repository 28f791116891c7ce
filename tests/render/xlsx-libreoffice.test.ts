/**
 * Integration: LibreOffice opens the .xlsx without complaint and prints it as the form — the
 * department's text, the page-number footer and the header row on every page. Skipped without soffice.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { renderXlsx } from '../../scripts/render/xlsx.ts';
import { SEED_YAML } from '../helpers.ts';

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
