/**
 * Issue 11: a failed build never destroys good output, and the incremental cache cannot keep a wrong
 * file. A department whose new rendering cannot be written keeps its previous outputs, sidecar and
 * manifest entry; a full disk and a read-only out/ are environment errors naming the path; an output
 * whose bytes are not the recorded ones is rendered again; a SIGINT between a department's formats
 * leaves its records true to its files.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBoard } from '../../scripts/render/index-page.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBuild, runBuild, type BuildOptions } from '../../scripts/build/pipeline.ts';
import { FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';
import { targetsForm } from '../../scripts/forms/targets.ts';

let base: string;
beforeAll(() => void (base = mkdtempSync(path.join(os.tmpdir(), 'jxmb-integrity-'))));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const SEED = 'data/2025/zhijiang-swkjgxj.yaml';

function project(name: string): string {
  const dir = path.join(base, name);
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  cpSync(SEED_YAML, path.join(dir, SEED));
  cpSync(LONG_YAML, path.join(dir, 'data/2025/long-form.yaml'));
  return dir;
}

/** An HTML and Excel build of the whole project, one page at a time. */
const options = (dir: string): BuildOptions => ({
  kind: targetsForm,
  cwd: dir,
  root: dir,
  dataDir: path.join(dir, 'data'),
  outDir: path.join(dir, 'out'),
  formats: ['html', 'xlsx'],
  paths: [],
  jobs: 1,
  failFast: false,
});

const LONG_YAML = path.join(FIXTURES, 'paginate-60-indicators/data/2025/long-form.yaml');

/** Renames the department (its first `name:`), so its outputs must change. */
const rename = (file: string): void => writeFileSync(file, readFileSync(file, 'utf8').replace('name: ', 'name: 新'));

/** Changes what the seed says (a target value), so its outputs must change. */
function editSeed(dir: string, from = 'value: 1000\n', to = 'value: 1200\n'): void {
  const file = path.join(dir, SEED);
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every file under `dir` with its sha256 (the whole out/ folder as it is). */
/**
 * A sidecar as it was apart from the board's 生成失败 mark (entry.failed), which a failed rendering
 * adds to the last good build's sidecar: its entry, records and check are otherwise untouched.
 */
function sidecarSansFailure(file: string): string {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { entry: { failed?: string } };
  delete doc.entry.failed;
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex');
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.entry.json')) out[path.relative(dir, p)] = sidecarSansFailure(p);
      else out[path.relative(dir, p)] = sha(p);
    }
  };
  walk(dir);
  return out;
}

/** What is wrong between the sidecars' records and the files they describe (empty: all true). */
function recordProblems(outDir: string): string[] {
  const problems: string[] = [];
  for (const name of readdirSync(path.join(outDir, '2025')).filter((n) => n.endsWith('.entry.json'))) {
    const text = readFileSync(path.join(outDir, '2025', name), 'utf8');
    const doc = JSON.parse(text) as { build?: Record<string, { size: number; sha256: string }> };
    for (const [format, r] of Object.entries(doc.build ?? {})) {
      const file = path.join(outDir, '2025', name.replace('.entry.json', `.${format}`));
      if (!existsSync(file)) problems.push(`${name}: records ${format}, which is not there`);
      else if (sha(file) !== r.sha256) problems.push(`${name}: records a ${format} that is not the one there`);
    }
  }
  return problems;
}

const manifestOf = (outDir: string): { files: { path: string; sha256: string }[] } =>
  JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };

describe('a department whose new rendering cannot be written', () => {
  it('keeps its previous outputs, sidecar and manifest entry, and the build says it failed (exit 1)', async () => {
    const dir = project('kept');
    expect((await runCli(['build', SEED, '--formats', 'html'], dir)).code).toBe(0);
    const out = path.join(dir, 'out');
    // Something in the way of one of its outputs: the new rendering cannot be put in place.
    mkdirSync(path.join(out, '2025/zhijiang-swkjgxj.xlsx'));
    expect((await runCli(['index'], dir)).code).toBe(0);
    const before = snapshot(out);
    editSeed(dir);
    const r = await runCli(['build', SEED, '--formats', 'html,xlsx'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/data\/2025\/zhijiang-swkjgxj\.yaml: 生成失败 rendering failed: .*zhijiang-swkjgxj\.xlsx/);
    expect(r.err).toContain('保留上次生成的输出 its previous outputs are kept');
    expect(r.out).toMatch(/built 0 of 1 table .*1 failed/);
    // The previous HTML, its sidecar (marked 生成失败) and manifest: exactly as they were.
    const after = snapshot(out);
    expect({ ...after, 'index.html': '' }).toEqual({ ...before, 'index.html': '' });
    const board = readBoard(readFileSync(path.join(out, 'index.html'), 'utf8'));
    expect(board.statuses[board.rows[0]!.status as number]).toBe('生成失败');
    expect(board.rows[0]!.failed).toMatch(/zhijiang-swkjgxj\.xlsx/);
    expect(manifestOf(out).files.map((f) => f.path)).toEqual(['2025/zhijiang-swkjgxj.html']);
    expect(recordProblems(out)).toEqual([]);
  });
});

describe('settings with an error', () => {
  it('fail every department (exit 1) but remove none of their outputs: the sources did not change', async () => {
    const dir = project('bad-settings');
    expect((await runCli(['build', '--formats', 'xlsx'], dir)).code).toBe(0);
    const out = path.join(dir, 'out');
    const before = snapshot(out);
    const settings = path.join(dir, 'jxmb.settings.yaml');
    writeFileSync(settings, `${readFileSync(settings, 'utf8')}points_total: many\n`);
    const r = await runCli(['build', '--formats', 'xlsx'], dir);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/removed stale output/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('a department on which Chromium keeps crashing', () => {
  it('fails, keeping its previous outputs and sidecar; the others are built', async () => {
    const dir = project('crash');
    const opts = options(dir);
    const copy = path.join(dir, 'data/2025/long-form-2.yaml');
    writeFileSync(copy, readFileSync(LONG_YAML, 'utf8').replace('code: long-form', 'code: long-form-2'));
    await runBuild(await planBuild(opts), opts);
    const before = snapshot(opts.outDir);
    // Every department changes, so each must be rendered again.
    editSeed(dir);
    for (const f of [copy, path.join(dir, 'data/2025/long-form.yaml')]) rename(f);
    const plan = await planBuild(opts);
    let killer: NodeJS.Timeout | undefined;
    const result = await runBuild(plan, opts, {
      onDocument: (_r, done, total, ctx) => {
        // From the first document on, Chromium is killed as soon as it is up, to the end: a document
        // not yet printed by then (with its retries) meets nothing but crashes.
        if (done === 1) killer = setInterval(() => ctx.pool?.process()?.kill('SIGKILL'), 20);
        if (done === total) clearInterval(killer);
      },
    });
    clearInterval(killer);
    const failed = result.results.filter((r) => r.error);
    expect(failed.length, result.results.map((r) => r.error?.message).join('; ')).toBeGreaterThan(0);
    expect(result.results.filter((r) => !r.error).length).toBeGreaterThan(0);
    const after = snapshot(opts.outDir);
    for (const r of failed) {
      for (const f of [...Object.values(r.doc.outputs), r.doc.outputs.html.replace(/\.html$/, '.entry.json')]) {
        const rel = path.relative(opts.outDir, f);
        if (rel.endsWith('.pdf')) continue;
        expect(after[rel], rel).toBe(before[rel]);
      }
    }
    expect(recordProblems(opts.outDir)).toEqual([]);
    for (const f of manifestOf(opts.outDir).files) expect(sha(path.join(opts.outDir, f.path)), f.path).toBe(f.sha256);
  });
});

/** Runs `fn` with a file system mounted at a new folder (root only; skipped where mounting fails). */
const canMount = ((): boolean => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(path.join(os.tmpdir(), 'jxmb-mount-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    return mounted && spawnSync('umount', [probe]).status === 0;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

describe.runIf(canMount)('a full disk and a read-only out/ (mounted file systems; root)', () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
  });

  it('full disk: the previous outputs and manifest stay, one clear line names the file, exit 69', async () => {
    const dir = project('full-disk');
    const out = path.join(dir, 'out');
    mkdirSync(out);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', out]);
    mounts.push(out);
    expect((await runCli(['build', '--formats', 'xlsx'], dir)).code).toBe(0);
    // Fill the disk.
    spawnSync('dd', ['if=/dev/zero', `of=${path.join(out, 'filler')}`, 'bs=4k', 'count=1000']);
    const before = snapshot(out);
    editSeed(dir);
    rename(path.join(dir, 'data/2025/long-form.yaml'));
    const r = await runCli(['build', '--formats', 'xlsx'], dir);
    expect(r.code).toBe(69);
    expect(r.err).toMatch(/磁盘空间不足.*out\/2025\/[a-z-]+\.xlsx.*--out/);
    expect(r.err).not.toMatch(/内部错误|internal error|bug in jxmb/);
    // Nothing removed, nothing half-written, the manifest as it was.
    expect(snapshot(out)).toEqual(before);
    expect(r.err).not.toMatch(/removed stale output/);
  });

  it('read-only out/: one line naming the folder and what to do, exit 69, no ENOENT or "internal error"', async () => {
    const dir = project('read-only');
    expect((await runCli(['build', '--formats', 'xlsx'], dir)).code).toBe(0);
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    execFileSync('mount', ['--bind', path.join(dir, 'out'), ro]);
    mounts.push(ro);
    execFileSync('mount', ['-o', 'remount,ro,bind', ro]);
    const before = snapshot(ro);
    editSeed(dir);
    for (const target of ['ro', 'ro/new/out']) {
      const r = await runCli(['build', '--formats', 'xlsx', '--out', target], dir);
      expect(r.code, target).toBe(69);
      const lines = r.err.split('\n').filter(Boolean);
      expect(lines, r.err).toHaveLength(1);
      // The folder that could not be made or written: `ro/new` for `ro/new/out`.
      expect(lines[0]).toMatch(/ ro(\/new)? 所在的文件系统是只读的/);
      expect(lines[0]).toContain('--out');
      expect(r.err).not.toMatch(/ENOENT|内部错误|internal error/);
    }
    expect(snapshot(ro)).toEqual(before);
  });
});

describe('the incremental cache trusts an output only if its bytes are the recorded ones', () => {
  it(
    'an output changed behind its record’s back, same size, is rendered again; ' + 'the manifest hash is true',
    async () => {
      const dir = project('tampered');
      const opts = options(dir);
      await runBuild(await planBuild(opts), opts);
      const html = path.join(dir, 'out/2025/zhijiang-swkjgxj.html');
      const good = readFileSync(html, 'utf8');
      // What a build killed after writing the outputs of an edit (then reverted) leaves: the record says
      // the reverted source's HTML, the file is the edit's, of the same length.
      const wrong = good.replace('>1000<', '>1200<');
      expect(wrong).not.toBe(good);
      writeFileSync(html, wrong);
      const plan = await planBuild(opts);
      expect(plan.documents.map((d) => [d.model.code, d.todo])).toEqual([
        ['long-form', []],
        ['zhijiang-swkjgxj', ['html']],
      ]);
      await runBuild(plan, opts);
      expect(readFileSync(html, 'utf8')).toBe(good);
      for (const f of manifestOf(opts.outDir).files) expect(sha(path.join(opts.outDir, f.path)), f.path).toBe(f.sha256);
      expect(recordProblems(opts.outDir)).toEqual([]);
    },
  );
});

describe.runIf(process.platform === 'linux')('SIGINT between the formats of one department', () => {
  it('leaves its sidecar’s records true to the files on disk, and no temporary files', async () => {
    const dir = project('sigint');
    expect((await runCli(['build', '--formats', 'html,xlsx'], dir)).code).toBe(0);
    editSeed(dir);
    rename(path.join(dir, 'data/2025/long-form.yaml'));
    const script = path.join(ROOT, 'tests/build/_build-on-signal.ts');
    const argv = ['--import', 'tsx', script, dir, '--formats', 'html,xlsx', '--jobs', '1'];
    // The child holds on after its first output until this file says the signal is on its way.
    const signalled = path.join(dir, 'sigint-sent');
    const env = { ...process.env, SIGNALLED: signalled };
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    let ready = false;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (!ready && /^ready /m.test(output)) {
        ready = true;
        child.kill('SIGINT');
        writeFileSync(signalled, '');
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const ended = await new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    expect(ready, output.slice(-2000)).toBe(true);
    expect(ended, output.slice(-2000)).toBe('SIGINT');
    const out = path.join(dir, 'out');
    expect(recordProblems(out)).toEqual([]);
    expect(Object.keys(snapshot(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The next build makes everything current again.
    expect((await runCli(['build', '--formats', 'html,xlsx'], dir)).code).toBe(0);
    expect(readFileSync(path.join(out, '2025/zhijiang-swkjgxj.html'), 'utf8')).toContain('1200');
    expect(recordProblems(out)).toEqual([]);
  });
});

describe('an --out that cannot be a folder', () => {
  it('a file in the path: one line naming it, exit 69, no "internal error"', async () => {
    const dir = project('out-through-file');
    writeFileSync(path.join(dir, 'afile'), '');
    const r = await runCli(['build', '--formats', 'xlsx', '--out', 'afile/sub'], dir);
    expect(r.code).toBe(69);
    expect(r.err).toMatch(/无法创建文件夹 afile.*ENOTDIR/);
    expect(r.out + r.err).not.toMatch(/internal error|内部错误/);
  });

  // mkdir answers ENOENT under /proc although /proc is there: Node's recursive mkdir loops forever on it.
  const linux = existsSync('/proc/self');
  it.runIf(linux)(
    'a file system that refuses the folder (/proc): an answer, not a hang',
    async () => {
      const r = await runCli(['build', '--formats', 'xlsx', '--out', '/proc/jxmb-out'], project('out-in-proc'));
      expect(r.code).toBe(69);
      expect(r.err).toMatch(/无法创建文件夹 .*jxmb-out.*EMKDIR/);
    },
    20_000,
  );
});
