/**
 * Chromium profile folders (`<tmpdir>/jxmb-chrome-*`) left by a build that was killed outright are
 * removed when the next browser starts; one in use by a live build never is.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBrowser } from '../../scripts/browser/find.ts';
import { BrowserPool } from '../../scripts/browser/pool.ts';

const base = mkdtempSync(path.join(os.tmpdir(), 'jxmb-profiles-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe.runIf(process.platform === 'linux')('stale Chromium profiles', () => {
  it('the first launch removes those of ended processes, keeps live ones’, names its own with its pid', async () => {
    const tmp = path.join(base, 'tmp');
    const dead = path.join(tmp, `jxmb-chrome-${deadPid()}-aB3dE6`);
    const live = path.join(tmp, `jxmb-chrome-${process.pid}-Zy9xW8`);
    const oldUnowned = path.join(tmp, 'jxmb-chrome-q1W2e3');
    const newUnowned = path.join(tmp, 'jxmb-chrome-r4T5y6');
    const other = path.join(tmp, 'jxmb-chrome-notes');
    for (const d of [dead, live, oldUnowned, newUnowned, other]) {
      mkdirSync(path.join(d, 'Default'), { recursive: true });
    }
    // A profile named the old way (no pid) is removed only once it is a while old and nobody uses it.
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(oldUnowned, hourAgo, hourAgo);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const pool = new BrowserPool({ executablePath: (await requireBrowser()).path });
    try {
      await pool.browser();
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(oldUnowned)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(newUnowned)).toBe(true);
      expect(existsSync(other)).toBe(true);
      const mine = (n: string): boolean => n.startsWith(`jxmb-chrome-${process.pid}-`) && path.join(tmp, n) !== live;
      const own = readdirSync(tmp).filter(mine);
      expect(own).toHaveLength(1);
    } finally {
      await pool.close();
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
