/**
 * `jxmb dev` in-process against a temporary project, with real Chromium: serve, edit, reload, break,
 * overlay over the last good document, fix, delete; one browser for the whole session.
 */
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PATH, OVERLAY_ID } from '../../scripts/dev/page.ts';
import { type DevServer, PortInUseError, startDevServer } from '../../scripts/dev/serve.ts';
import { devOptions, openEvents } from './_dev.ts';
import { ROOT, runCli, SEED_YAML } from '../helpers.ts';

/**
 * What the server's events carry (scripts/dev/serve.ts broadcasts them): `hello` has the generation and
 * serverId, `reload` the generation and the rest. Tests read the reload fields only on reload events.
 */
interface SseData {
  generation: number;
  serverId?: string;
  changed: string[];
  problemsChanged: boolean;
  errors: number;
}

async function tempProject(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-test-'));
  await fs.mkdir(path.join(dir, 'data/2025'), { recursive: true });
  await fs.copyFile(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
  await fs.copyFile(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  return dir;
}

const DOC = '/2025/zhijiang-swkjgxj.html';
const NAME = '芷江侗族自治县商务科技和工业和信息化局';

describe('jxmb dev server', () => {
  let dir: string;
  let server: DevServer;
  let events: Awaited<ReturnType<typeof openEvents<SseData>>>;
  const log: string[] = [];
  let yamlFile: string;
  let original: string;
  const get = async (p: string): Promise<{ status: number; text: string; type: string }> => {
    const r = await fetch(new URL(p, server.url));
    return { status: r.status, text: await r.text(), type: r.headers.get('content-type') ?? '' };
  };
  /** Writes the source, after marking the event stream so only the events it causes count. */
  const write = async (text: string): Promise<void> => {
    await server.idle();
    events.mark();
    await fs.writeFile(yamlFile, text);
  };

  beforeAll(async () => {
    dir = await tempProject();
    yamlFile = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
    original = await fs.readFile(yamlFile, 'utf8');
    server = await startDevServer(devOptions(dir, { log: (s) => log.push(s), debounceMs: 60 }));
    events = await openEvents<SseData>(new URL(EVENTS_PATH, server.url).href);
    await server.idle();
  });

  afterAll(async () => {
    events?.close();
    await server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the built document with the reload script, which the file in out/ never gets', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const hello = await events.waitFor((e) => e.event === 'hello', 'hello');
    expect(typeof hello.data.serverId).toBe('string');
    const page = await get(DOC);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).toContain(NAME);
    expect(page.text).toContain(EVENTS_PATH);
    expect(page.text).not.toContain(OVERLAY_ID);
    const onDisk = await fs.readFile(path.join(dir, 'out', DOC), 'utf8');
    expect(onDisk).toContain(NAME);
    expect(onDisk).not.toContain('__jxmb');
    // The index is served too (and injected), and fonts come as they are.
    expect((await get('/')).text).toContain(EVENTS_PATH);
    const css = await get('/assets/fonts/fonts.css');
    expect(css.status).toBe(200);
    expect(css.type).toMatch(/^text\/css/);
    expect(css.text).not.toContain('<script');
    // The terminal got the diagnostics as validate prints them.
    const validate = await runCli(['validate', 'data/2025/zhijiang-swkjgxj.yaml'], dir);
    for (const line of validate.out.split('\n').filter((l) => /^data\/.*:\d+:\d+ {2}/.test(l)))
      expect(log.join('\n')).toContain(line);
  });

  it('an edit re-renders the document and sends a reload event naming it', async () => {
    await write(original.replace(`name: ${NAME}`, `name: ${NAME}（改）`));
    const e = await events.waitFor((e) => e.event === 'reload' && e.data.changed.includes(DOC), 'reload after edit');
    expect(e.data.errors).toBe(0);
    // The index is rewritten after the document, and told in an event of its own (or the same one).
    if (!e.data.changed.includes('/index.html'))
      await events.waitFor((e) => e.event === 'reload' && e.data.changed.includes('/index.html'), 'index reload');
    const page = await get(DOC);
    expect(page.text).toContain(`${NAME}（改）`);
  });

  it('a save renamed over the file (sed -i, atomic save) is served, and so is the next save in place', async () => {
    await server.idle();
    events.mark();
    const tmp = `${yamlFile}.12345`;
    await fs.writeFile(tmp, original.replace(`name: ${NAME}`, `name: ${NAME}（换）`));
    /** Reload events naming the document, until it is served with `text` (a late one of before may come first). */
    const servedWith = async (text: string, what: string): Promise<void> => {
      do await events.waitFor((e) => e.event === 'reload' && e.data.changed.includes(DOC), what);
      while (!(await get(DOC)).text.includes(text));
    };
    await fs.rename(tmp, yamlFile);
    await servedWith(`${NAME}（换）`, 'reload after rename-over');
    // The old recursive watch lost the file here: this save went unseen and the page stayed stale.
    await write(original.replace(`name: ${NAME}`, `name: ${NAME}（改）`));
    await servedWith(`${NAME}（改）`, 'reload after the next save');
  });

  it('an invalid file shows the error overlay over the last good document, and keeps its outputs', async () => {
    const broken = original
      .replace(`name: ${NAME}`, `name: ${NAME}（改）`)
      .replace('scoring: { kind: ratio, points: 2 }', 'scoring: { kind: ratio, points: 3 }');
    await write(broken);
    const e = await events.waitFor((e) => e.event === 'reload' && e.data.errors > 0, 'reload with errors');
    expect(e.data.problemsChanged).toBe(true);

    const validate = await runCli(['validate', 'data/2025/zhijiang-swkjgxj.yaml'], dir);
    expect(validate.code).toBe(1);
    const errLine = validate.out.split('\n').find((l) => l.includes('POINTS_TOTAL'))!;
    const where = errLine.split('  ')[0]!;
    expect(where).toMatch(/^data\/2025\/zhijiang-swkjgxj\.yaml:\d+:\d+$/);

    const page = await get(DOC);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`id="${OVERLAY_ID}"`);
    expect(page.text).toContain(where);
    expect(page.text).toContain('POINTS_TOTAL');
    // The last good document is still what is served underneath, and still on disk.
    expect(page.text).toContain(`${NAME}（改）`);
    expect(await fs.readFile(path.join(dir, 'out', DOC), 'utf8')).toContain(`${NAME}（改）`);
    // Every served page carries the overlay, the index too.
    expect((await get('/index.html')).text).toContain(`id="${OVERLAY_ID}"`);
    // The terminal shows it exactly as validate does.
    expect(log.join('\n')).toContain(errLine);
    const status = JSON.parse((await get('/__jxmb/status')).text) as { problems: { code: string }[] };
    expect(status.problems.some((p) => p.code === 'POINTS_TOTAL')).toBe(true);
  });

  it('a YAML syntax error is shown the same way, with its position', async () => {
    await write(original.replace('scoring: { kind: ratio, points: 2 }', 'scoring: { kind: ratio, points: 2'));
    const e = await events.waitFor(
      (e) => e.event === 'reload' && e.data.problemsChanged && e.data.errors > 0,
      'reload with a syntax error',
    );
    expect(e.data.changed).toEqual([]);
    const validate = await runCli(['validate', 'data/2025/zhijiang-swkjgxj.yaml'], dir);
    const first = validate.out.split('\n').find((l) => / {2}error {2}/.test(l))!;
    const [where, , code] = first.split('  ');
    const page = await get(DOC);
    expect(page.text).toContain(where!);
    expect(page.text).toContain(code!);
    expect(page.text).toContain(`${NAME}（改）`);
  });

  it('fixing it re-renders, removes the overlay and reloads', async () => {
    await write(original.replace(`name: ${NAME}`, `name: ${NAME}（再改）`));
    const e = await events.waitFor(
      (e) => e.event === 'reload' && e.data.errors === 0 && e.data.changed.includes(DOC),
      'reload after the fix',
    );
    expect(e.data.problemsChanged).toBe(true);
    const page = await get(DOC);
    expect(page.text).not.toContain(OVERLAY_ID);
    expect(page.text).toContain(`${NAME}（再改）`);
  });

  it('a settings change that alters the form re-renders; a comment or an unchanged save does not', async () => {
    const settings = path.join(dir, 'jxmb.settings.yaml');
    const good = await fs.readFile(settings, 'utf8');
    await server.idle();
    events.mark();
    await fs.writeFile(settings, good.replace(/^date_format: .*$/m, 'date_format: YYYY.MM.DD'));
    await events.waitFor((e) => e.event === 'reload' && e.data.changed.includes(DOC), 'reload after a settings change');
    expect((await get(DOC)).text).toContain('填报日期：2025.12.08');
    await server.idle();
    events.mark();
    await fs.writeFile(settings, good);
    await events.waitFor(
      (e) => e.event === 'reload' && e.data.changed.includes(DOC),
      'reload after restoring the settings',
    );
    expect((await get(DOC)).text).toContain('填报日期：2025.12.8');

    // Neither a comment (the form is the same) nor saving the same bytes renders anything.
    const gen = server.state().generation;
    const before = events.events.length;
    await write((await fs.readFile(yamlFile, 'utf8')) + '# 备注：只是一条注释\n');
    await new Promise((r) => setTimeout(r, 400));
    await server.idle();
    await write(await fs.readFile(yamlFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 400));
    await server.idle();
    expect(server.state().generation).toBe(gen);
    expect(events.events.slice(before).filter((e) => e.event === 'reload')).toEqual([]);
  });

  it('broken settings show in the overlay too, over the last good document; fixing them clears it', async () => {
    const settings = path.join(dir, 'jxmb.settings.yaml');
    const good = await fs.readFile(settings, 'utf8');
    await server.idle();
    events.mark();
    await fs.writeFile(settings, good.replace(/^points_total: 90$/m, 'points_total: abc'));
    await events.waitFor((e) => e.event === 'reload' && e.data.errors > 0, 'reload with a settings error');
    const line = good.split('\n').findIndex((l) => l.startsWith('points_total:')) + 1;
    const page = await get(DOC);
    expect(page.text).toContain(`jxmb.settings.yaml:${line}:15`);
    expect(page.text).toContain('SETTINGS_INVALID');
    expect(page.text).toContain(`${NAME}（再改）`);
    await server.idle();
    events.mark();
    await fs.writeFile(settings, good);
    await events.waitFor((e) => e.event === 'reload' && e.data.errors === 0, 'reload after fixing the settings');
    expect((await get(DOC)).text).not.toContain(OVERLAY_ID);
  });

  it('a new source is built; deleting it removes its outputs', async () => {
    const other = path.join(dir, 'data/2025/other-dept.yaml');
    events.mark();
    await fs.writeFile(
      other,
      original.replace('code: zhijiang-swkjgxj', 'code: other-dept').replace(`name: ${NAME}`, 'name: 某某县测试局'),
    );
    const added = await events.waitFor(
      (e) => e.event === 'reload' && e.data.changed.includes('/2025/other-dept.html'),
      'reload for the new file',
    );
    expect((await get('/2025/other-dept.html')).text).toContain('某某县测试局');
    if (!added.data.changed.includes('/index.html'))
      await events.waitFor((e) => e.event === 'reload' && e.data.changed.includes('/index.html'), 'index reload');
    expect((await get('/')).text).toContain('某某县测试局');
    events.mark();
    await fs.rm(other);
    const gone = await events.waitFor(
      (e) => e.event === 'reload' && e.data.changed.includes('/2025/other-dept.html'),
      'reload after deleting it',
    );
    if (!gone.data.changed.includes('/index.html'))
      await events.waitFor((e) => e.event === 'reload' && e.data.changed.includes('/index.html'), 'index reload');
    expect(existsSync(path.join(dir, 'out/2025/other-dept.html'))).toBe(false);
    expect((await get('/2025/other-dept.html')).status).toBe(404);
    expect((await get('/')).text).not.toContain('某某县测试局');
  });

  it('kept one browser for every rebuild, and refuses paths outside out/', async () => {
    expect(server.state().browserLaunches).toBe(1);
    expect((await get('/../jxmb.settings.yaml')).text).not.toContain('points_total');
    const raw = await new Promise<string>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () =>
        s.write('GET /..%2f..%2fjxmb.settings.yaml HTTP/1.0\r\n\r\n'),
      );
      let b = '';
      s.on('data', (d: Buffer) => (b += d.toString()));
      s.on('end', () => resolve(b));
    });
    expect(raw).not.toContain('points_total');
  });
});

describe('jxmb dev ports', () => {
  const listenAnywhere = (): Promise<net.Server> =>
    new Promise((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    });

  it('takes the next port when the asked one is busy and says so; fails clearly when told not to', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-port-'));
    await fs.mkdir(path.join(dir, 'data'));
    const busy = await listenAnywhere();
    const port = (busy.address() as net.AddressInfo).port;
    const base = devOptions(dir);
    try {
      const s = await startDevServer({ ...base, port, portAttempts: 5 });
      try {
        expect(s.port).not.toBe(port);
        expect(s.portNote).toContain(String(port));
        expect(s.url).toContain(`:${s.port}/`);
      } finally {
        await s.close();
      }
      await expect(startDevServer({ ...base, port, portAttempts: 0 })).rejects.toBeInstanceOf(PortInUseError);
      const r = await runCli(['dev', '--port', String(port)], dir);
      expect(r.code).toBe(69);
      expect(r.err).toContain(`${port}`);
      expect(r.err).toContain('已被占用');
    } finally {
      busy.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('jxmb dev over an up-to-date out/', () => {
  it('renders nothing and starts no browser until something changes', async () => {
    const dir = await tempProject();
    const built = await runCli(['build', '--formats', 'html'], dir);
    expect(built.code).toBe(0);
    const log: string[] = [];
    const server = await startDevServer(devOptions(dir, { log: (s) => log.push(s), debounceMs: 60 }));
    try {
      await server.idle();
      expect(server.state().browserLaunches).toBe(0);
      expect(server.state().generation).toBe(0);
      expect(await fetch(new URL(DOC, server.url)).then((r) => r.text())).toContain(NAME);
      const file = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(`name: ${NAME}`, `name: ${NAME}（新）`));
      for (let i = 0; i < 600 && server.state().generation === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await server.idle();
      expect(server.state().browserLaunches).toBe(1);
      expect(await fetch(new URL(DOC, server.url)).then((r) => r.text())).toContain(`${NAME}（新）`);
    } finally {
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
