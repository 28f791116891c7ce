/**
 * One owner per browser: closeWhileFinishing closes it in its one `finally` however rendering ends, and
 * lets the index phase run while it closes; runBuild leaves a lent browser open and closes its own.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildBrowser, closeWhileFinishing } from '../../scripts/build/build-browser.ts';
import type { BuildOptions } from '../../scripts/build/plan.ts';
import { planBuild } from '../../scripts/build/plan.ts';
import { runBuild } from '../../scripts/build/run.ts';
import { ROOT, SEED_YAML } from '../helpers.ts';
import { targetsForm } from '../../scripts/forms/targets.ts';

/** A stand-in owner that records when it is closed, and closes only when `release` is called. */
function fakeBrowser(events: string[]): { browser: BuildBrowser; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const browser = {
    close: async () => {
      events.push('close asked');
      await released;
      events.push('closed');
    },
  } as unknown as BuildBrowser;
  return { browser, release };
}

describe('closeWhileFinishing', () => {
  it('finishes while the browser closes, and returns only once it is closed', async () => {
    const events: string[] = [];
    const { browser, release } = fakeBrowser(events);
    const result = closeWhileFinishing(
      browser,
      async () => {
        events.push('rendered');
        return 2;
      },
      async (n) => {
        events.push('finishing');
        setImmediate(release);
        return n * 21;
      },
    );
    expect(await result).toBe(42);
    expect(events).toEqual(['rendered', 'close asked', 'finishing', 'closed']);
  });

  it('closes the browser when rendering fails, and does not finish', async () => {
    const events: string[] = [];
    const { browser, release } = fakeBrowser(events);
    release();
    const result = closeWhileFinishing(
      browser,
      async () => {
        throw new Error('render failed');
      },
      async () => events.push('finishing'),
    );
    await expect(result).rejects.toThrow('render failed');
    expect(events).toEqual(['close asked', 'closed']);
  });
});

describe('runBuild and the browser it is lent', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-owner-'));
    mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
    cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
    cpSync(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const options = (out: string): BuildOptions => ({
    kind: targetsForm,
    cwd: dir,
    root: dir,
    dataDir: path.join(dir, 'data'),
    outDir: path.join(dir, out),
    formats: ['html'],
    paths: [],
    jobs: 1,
    failFast: false,
  });

  it('leaves a lent browser open for the next run, which launches no other', async () => {
    const browser = new BuildBrowser({ maxPages: 1 });
    try {
      for (const out of ['out-a', 'out-b']) {
        const opts = options(out);
        const result = await runBuild(await planBuild(opts), opts, {}, { browser });
        expect(result.results.map((r) => r.error)).toEqual([undefined]);
      }
      expect(browser.launches).toBe(1);
      const pool = await browser.pool();
      expect(await pool.withPage(async (page) => page.evaluate(() => 1 + 1))).toBe(2);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
