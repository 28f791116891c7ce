/** 对比上年 pages: written beside the forms from the diff's HTML renderer, incremental, removed without a pair. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDiffPages } from '../../scripts/build/diff-pages.ts';
import { planBuild } from '../../scripts/build/plan.ts';
import { targetsForm } from '../../scripts/forms/targets.ts';
import { ROOT } from '../helpers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-diff-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODE = 'zhijiang-swkjgxj';
const src = (year: number): string => path.join(ROOT, `data/${year}/${CODE}.yaml`);

async function run() {
  const opts = {
    kind: targetsForm,
    cwd: dir,
    root: dir,
    dataDir: path.join(dir, 'data'),
    outDir: path.join(dir, 'out'),
  };
  const plan = await planBuild({ ...opts, paths: [] });
  return writeDiffPages(targetsForm, plan.documents, {
    ...opts,
    settings: plan.settings.settings,
    settingsText: plan.settings.text,
  });
}

describe('diff pages beside the forms', () => {
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  mkdirSync(path.join(dir, 'data/2026'), { recursive: true });
  cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  cpSync(src(2025), path.join(dir, `data/2025/${CODE}.yaml`));
  cpSync(src(2026), path.join(dir, `data/2026/${CODE}.yaml`));
  const page = path.join(dir, `out/2026/${CODE}.diff.html`);

  it('compares each table with the year before; the first year has none', async () => {
    const r = await run();
    expect(r.written).toEqual([page]);
    expect(existsSync(path.join(dir, `out/2025/${CODE}.diff.html`))).toBe(false);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('2025');
    // The 2026 table changes 填报日期 and a value: marked as deleted and inserted in place.
    expect(html).toMatch(/<del>[^<]+<\/del><ins>[^<]+<\/ins>/);
    expect(html).toMatch(/<!-- jxmb-diff-key: [0-9a-f]{64} -->\n$/);
  });

  it('leaves an unchanged pair alone, and compares a changed one again', async () => {
    const before = readFileSync(page, 'utf8');
    expect(await run()).toEqual({ written: [], fresh: 1, removed: [] });
    const file = path.join(dir, `data/2026/${CODE}.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/preparer: (.+)/, 'preparer: 张三'));
    const r = await run();
    expect(r.written).toEqual([page]);
    const after = readFileSync(page, 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain('<ins>张三</ins>');
  });

  it('removes the page when the year before is gone', async () => {
    rmSync(path.join(dir, 'data/2025'), { recursive: true });
    expect(await run()).toEqual({ written: [], fresh: 0, removed: [page] });
    expect(existsSync(page)).toBe(false);
  });
});
