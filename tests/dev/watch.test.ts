/**
 * `jxmb dev`'s watcher sees every save, however it is made: in place, renamed over (a temporary file,
 * `sed -i`, vim's backup-rename), deleted and made again, in a new year folder, a branch switch, the
 * data folder itself replaced, a template or the settings file — and, after each, the next save too
 * (the old recursive watch went deaf to a file once it had been replaced). `--poll` the same without
 * notifications. Real files in a temporary project; each step waits for the change callback.
 */
import { execFileSync } from 'node:child_process';
import { type FSWatcher, promises as fs, watch as fsWatch } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer } from '../../scripts/dev/serve.ts';
import { devOptions } from './_dev.ts';
import { isNoise, type TreeWatcher, watchTrees } from '../../scripts/dev/watch.ts';
import { runCli } from '../helpers.ts';

const SETTINGS = 'jxmb.settings.yaml';

let dir: string;
let watcher: TreeWatcher | undefined;
let waiters: Array<{ check: () => Promise<boolean>; resolve: () => void }> = [];

/** The watcher over a temporary project: data/ (tree), templates/ (tree), the root (settings only). */
async function start(poll?: number, extra: Partial<Parameters<typeof watchTrees>[0]> = {}): Promise<void> {
  watcher = watchTrees({
    roots: [
      { dir: path.join(dir, 'data'), recursive: true },
      { dir: path.join(dir, 'templates'), recursive: true },
      { dir, recursive: false, accept: (name) => name === SETTINGS },
    ],
    ignore: (abs) => abs.startsWith(path.join(dir, 'data', 'out')),
    onChange: () => {
      for (const w of [...waiters]) {
        void w.check().then((ok) => {
          if (!ok || !waiters.includes(w)) return;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        });
      }
    },
    debounceMs: 40,
    ...(poll ? { poll } : {}),
    log: (s) => {
      throw new Error(`unexpected log: ${s}`);
    },
    ...extra,
  });
  await watcher.ready;
}

/**
 * Runs `act`, then waits for a change callback after which `file` holds `text` (so a late callback of
 * an earlier step does not count for this one). Fails after 20 s: the save was not seen.
 */
async function seen(what: string, act: () => Promise<void> | void, file: string, text: string): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not seen: ${what}`)), 20_000);
    waiters.push({
      check: async () => (await fs.readFile(path.join(dir, file), 'utf8').catch(() => undefined)) === text,
      resolve: () => (clearTimeout(t), resolve()),
    });
  });
  await act();
  await done;
}

const p = (rel: string): string => path.join(dir, rel);
const write = (rel: string, text: string): Promise<void> => fs.writeFile(p(rel), text);
/** Then a plain save of the same file must be seen too. */
const thenInPlace = (rel: string, tag: string): Promise<void> =>
  seen(`${tag}, then in place`, () => write(rel, `${tag}+1`), rel, `${tag}+1`);

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-watch-'));
  await fs.mkdir(p('data/2025'), { recursive: true });
  await fs.mkdir(p('templates/partials'), { recursive: true });
  await write('data/2025/a.yaml', 'a0');
  await write('templates/form.hbs', 't0');
  await write(SETTINGS, 's0');
  waiters = [];
});
afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  await fs.rm(dir, { recursive: true, force: true });
});

describe('every save is seen (change notifications)', () => {
  beforeEach(() => start());

  it('in place, several times', async () => {
    expect(watcher!.mode).toBe('events');
    for (const v of ['a1', 'a2', 'a3']) {
      await seen(`in place ${v}`, () => write('data/2025/a.yaml', v), 'data/2025/a.yaml', v);
    }
  });

  it('renamed over (write a temporary file, rename it onto the file), then in place', async () => {
    const rel = 'data/2025/a.yaml';
    await seen(
      'rename-over',
      async () => {
        await write('data/2025/.a.yaml.12345', 'r1');
        await fs.rename(p('data/2025/.a.yaml.12345'), p(rel));
      },
      rel,
      'r1',
    );
    await thenInPlace(rel, 'r1');
    await seen(
      'rename-over again',
      async () => {
        await write('data/2025/a.yaml.tmp', 'r2');
        await fs.rename(p('data/2025/a.yaml.tmp'), p(rel));
      },
      rel,
      'r2',
    );
    await thenInPlace(rel, 'r2');
  });

  it('sed -i, then in place', async () => {
    const rel = 'data/2025/a.yaml';
    await seen('sed -i', () => void execFileSync('sed', ['-i', 's/a0/sed/', p(rel)]), rel, 'sed');
    await thenInPlace(rel, 'sed');
  });

  it('vim’s backup-rename (file → file~, write anew, drop the backup), then in place', async () => {
    const rel = 'data/2025/a.yaml';
    await seen(
      'backup-rename',
      async () => {
        await write('data/2025/4913', '');
        await fs.rm(p('data/2025/4913'));
        await fs.rename(p(rel), p(`${rel}~`));
        await write(rel, 'vim');
        await fs.rm(p(`${rel}~`));
      },
      rel,
      'vim',
    );
    await thenInPlace(rel, 'vim');
  });

  it('deleted and made again, then in place', async () => {
    const rel = 'data/2025/a.yaml';
    await seen(
      'delete + recreate',
      async () => {
        await fs.rm(p(rel));
        await write(rel, 'new');
      },
      rel,
      'new',
    );
    await thenInPlace(rel, 'new');
  });

  it('a new year folder with files, then saves in it, and another file in it', async () => {
    await seen(
      'new folder',
      async () => {
        await fs.mkdir(p('data/2027'));
        await write('data/2027/b.yaml', 'b0');
      },
      'data/2027/b.yaml',
      'b0',
    );
    await thenInPlace('data/2027/b.yaml', 'b0');
    await seen('another file in the new folder', () => write('data/2027/c.yaml', 'c0'), 'data/2027/c.yaml', 'c0');
    expect(watcher!.watchedDirs()).toContain(p('data/2027'));
  });

  it('a year folder removed and made again (its old watch is dropped, the new one taken)', async () => {
    await seen(
      'folder replaced',
      async () => {
        await fs.rm(p('data/2025'), { recursive: true });
        await fs.mkdir(p('data/2025'));
        await write('data/2025/a.yaml', 'again');
      },
      'data/2025/a.yaml',
      'again',
    );
    await thenInPlace('data/2025/a.yaml', 'again');
  });

  it('the data folder itself removed and made again', async () => {
    await seen(
      'data/ replaced',
      async () => {
        await fs.rm(p('data'), { recursive: true });
        await fs.mkdir(p('data/2025'), { recursive: true });
        await write('data/2025/a.yaml', 'reborn');
      },
      'data/2025/a.yaml',
      'reborn',
    );
    await thenInPlace('data/2025/a.yaml', 'reborn');
  });

  it('git checkout of another branch (files replaced, a folder added and removed), then saves', async () => {
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'main');
    git('checkout', '-q', '-b', 'other');
    await fs.mkdir(p('data/2026'));
    await write('data/2026/b.yaml', 'b-other');
    await write('data/2025/a.yaml', 'a-other');
    git('add', '.');
    git('commit', '-q', '-m', 'other');
    await seen('checkout main', () => void git('checkout', '-q', 'main'), 'data/2025/a.yaml', 'a0');
    await thenInPlace('data/2025/a.yaml', 'a0');
    await write('data/2025/a.yaml', 'a0');
    await seen('checkout other', () => void git('checkout', '-q', 'other'), 'data/2026/b.yaml', 'b-other');
    await thenInPlace('data/2026/b.yaml', 'b-other');
    await thenInPlace('data/2025/a.yaml', 'a-other');
  });

  it('a template renamed over, a new partial, then in place', async () => {
    await seen(
      'template rename-over',
      async () => {
        await write('templates/.form.hbs.swp.tmp', 't1');
        await fs.rename(p('templates/.form.hbs.swp.tmp'), p('templates/form.hbs'));
      },
      'templates/form.hbs',
      't1',
    );
    await thenInPlace('templates/form.hbs', 't1');
    await seen('new partial', () => write('templates/partials/x.hbs', 'x'), 'templates/partials/x.hbs', 'x');
    await thenInPlace('templates/partials/x.hbs', 'x');
  });

  it('the settings file renamed over (an editor’s atomic save), then in place', async () => {
    await seen(
      'settings rename-over',
      async () => {
        await write(`${SETTINGS}.tmp`, 's1');
        await fs.rename(p(`${SETTINGS}.tmp`), p(SETTINGS));
      },
      SETTINGS,
      's1',
    );
    await thenInPlace(SETTINGS, 's1');
  });
});

describe('--poll: the same without notifications', () => {
  beforeEach(() => start(60));

  it('in place (same size), renamed over, a new folder, delete + recreate, the settings', async () => {
    expect(watcher!.mode).toBe('poll');
    expect(watcher!.watchedDirs()).toEqual([]);
    const rel = 'data/2025/a.yaml';
    await seen('same-size save', () => write(rel, 'a1'), rel, 'a1');
    await seen('same-size save again', () => write(rel, 'a2'), rel, 'a2');
    await seen(
      'rename-over',
      async () => {
        await write('data/2025/a.tmp', 'r1');
        await fs.rename(p('data/2025/a.tmp'), p(rel));
      },
      rel,
      'r1',
    );
    await thenInPlace(rel, 'r1');
    await seen(
      'new folder',
      async () => {
        await fs.mkdir(p('data/2027'));
        await write('data/2027/b.yaml', 'b0');
      },
      'data/2027/b.yaml',
      'b0',
    );
    await seen(
      'delete + recreate',
      async () => {
        await fs.rm(p(rel));
        await write(rel, 'new');
      },
      rel,
      'new',
    );
    await seen('settings', () => write(SETTINGS, 's9'), SETTINGS, 's9');
  });
});

describe('when the system will not let us watch', () => {
  const refuse = (code: string, only?: string): typeof fsWatch =>
    ((dir: string, ...rest: unknown[]) => {
      if (only === undefined || dir === only) throw Object.assign(new Error(`${code}: refused`), { code });
      return (fsWatch as (...a: unknown[]) => FSWatcher)(dir, ...rest);
    }) as typeof fsWatch;

  it('inotify’s limit (ENOSPC): says so, polls instead, and saves are still seen', async () => {
    const logs: string[] = [];
    await start(undefined, { watch: refuse('ENOSPC', p('data/2025')), log: (s) => logs.push(s) });
    expect(watcher!.mode).toBe('poll');
    expect(logs.join('\n')).toMatch(/ENOSPC.*inotify.*--poll/);
    await seen('save while polling', () => write('data/2025/a.yaml', 'p1'), 'data/2025/a.yaml', 'p1');
  });

  it('a folder it may not read (EACCES): says so once, the others are still watched', async () => {
    const logs: string[] = [];
    await start(undefined, { watch: refuse('EACCES', p('templates/partials')), log: (s) => logs.push(s) });
    expect(watcher!.mode).toBe('events');
    await seen('save elsewhere', () => write('data/2025/a.yaml', 'e1'), 'data/2025/a.yaml', 'e1');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(p('templates/partials'));
  });
});

describe('what is not a save', () => {
  it('editors’ swap, lock and backup files', () => {
    const noise = ['.a.yaml.swp', '.a.yaml.swx', 'a.yaml~', '4913', '#a.yaml#', '.#a.yaml', 'x.tmp', '.~lock.a.xlsx#'];
    for (const n of noise) {
      expect(isNoise(n), n).toBe(true);
    }
    for (const n of ['a.yaml', 'jxmb.settings.yaml', 'form.hbs', '2027']) expect(isNoise(n), n).toBe(false);
  });
});

describe('jxmb dev --poll', () => {
  it('the server polls when asked, and a new file shows in the terminal', async () => {
    const lines: string[] = [];
    let logged: () => void = () => undefined;
    const server = await startDevServer(
      devOptions(dir, { log: (s) => (lines.push(s), logged()), poll: 60, templatesDir: p('templates') }),
    );
    try {
      await server.idle();
      expect(server.watchMode()).toBe('poll');
      const seenBroken = new Promise<void>((resolve) => {
        logged = () => lines.some((l) => l.includes('data/2025/b.yaml')) && resolve();
      });
      await write('data/2025/b.yaml', 'fiscal_year: [\n');
      await seenBroken;
    } finally {
      await server.close();
    }
  });

  it('takes an optional interval in ms; anything else is a usage error', async () => {
    for (const bad of [['--poll', 'soon'], ['--poll', '10'], ['stray']]) {
      const r = await runCli(['dev', ...bad], dir);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.err).toMatch(/--poll|unexpected argument/);
    }
  });
});
