/**
 * The browser a build runs is lean: one renderer per page in use plus the launch's own tab (kept in
 * front, idle on about:blank, so the pages are background tabs), no spare renderer, none of the new
 * headless mode's hidden omnibox pages, and the GPU and network services inside the browser process.
 * Each of those processes costs 50–100 MB of a 1 GB budget. Reads the process tree from /proc (Linux,
 * where CI runs).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { BrowserPool, PAGE_USES } from '../../scripts/browser/pool.ts';
import { showDocument } from '../../scripts/browser/form-page.ts';
import { requireBrowser } from '../../scripts/browser/find.ts';
import { testPool } from '../render/render-helpers.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

let pool: BrowserPool;

beforeAll(async () => {
  pool = await testPool();
});

afterAll(async () => {
  await pool?.close();
});

/** `--type=…` of every process below `root` (`browser` for the root itself). */
function processTypes(root: number): string[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  const types: string[] = [];
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const type = /--type=([\w-]+)/.exec(cmd)?.[1];
    const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
    types.push(pid === root ? 'browser' : type ? `${type}${sub ? `:${sub}` : ''}` : 'other');
  }
  return types.sort();
}

/**
 * The process tree once it has settled: processes start asynchronously, so this samples until both pages'
 * renderers are there and the tree has stayed the same for ten samples (half a second), so anything that starts
 * late (a spare renderer, omnibox pages) is in it. Gives up after 20 s with the last sample.
 */
async function settledTree(root: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  let last = processTypes(root);
  for (let same = 0; same < 10 && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = processTypes(root);
    same = now.join() === last.join() && now.filter((t) => t === 'renderer').length >= 3 ? same + 1 : 0;
    last = now;
  }
  return last;
}

describe.runIf(process.platform === 'linux')('the browser process tree', () => {
  it('two pages in use: two renderers and the launch tab’s, no GPU or network process', async () => {
    let types: string[] = [];
    await pool.withPage(async (a) => {
      await pool.withPage(async (b) => {
        expect(a).not.toBe(b);
        const doc = (t: string): string =>
          `<!DOCTYPE html><html><head><title>${t}</title></head><body><p>${t}</p></body></html>`;
        await Promise.all([showDocument(a, '2025/a.html', doc('a')), showDocument(b, '2025/b.html', doc('b'))]);
        types = await settledTree(pool.process()!.pid!);
      });
    });
    expect(
      types.filter((t) => t === 'renderer'),
      types.join(' '),
    ).toHaveLength(3);
    expect(
      types.filter((t) => t.startsWith('gpu-process') || t.includes('NetworkService')),
      types.join(' '),
    ).toEqual([]);
    expect((await (await pool.browser()).pages()).length).toBe(3);
  });

  it('hands out background pages: hidden, so nothing is painted for the screen while forms print', async () => {
    const states = await pool.withPage((a) =>
      pool.withPage(async (b) => Promise.all([a, b].map((p) => p.evaluate('document.visibilityState')))),
    );
    expect(states).toEqual(['hidden', 'hidden']);
  });
});

describe('closing a pool', () => {
  it.runIf(process.platform === 'linux')(
    'ends its Chromium (every process of it) and removes its temporary profile',
    async () => {
      const own = await testPool();
      await own.withPage((p) =>
        showDocument(
          p,
          '2025/a.html',
          '<!DOCTYPE html><html><head><title>a</title></head><body><p>a</p></body></html>',
        ),
      );
      const pid = own.process()!.pid!;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const profile = cmdline.find((a) => a.startsWith('--user-data-dir='))!.slice('--user-data-dir='.length);
      const tree = processTypes(pid).length;
      expect(tree).toBeGreaterThan(3);
      await own.close();
      // Nothing of its process group is left running (a zombie waiting to be reaped by init is not running).
      const running = readdirSync('/proc')
        .filter((n) => /^\d+$/.test(n))
        .filter((n) => {
          try {
            const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            return Number(fields[2]) === pid && fields[0] !== 'Z';
          } catch {
            return false;
          }
        });
      expect(running).toEqual([]);
      expect(existsSync(profile)).toBe(false);
    },
  );

  it(
    'while its pages are still opening leaves no unhandled pipe error behind' + ' (was: ECONNRESET ending the process)',
    () => {
      // Two at once, so the closes land at different points of the launch.
      const run = (): Promise<string> =>
        new Promise((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, '_close-race.ts'), '12'], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', () => resolve(out));
        });
      return Promise.all([run(), run()]).then((outs) => {
        for (const out of outs) expect(out.trim(), out).toBe('uncaught 0');
      });
    },
    120_000,
  );
});

describe('a page lent many times', () => {
  it('is closed after pageUses and a fresh one (a fresh renderer) takes its place', async () => {
    const browser = await requireBrowser();
    const small = new BrowserPool({ executablePath: browser.path, pageUses: 3 });
    try {
      const seen: Page[] = [];
      for (let i = 0; i < 7; i++) seen.push(await small.withPage(async (p) => p));
      // Uses 1–3 on the first page, 4–6 on the second, 7 on a third; each retired one is closed.
      expect(new Set(seen).size).toBe(3);
      expect(seen[0]).toBe(seen[2]);
      expect(seen[3]).not.toBe(seen[2]);
      expect(seen[3]).toBe(seen[5]);
      await waitFor(() => seen[0]!.isClosed() && seen[3]!.isClosed());
      expect(seen[6]!.isClosed()).toBe(false);
      expect(await small.withPage((p) => p.evaluate('1 + 1'))).toBe(2);
    } finally {
      await small.close();
    }
  });

  it(`lives PAGE_USES (${PAGE_USES}) uses by default`, () => {
    expect(PAGE_USES).toBeGreaterThanOrEqual(50);
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
}
