/**
 * Issue 13's proof, the part that needs LibreOffice: the old-Excel layout fixture (.xls, converted by
 * soffice as `jxmb import` does) checked field by field like the others (layouts.test.ts), and the whole
 * fixture folder through the command — `jxmb import DIR --year 2025 --dry-run --format json` — counting
 * its files and forms and writing nothing. Skipped without soffice.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.ts';
import { expectations, LAYOUTS, layoutSuite } from './_layouts.ts';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const all = expectations();

/** Every file under a folder with a hash of its bytes. */
const tree = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .sort()
      .map((p) => [path.relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex')]),
  );

describe.skipIf(!has('soffice'))('layout fixtures LibreOffice reads', () => {
  for (const e of all.filter((x) => /\.xls$/i.test(x.file))) layoutSuite(e);

  describe('jxmb import <the fixture folder> --year 2025 --dry-run --format json', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'jxmb-layouts-cli-'));
    afterAll(() => rmSync(cwd, { recursive: true, force: true }));

    it('reads every file and form, and writes nothing', async () => {
      const before = { cwd: tree(cwd), fixtures: tree(LAYOUTS) };
      const r = await runCli(['import', LAYOUTS, '--year', '2025', '--dry-run', '--format', 'json'], cwd);
      expect(r.out + r.err).not.toMatch(/internal error|内部错误|\n\s+at /);
      const report = JSON.parse(r.out) as {
        dryRun: boolean;
        files: Array<{ source: string; forms: Array<{ department: string; written: boolean }> }>;
        totals: { files: number; forms: number; written: number; failed: number };
      };
      expect(report.dryRun).toBe(true);
      const tables = readdirSync(LAYOUTS).filter((f) => !/\.(?:ts|json)$/.test(f));
      expect(tables).toHaveLength(all.length);
      expect(report.totals.files).toBe(all.length);
      expect(report.totals.failed).toBe(0);
      // Each file's forms, by department, as its expectation has them.
      const byFile = Object.fromEntries(
        report.files.map((f) => [path.basename(f.source), f.forms.map((x) => x.department)]),
      );
      // Soft: a wrong count is reported, and that nothing was written is still checked.
      expect.soft(byFile).toEqual(Object.fromEntries(all.map((e) => [e.file, e.forms.map((f) => f.department.name)])));
      expect.soft(report.totals.forms).toBe(all.reduce((n, e) => n + e.forms.length, 0));
      expect(report.totals.written).toBe(0);
      expect(report.files.flatMap((f) => f.forms).every((f) => !f.written)).toBe(true);
      expect({ cwd: tree(cwd), fixtures: tree(LAYOUTS) }).toEqual(before);
    }, 180_000);
  });
});
