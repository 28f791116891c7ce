/**
 * The compiled copy of scripts/ (scripts/setup/compile.js) that `jxmb` starts from: used only while every
 * source it was made from is unchanged, and it builds exactly what the TypeScript builds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, DIST, INPUTS_FILE, staleReason } from '../../scripts/setup/compile.js';
import { ROOT, SEED_YAML } from '../helpers.ts';

let base: string;
beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'jxmb-compile-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('staleReason', () => {
  /** A made-up compiled copy of one source file. */
  function fake(): { dist: string; root: string; src: string } {
    const root = mkdtempSync(path.join(base, 'root-'));
    const dist = path.join(root, 'dist');
    mkdirSync(dist);
    const src = path.join(root, 'a.ts');
    writeFileSync(src, 'export const a = 1;\n');
    utimesSync(src, 1_700_000_000, 1_700_000_000);
    writeFileSync(path.join(dist, INPUTS_FILE), JSON.stringify({ inputs: [['a.ts', 20, 1_700_000_000_000]] }));
    return { dist, root, src };
  }

  it('is fresh while every source has the size and time it was compiled with', () => {
    const { dist, root } = fake();
    expect(staleReason(dist, root)).toBeUndefined();
  });

  it('names the source that changed, or is gone', () => {
    const { dist, root, src } = fake();
    utimesSync(src, 1_700_000_001, 1_700_000_001);
    expect(staleReason(dist, root)).toBe('a.ts changed since it was compiled');
    rmSync(src);
    expect(staleReason(dist, root)).toBe('a.ts is gone');
  });

  it('says how to compile when there is no compiled copy', () => {
    expect(staleReason(path.join(base, 'nowhere'), base)).toBe('not compiled (npm run compile)');
  });
});

describe('the compiled jxmb', () => {
  beforeAll(async () => {
    // npm install compiled it; after an edit, compile again (same sources → same chunk names).
    if (staleReason()) await compile();
  }, 60_000);

  it('lists every TypeScript source it was made from, and the JSON it inlines (schema, package.json)', () => {
    const inputs = (
      JSON.parse(readFileSync(path.join(DIST, INPUTS_FILE), 'utf8')) as { inputs: [string, number, number][] }
    ).inputs.map((i) => i[0]);
    expect(inputs).toContain('scripts/cli.ts');
    expect(inputs).toContain('scripts/commands/build.ts');
    expect(inputs).toContain('schema/department-targets.schema.json');
    expect(inputs).toContain('package.json');
    expect(inputs.every((f) => !f.includes('node_modules'))).toBe(true);
  });

  const jxmb = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts/jxmb.js'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      encoding: 'utf8',
    });

  it('is what jxmb runs while fresh (doctor says which), and JXMB_TSX=1 runs the TypeScript', () => {
    expect(jxmb(['doctor', '--no-launch'], ROOT).stdout).toContain('代码 code   ✓ 已编译 compiled (scripts/dist/)');
    expect(jxmb(['doctor', '--no-launch'], ROOT, { JXMB_TSX: '1' }).stdout).toContain('TypeScript tsx (JXMB_TSX=1)');
  });

  it('stops quietly when what reads its output goes away (jxmb … | head), no EPIPE stack trace', async () => {
    for (const env of [{}, { JXMB_TSX: '1' }]) {
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts/jxmb.js'), 'doctor', '--no-launch'], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      // Like head: take the first chunk, then close the pipe before the rest is written.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(err).not.toContain('EPIPE');
      expect(code).toBe(0);
    }
  });

  it('builds the seed into the same bytes as the TypeScript does', () => {
    const outputs = (runtime: 'compiled' | 'tsx'): Map<string, Buffer> => {
      const dir = path.join(base, runtime);
      mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
      cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
      cpSync(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
      const r = jxmb(['build'], dir, runtime === 'tsx' ? { JXMB_TSX: '1' } : {});
      expect(r.status, r.stderr).toBe(0);
      const files = new Map<string, Buffer>();
      for (const f of readdirSync(path.join(dir, 'out/2025')))
        files.set(f, readFileSync(path.join(dir, 'out/2025', f)));
      return files;
    };
    const compiled = outputs('compiled');
    const tsx = outputs('tsx');
    expect([...compiled.keys()].sort()).toEqual([
      'zhijiang-swkjgxj.entry.json',
      'zhijiang-swkjgxj.html',
      'zhijiang-swkjgxj.pdf',
      'zhijiang-swkjgxj.xlsx',
    ]);
    for (const [f, bytes] of compiled) expect(bytes.equals(tsx.get(f)!), f).toBe(true);
  }, 120_000);
});
