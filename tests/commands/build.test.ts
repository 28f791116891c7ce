/**
 * `jxmb build` end to end, on a throwaway project: validation first (diagnostics exactly as `validate`
 * prints them), outputs and index, stale outputs removed, formats and paths, --fail-fast, one failing
 * department not stopping the others, reproducible bytes, a browser crash mid-build, SIGINT, and the
 * environment errors. Every build drives real Chromium.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBuild, runBuild, type BuildOptions } from '../../scripts/build/pipeline.ts';
import { expectGolden, FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';
import { readBoard } from '../../scripts/render/index-page.ts';
import { targetsForm } from '../../scripts/forms/targets.ts';

let base: string;
beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'jxmb-build-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A project folder: settings, the seed, the 56-indicator form, and (optionally) a file with an error. */
function project(name: string, opts: { broken?: boolean; hostile?: boolean } = {}): string {
  const dir = path.join(base, name);
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  cpSync(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
  cpSync(
    path.join(FIXTURES, 'paginate-60-indicators/data/2025/long-form.yaml'),
    path.join(dir, 'data/2025/long-form.yaml'),
  );
  if (opts.hostile)
    cpSync(
      path.join(FIXTURES, 'sealed-hostile-text/data/2025/hostile-text.yaml'),
      path.join(dir, 'data/2025/hostile-text.yaml'),
    );
  if (opts.broken) {
    const text = readFileSync(SEED_YAML, 'utf8')
      .replace('code: zhijiang-swkjgxj', 'code: broken')
      .replace('    type: ≤', '    type: ≈');
    writeFileSync(path.join(dir, 'data/2025/broken.yaml'), text);
  }
  return dir;
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const FORMATS = ['pdf', 'html', 'xlsx'] as const;

/** Every file under a folder, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

describe('jxmb build', () => {
  let dir: string;
  let first: { code: number; out: string; err: string };

  beforeAll(async () => {
    dir = project('full', { broken: true });
    // Outputs of the broken file from when it was still valid: they must go.
    mkdirSync(path.join(dir, 'out/2025'), { recursive: true });
    for (const f of FORMATS) writeFileSync(path.join(dir, `out/2025/broken.${f}`), 'stale');
    first = await runCli(['build'], dir);
  });

  it('validates first and prints the diagnostics exactly as validate does', async () => {
    const validate = await runCli(['validate'], dir);
    expect(validate.code).toBe(1);
    expect(first.out.startsWith(validate.out + '\n')).toBe(true);
  });

  it('renders every valid file in every format, plus fonts, index and manifest; exit 1 for the invalid one', () => {
    expect(first.code).toBe(1);
    const files = tree(path.join(dir, 'out'));
    for (const code of ['zhijiang-swkjgxj', 'long-form'])
      for (const f of FORMATS) expect(files).toContain(`2025/${code}.${f}`);
    expect(files).toContain('assets/fonts/fonts.css');
    expect(files.filter((f) => f.endsWith('.woff')).length).toBeGreaterThan(100);
    expect(files).toContain('index.html');
    expect(files).toContain('manifest.json');
    expect(first.out).toMatch(
      /built 2 of 3 tables \(3 departments, 1 year; 6 files, \d+ pages\).*1 with errors, 0 failed/,
    );
    expect(first.out).toMatch(/生成 2\/3 张表（3 个部门、1 个年度；6 个文件，\d+ 页）.*1 张有错误，0 张生成失败/);
  });

  it('removes the outputs of a file that now fails validation; the board shows it 有错误 with its errors', () => {
    for (const f of FORMATS) expect(existsSync(path.join(dir, `out/2025/broken.${f}`))).toBe(false);
    const board = readBoard(readFileSync(path.join(dir, 'out/index.html'), 'utf8'));
    const row = board.rows.find((r) => r.code === 'broken')!;
    expect(board.statuses[row.status as number]).toBe('有错误');
    expect(row).toMatchObject({ files: 0, errors: 1, source: 'data/2025/broken.yaml' });
    const [firstDiag] = board.diagnostics[row.diagnostics as number]!;
    expect(firstDiag!.slice(0, 2)).toEqual([0, 'INVALID_ENUM']);
    expect(firstDiag![2]).toBe(
      readFileSync(path.join(dir, 'data/2025/broken.yaml'), 'utf8').split('\n').indexOf('    type: ≈') + 1,
    );
    expect(board.statuses[board.rows.find((r) => r.code === 'long-form')!.status as number]).toBe('通过');
    expect(first.err).toContain(`removed stale output ${path.join('out', '2025', 'broken.pdf')}`);
  });

  it('leaves no temporary files', () => {
    expect(tree(path.join(dir, 'out')).filter((f) => /\.tmp$|\/\./.test(f))).toEqual([]);
  });

  it('writes HTML that finds its fonts relatively, and a font stylesheet whose files are all there', () => {
    const html = readFileSync(path.join(dir, 'out/2025/zhijiang-swkjgxj.html'), 'utf8');
    expect(html).toContain('href="../assets/fonts/fonts.css"');
    const css = readFileSync(path.join(dir, 'out/assets/fonts/fonts.css'), 'utf8');
    const urls = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(300);
    for (const u of urls) expect(existsSync(path.join(dir, 'out/assets/fonts', u)), u).toBe(true);
  });

  it('lists every output in the manifest with its size and sha256', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out/manifest.json'), 'utf8')) as {
      files: { path: string; size: number; sha256: string }[];
    };
    const listed = manifest.files.map((f) => f.path).sort();
    expect(listed).toEqual(
      ['long-form', 'zhijiang-swkjgxj'].flatMap((c) => FORMATS.map((f) => `2025/${c}.${f}`)).sort(),
    );
    for (const f of manifest.files) expect(sha(path.join(dir, 'out', f.path)), f.path).toBe(f.sha256);
  });

  it('gives byte-identical files when rendered again (--force)', async () => {
    const before = Object.fromEntries(
      ['zhijiang-swkjgxj', 'long-form'].flatMap((c) =>
        FORMATS.map((f) => [`${c}.${f}`, sha(path.join(dir, `out/2025/${c}.${f}`))]),
      ),
    );
    const mtimes = Object.keys(before).map((k) => statSync(path.join(dir, 'out/2025', k)).mtimeMs);
    const again = await runCli(['build', '--force'], dir);
    // really rendered again: every output was rewritten
    Object.keys(before).forEach((k, i) =>
      expect(statSync(path.join(dir, 'out/2025', k)).mtimeMs, k).toBeGreaterThan(mtimes[i]!),
    );
    expect(again.code).toBe(1);
    const after = Object.fromEntries(Object.keys(before).map((k) => [k, sha(path.join(dir, 'out/2025', k))]));
    expect(after).toEqual(before);
  });
});

describe('a deleted source', () => {
  it('has its outputs removed by the next full build, and leaves the index', async () => {
    const dir = project('deleted');
    expect((await runCli(['build', '--formats', 'html'], dir)).code).toBe(0);
    expect(existsSync(path.join(dir, 'out/2025/long-form.html'))).toBe(true);
    rmSync(path.join(dir, 'data/2025/long-form.yaml'));
    const r = await runCli(['build', '--formats', 'html'], dir);
    expect(r.code).toBe(0);
    expect(tree(path.join(dir, 'out')).filter((f) => f.startsWith('2025/long-form'))).toEqual([]);
    expect(readFileSync(path.join(dir, 'out/index.html'), 'utf8')).not.toContain('long-form');
    expect(readFileSync(path.join(dir, 'out/index.html'), 'utf8')).toContain('zhijiang-swkjgxj');
  });
});

describe('jxmb build options', () => {
  it('--formats and paths build only what was asked', async () => {
    const dir = project('some');
    const r = await runCli(['build', 'data/2025/zhijiang-swkjgxj.yaml', '--formats', 'html', '--out', 'site'], dir);
    expect(r.code).toBe(0);
    const files = tree(path.join(dir, 'site')).filter((f) => f.startsWith('2025/') && !f.endsWith('.entry.json'));
    expect(files).toEqual(['2025/zhijiang-swkjgxj.html']);
    expect(r.out).toMatch(/built 1 of 1 table \(1 department, 1 year; 1 file, 2 pages\)/);
  });

  it('--fail-fast renders nothing once a file has failed', async () => {
    const dir = project('failfast', { broken: true });
    const r = await runCli(['build', '--fail-fast', '--formats', 'pdf'], dir);
    expect(r.code).toBe(1);
    expect(tree(path.join(dir, 'out')).filter((f) => f.endsWith('.pdf'))).toEqual([]);
    expect(r.err).toContain('not rendered (--fail-fast): data/2025/long-form.yaml');
    expect(r.err).toContain('not rendered (--fail-fast): data/2025/zhijiang-swkjgxj.yaml');
  });

  it('one department failing does not stop the others; the exit code says so', async () => {
    const dir = project('onefails');
    // Something in the way of one output: that department fails, the other is built.
    mkdirSync(path.join(dir, 'out/2025/long-form.pdf'), { recursive: true });
    const r = await runCli(['build', '--jobs', '1'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/data\/2025\/long-form\.yaml: 生成失败 rendering failed/);
    for (const f of FORMATS) expect(existsSync(path.join(dir, `out/2025/zhijiang-swkjgxj.${f}`))).toBe(true);
    // Nothing half-updated is left for the failed one.
    expect(existsSync(path.join(dir, 'out/2025/long-form.html'))).toBe(false);
    expect(existsSync(path.join(dir, 'out/2025/long-form.xlsx'))).toBe(false);
    expect(r.out).toMatch(/built 1 of 2 tables .*0 with errors, 1 failed/);
    // On the board: 生成失败, with what went wrong one click away.
    const board = readBoard(readFileSync(path.join(dir, 'out/index.html'), 'utf8'));
    const row = board.rows.find((x) => x.code === 'long-form')!;
    expect(board.statuses[row.status as number]).toBe('生成失败');
    expect(row.failed).toMatch(/long-form\.pdf/);
    // Rendered again next time, and then it passes.
    rmSync(path.join(dir, 'out/2025/long-form.pdf'), { recursive: true });
    expect((await runCli(['build', '--jobs', '1'], dir)).code).toBe(0);
    const again = readBoard(readFileSync(path.join(dir, 'out/index.html'), 'utf8'));
    expect(again.statuses[again.rows.find((x) => x.code === 'long-form')!.status as number]).toBe('通过');
  });

  it('--data reads another folder, --lang prints the diagnostics in English', async () => {
    const dir = project('dataflag', { broken: true });
    const r = await runCli(
      ['build', '--data', path.join(FIXTURES, 'paginate-60-indicators/data'), '--formats', 'xlsx', '--lang', 'en'],
      dir,
    );
    expect(r.code).toBe(0);
    expect(tree(path.join(dir, 'out')).filter((f) => f.endsWith('.xlsx'))).toEqual(['2025/long-form.xlsx']);
    const broken = await runCli(['build', 'data/2025/broken.yaml', '--formats', 'xlsx', '--lang', 'en'], dir);
    expect(broken.code).toBe(1);
    const validate = await runCli(['validate', 'data/2025/broken.yaml', '--lang', 'en'], dir);
    expect(broken.out.startsWith(validate.out + '\n')).toBe(true);
    expect(validate.out).toMatch(/error\s+INVALID_ENUM/);
    expect(validate.out).not.toMatch(/[不能是只]/);
  });

  it('usage text (golden)', async () => {
    const r = await runCli(['build', '--help']);
    expect(r.code).toBe(0);
    await expectGolden('usage/build.txt', r.out + '\n');
  });

  it('rejects bad options with usage (exit 2)', async () => {
    const dir = project('usage');
    expect((await runCli(['build', '--formats', 'pdf,doc'], dir)).code).toBe(2);
    expect((await runCli(['build', '--jobs', '0'], dir)).code).toBe(2);
    expect((await runCli(['build', '--lang', 'fr'], dir)).code).toBe(2);
  });

  it('says in one line what to do when there is no browser', async () => {
    const dir = project('nobrowser');
    const saved = process.env.JXMB_CHROME;
    process.env.JXMB_CHROME = path.join(dir, 'no-such-chrome');
    try {
      const r = await runCli(['build', '--formats', 'pdf'], dir);
      expect(r.code).toBe(69);
      const lines = r.err.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('JXMB_CHROME');
      expect(lines[0]).toContain('apt-get install chromium');
      expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      if (saved === undefined) delete process.env.JXMB_CHROME;
      else process.env.JXMB_CHROME = saved;
    }
  });

  it('builds xlsx without any browser', async () => {
    const dir = project('xlsxonly');
    const saved = process.env.JXMB_CHROME;
    process.env.JXMB_CHROME = path.join(dir, 'no-such-chrome');
    try {
      const r = await runCli(['build', '--formats', 'xlsx'], dir);
      expect(r.code).toBe(0);
      expect(existsSync(path.join(dir, 'out/2025/long-form.xlsx'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.JXMB_CHROME;
      else process.env.JXMB_CHROME = saved;
    }
  });
});

describe('a browser crash mid-build', () => {
  it.each([1, 2])('relaunches Chromium and renders the remaining documents (jobs %i)', async (jobs) => {
    const dir = project(`crash${jobs}`, { hostile: true });
    // More documents than the build has in flight at once (pages + 1), so some are still to start when
    // the browser dies: they need the relaunch.
    for (let i = 0; i < 4; i++) {
      const text = readFileSync(path.join(dir, 'data/2025/long-form.yaml'), 'utf8').replace(
        'code: long-form',
        `code: long-form-${i}`,
      );
      writeFileSync(path.join(dir, `data/2025/long-form-${i}.yaml`), text);
    }
    const opts: BuildOptions = {
      kind: targetsForm,
      cwd: dir,
      root: dir,
      dataDir: path.join(dir, 'data'),
      outDir: path.join(dir, 'out'),
      formats: ['pdf', 'html'],
      paths: [],
      jobs,
      failFast: false,
    };
    const plan = await planBuild(opts);
    expect(plan.documents).toHaveLength(7);
    let killed = 0;
    const relaunches: string[] = [];
    const result = await runBuild(plan, opts, {
      onDocument: (_r, done, _total, ctx) => {
        // Kill the browser once, after the first document: with two jobs the second is in flight.
        if (done === 1) {
          ctx.pool!.process()!.kill('SIGKILL');
          killed++;
        }
      },
      onRelaunch: (why) => relaunches.push(why),
    });
    expect(killed).toBe(1);
    expect(result.results.map((r) => r.error?.message)).toEqual(plan.documents.map(() => undefined));
    expect(result.launches).toBe(2);
    for (const d of plan.documents)
      for (const f of ['pdf', 'html'] as const) expect(existsSync(d.outputs[f]), d.outputs[f]).toBe(true);
  });
});

describe('interrupting a build', () => {
  it.each([
    ['SIGINT', 'while Chromium starts'],
    ['SIGTERM', 'between documents'],
    ['SIGINT', 'between documents'],
  ] as const)('%s %s closes the browser and leaves no temporary files', async (signal, when) => {
    const dir = project(`${signal}-${when.replace(/\W+/g, '-')}`);
    // Enough documents that the build is still running when it is interrupted.
    for (let i = 0; i < 6; i++) {
      const text = readFileSync(path.join(dir, 'data/2025/long-form.yaml'), 'utf8').replace(
        'code: long-form',
        `code: long-form-${i}`,
      );
      writeFileSync(path.join(dir, `data/2025/long-form-${i}.yaml`), text);
    }
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts/jxmb.js'), 'build', '--formats', 'pdf', '--jobs', '1'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
    );
    // Wait until Chromium runs under the build, then interrupt.
    let browserPids: number[] = [];
    for (let i = 0; i < 600 && browserPids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      browserPids = childPids(child.pid!).filter((p) => /chrom/i.test(readCmd(p)));
    }
    expect(browserPids.length).toBeGreaterThan(0);
    if (when === 'between documents') {
      for (let i = 0; i < 600 && !tree(path.join(dir, 'out')).some((f) => f.endsWith('.pdf')); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(tree(path.join(dir, 'out')).some((f) => f.endsWith('.pdf'))).toBe(true);
    }
    const profile = /--user-data-dir=([^\0]+)/.exec(browserPids.map(readCmd).join('\0'))?.[1];
    expect(profile).toBeDefined();
    child.kill(signal);
    const code = await exited;
    expect(code, output.slice(-2000)).not.toBe(0);
    // Give the OS a moment to reap, then no browser process of that build is left.
    for (let i = 0; i < 100 && browserPids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(browserPids.filter(alive)).toEqual([]);
    // Its profile folder is gone too.
    expect(
      existsSync(profile!),
      `${profile} is left: ${existsSync(profile!) ? tree(profile!).slice(0, 10).join(' ') : ''}`,
    ).toBe(false);
    expect(tree(path.join(dir, 'out')).filter((f) => /\.tmp$/.test(f))).toEqual([]);
  });
});

function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name), ...childPids(Number(name)));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function readCmd(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}
