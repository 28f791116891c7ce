/**
 * `jxmb dev` as a real process: it prints its URL, serves, and on Ctrl-C (SIGINT) closes the server and
 * the browser cleanly: exit 0, no Chromium left, Chromium's temporary profile removed.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { sampleTree } from '../../scripts/bench/process-tree.ts';
import { ROOT, SEED_YAML } from '../helpers.ts';

const descendants = (root: number): number[] => {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      table.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [pid, ppid] of table) {
      if (ppid !== p) continue;
      out.push(pid);
      walk(pid);
    }
  };
  walk(root);
  return out;
};

it.runIf(process.platform === 'linux')(
  'Ctrl-C closes the server and the browser, and exits 0',
  async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-proc-'));
    await fs.mkdir(path.join(dir, 'data/2025'), { recursive: true });
    await fs.copyFile(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts/jxmb.js'), 'dev', '--port', '0', '--formats', 'html,pdf'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    child.stdout.on('data', (b) => (stdout += b));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = (re: RegExp): Promise<RegExpExecArray> =>
      new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`timed out waiting for ${re}; stdout: ${stdout}; stderr: ${stderr}`)),
          90_000,
        );
        const check = (): void => {
          const m = re.exec(stdout);
          if (!m) return;
          clearTimeout(t);
          child.stdout.off('data', check);
          resolve(m);
        };
        // Registered after the collector above, so `stdout` already holds the new chunk.
        child.stdout.on('data', check);
        check();
      });
    try {
      const url = (await waitFor(/http:\/\/127\.0\.0\.1:\d+\//))[0];
      await waitFor(/已生成 rebuilt 2025\/zhijiang-swkjgxj/);
      const pdf = await fetch(new URL('2025/zhijiang-swkjgxj.pdf', url));
      expect(pdf.status).toBe(200);
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');

      const browsers = descendants(child.pid!).filter((pid) => {
        try {
          return /chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'));
        } catch {
          return false;
        }
      });
      expect(browsers.length).toBeGreaterThan(0);
      expect(sampleTree(child.pid!).browsers).toBeGreaterThan(0);
      const cmdline = readFileSync(`/proc/${browsers[0]}/cmdline`, 'utf8').split('\0');
      const profile = cmdline.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/closing \(SIGINT\)/);
      // Chromium's helpers exit a moment after the browser process; give them a few seconds.
      const alive = (): string[] =>
        browsers.flatMap((pid) => {
          try {
            const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
            return state === 'Z'
              ? []
              : [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2).join(' ')} (${state})`];
          } catch {
            return [];
          }
        });
      for (let i = 0; i < 50 && alive().length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive()).toEqual([]);
      if (profile) expect(existsSync(profile), `profile ${profile} left behind`).toBe(false);
      await expect(fetch(url)).rejects.toThrow();
      // Nothing was injected into the files written.
      expect(await fs.readFile(path.join(dir, 'out/2025/zhijiang-swkjgxj.html'), 'utf8')).not.toContain('__jxmb');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
  120_000,
);
