/**
 * Incremental builds: unchanged outputs are not rendered again (and no browser starts), a changed
 * department re-renders alone, a template or settings change re-renders everything, --force renders
 * everything, a deleted source loses its outputs and index entry; --shard splits deterministically.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBuild, runBuild, shardOf, type BuildOptions } from '../../scripts/build/pipeline.ts';
import { FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';
import { targetsForm } from '../../scripts/forms/targets.ts';

let base: string;
beforeAll(() => void (base = mkdtempSync(path.join(os.tmpdir(), 'jxmb-incr-'))));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function project(name: string): string {
  const dir = path.join(base, name);
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  cpSync(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
  cpSync(
    path.join(FIXTURES, 'paginate-60-indicators/data/2025/long-form.yaml'),
    path.join(dir, 'data/2025/long-form.yaml'),
  );
  return dir;
}

const mtimes = (dir: string, files: string[]): Record<string, number> =>
  Object.fromEntries(files.map((f) => [f, statSync(path.join(dir, 'out', f)).mtimeMs]));
const OUTPUTS = [
  '2025/zhijiang-swkjgxj.pdf',
  '2025/zhijiang-swkjgxj.html',
  '2025/zhijiang-swkjgxj.xlsx',
  '2025/long-form.pdf',
  '2025/long-form.html',
  '2025/long-form.xlsx',
];

function options(dir: string, extra: Partial<BuildOptions> = {}): BuildOptions {
  return {
    kind: targetsForm,
    cwd: dir,
    root: dir,
    dataDir: path.join(dir, 'data'),
    outDir: path.join(dir, 'out'),
    formats: ['pdf', 'html', 'xlsx'],
    paths: [],
    jobs: 2,
    failFast: false,
    ...extra,
  };
}

describe('incremental builds', () => {
  let dir: string;
  beforeAll(async () => {
    dir = project('incr');
    expect((await runCli(['build'], dir)).code).toBe(0);
  });

  it('a rebuild with nothing changed renders nothing and starts no browser', async () => {
    const before = mtimes(dir, [...OUTPUTS, 'index.html', 'manifest.json']);
    const opts = options(dir);
    const plan = await planBuild(opts);
    expect(plan.documents.map((d) => d.todo)).toEqual([[], []]);
    const result = await runBuild(plan, opts);
    expect(result.launches).toBe(0);
    expect(result.results).toEqual([]);
    expect(result.upToDate).toHaveLength(2);
    expect(mtimes(dir, [...OUTPUTS, 'index.html', 'manifest.json'])).toEqual(before);
  });

  it('the CLI says so', async () => {
    const r = await runCli(['build', '--lang', 'en'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('built 0 of 2 tables (2 departments, 1 year; 0 files) into out/, 2 up to date');
  });

  it('a comment-only edit of the YAML re-renders nothing (the key is the form, not the text)', async () => {
    const file = path.join(dir, 'data/2025/long-form.yaml');
    writeFileSync(file, readFileSync(file, 'utf8') + '# a comment\n');
    const plan = await planBuild(options(dir));
    expect(plan.documents.map((d) => d.todo)).toEqual([[], []]);
  });

  it('one file changed: only that department is rendered, and the index and manifest follow', async () => {
    const before = mtimes(dir, OUTPUTS);
    const manifestBefore = readFileSync(path.join(dir, 'out/manifest.json'), 'utf8');
    const file = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('value: 1000\n', 'value: 1200\n'));
    const r = await runCli(['build'], dir);
    expect(r.code).toBe(0);
    const after = mtimes(dir, OUTPUTS);
    for (const f of OUTPUTS) {
      if (f.includes('zhijiang')) expect(after[f], f).toBeGreaterThan(before[f]!);
      else expect(after[f], f).toBe(before[f]);
    }
    expect(readFileSync(path.join(dir, 'out/2025/zhijiang-swkjgxj.html'), 'utf8')).toContain('1200');
    const manifest = readFileSync(path.join(dir, 'out/manifest.json'), 'utf8');
    expect(manifest).not.toBe(manifestBefore);
    const { createHash } = await import('node:crypto');
    for (const f of (JSON.parse(manifest) as { files: { path: string; sha256: string }[] }).files) {
      expect(
        createHash('sha256')
          .update(readFileSync(path.join(dir, 'out', f.path)))
          .digest('hex'),
        f.path,
      ).toBe(f.sha256);
    }
  });

  it('an output deleted by hand is rendered again', async () => {
    rmSync(path.join(dir, 'out/2025/long-form.xlsx'));
    const plan = await planBuild(options(dir));
    expect(plan.documents.map((d) => [d.model.code, d.todo])).toEqual([
      ['long-form', ['xlsx']],
      ['zhijiang-swkjgxj', []],
    ]);
  });

  it('a settings change re-renders everything', async () => {
    const plan = await planBuild(options(dir));
    await runBuild(plan, options(dir));
    writeFileSync(
      path.join(dir, 'jxmb.settings.yaml'),
      readFileSync(path.join(dir, 'jxmb.settings.yaml'), 'utf8').replace(
        'date_format: YYYY.M.D',
        'date_format: YYYY年M月D日',
      ),
    );
    const again = await planBuild(options(dir));
    expect(again.documents.map((d) => d.todo)).toEqual([
      ['pdf', 'html', 'xlsx'],
      ['pdf', 'html', 'xlsx'],
    ]);
  });

  it('--force plans everything', async () => {
    const plan = await planBuild(options(dir, { force: true }));
    expect(plan.documents.every((d) => d.todo!.length === 3)).toBe(true);
  });
});

describe('the check cache', () => {
  it('an unchanged source is not parsed again, and its diagnostics print exactly as before', async () => {
    const dir = project('check-cache');
    const first = await runCli(['build', '--formats', 'xlsx'], dir);
    expect(first.code).toBe(0);
    const sidecar = JSON.parse(readFileSync(path.join(dir, 'out/2025/zhijiang-swkjgxj.entry.json'), 'utf8')) as {
      check?: { key: string };
    };
    expect(sidecar.check?.key).toMatch(/^[0-9a-f]{64}$/);
    const plan = await planBuild({ ...options(dir), formats: ['xlsx'] });
    // from the cache: no parsed document behind the checked file
    expect(plan.checked.map((c) => c.source.doc)).toEqual([undefined, undefined]);
    const second = await runCli(['build', '--formats', 'xlsx'], dir);
    const diagnostics = (s: string): string =>
      s
        .split('\n')
        .filter((l) => !/^生成 /.test(l))
        .join('\n');
    expect(diagnostics(second.out)).toBe(diagnostics(first.out));
    expect(second.out).toContain('data/2025/zhijiang-swkjgxj.yaml:78:11  warning  DUPLICATE_INDICATOR');
    expect(second.out).toContain('  78 |     name: 引进高中层次人才');
  });

  it('an edited source, or new settings, are checked again', async () => {
    const dir = project('check-cache-edit');
    await runCli(['build', '--formats', 'xlsx'], dir);
    const file = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('unit: 人次', 'uint: 人次'));
    const r = await runCli(['build', '--formats', 'xlsx'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('UNKNOWN_KEY');
    writeFileSync(file, readFileSync(file, 'utf8').replace('uint: 人次', 'unit: 人次'));
    expect((await runCli(['build', '--formats', 'xlsx'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'jxmb.settings.yaml'), 'points_total: 100\n');
    const t = await runCli(['build', '--formats', 'xlsx'], dir);
    expect(t.code).toBe(1);
    expect(t.out).toContain('POINTS_TOTAL');
  });

  it('a new file that takes a cached department’s code is caught', async () => {
    const dir = project('check-cache-dup');
    await runCli(['build', '--formats', 'xlsx'], dir);
    writeFileSync(path.join(dir, 'data/2025/copy.yaml'), readFileSync(SEED_YAML, 'utf8'));
    const r = await runCli(['build', '--formats', 'xlsx'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/data\/2025\/copy\.yaml:\d+:\d+ {2}error {2}DUPLICATE_CODE/);
  });
});

describe('a template change re-renders everything', () => {
  it('the render inputs key covers templates/', async () => {
    const { renderInputsKey } = await import('../../scripts/build/cache.ts');
    const { DEFAULT_SETTINGS } = await import('../../scripts/model/settings.ts');
    const a = await renderInputsKey(DEFAULT_SETTINGS, '/usr/bin/chromium');
    const css = path.join(ROOT, 'templates/form.css');
    const original = readFileSync(css);
    try {
      writeFileSync(css, Buffer.concat([original, Buffer.from('\n/* changed */\n')]));
      const b = await renderInputsKey(DEFAULT_SETTINGS, '/usr/bin/chromium');
      expect(b.pdf).not.toBe(a.pdf);
      expect(b.html).not.toBe(a.html);
      expect(b.xlsx).not.toBe(a.xlsx);
    } finally {
      writeFileSync(css, original);
    }
    expect((await renderInputsKey(DEFAULT_SETTINGS, '/usr/bin/chromium')).pdf).toBe(a.pdf);
    expect((await renderInputsKey(DEFAULT_SETTINGS, '/opt/chrome')).pdf).not.toBe(a.pdf);
    expect((await renderInputsKey({ ...DEFAULT_SETTINGS, points_total: 100 }, '/usr/bin/chromium')).xlsx).not.toBe(
      a.xlsx,
    );
  });
});

describe('--shard i/n', () => {
  it('splits the departments deterministically; the shards together are the whole', async () => {
    const dir = project('shards');
    for (let i = 0; i < 10; i++) {
      const code = `dept-${i}`;
      writeFileSync(
        path.join(dir, `data/2025/${code}.yaml`),
        readFileSync(SEED_YAML, 'utf8').replace('code: zhijiang-swkjgxj', `code: ${code}`),
      );
    }
    const all = (await planBuild({ ...options(dir), formats: undefined })).documents.map((d) => d.model.code).sort();
    const parts = [];
    for (let i = 1; i <= 3; i++) {
      const plan = await planBuild({ ...options(dir), formats: undefined, shard: { index: i, count: 3 } });
      parts.push(plan.documents.map((d) => d.model.code));
      expect(plan.complete).toBe(false);
    }
    expect(parts.flat().sort()).toEqual(all);
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(shardOf('2025/dept-1', 3)).toBe(shardOf('2025/dept-1', 3));
  });

  it('CI shards merged and indexed give the index of all', async () => {
    const dir = project('shard-cli');
    const outs = [1, 2].map((i) => path.join(dir, `out-${i}`));
    for (const [i, out] of outs.entries()) {
      const r = await runCli(['build', '--formats', 'xlsx', '--shard', `${i + 1}/2`, '--out', out], dir);
      expect(r.code, r.err).toBe(0);
    }
    const merged = path.join(dir, 'merged');
    for (const out of outs) if (existsSync(out)) cpSync(out, merged, { recursive: true });
    expect((await runCli(['index', '--out', merged], dir)).code).toBe(0);
    const index = readFileSync(path.join(merged, 'index.html'), 'utf8');
    expect(index).toContain('zhijiang-swkjgxj');
    expect(index).toContain('long-form');
  });

  it('rejects a malformed shard', async () => {
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0'])
      expect((await runCli(['build', '--shard', bad])).code, bad).toBe(2);
  });
});
