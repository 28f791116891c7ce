/**
 * The edit loop behind `jxmb dev`: watch the data, the templates and the settings; rebuild what changed
 * with the build itself (planBuild → runBuild), on one browser the session owns and keeps warm across
 * rebuilds; serve out/ over HTTP; and tell open pages to reload (Server-Sent Events).
 *
 * What is re-rendered is what the build's incremental cache says is stale (a content key per output,
 * recorded beside it): an edited department, or all of them after a template or settings change; an
 * up-to-date out/ costs nothing at start-up, not even a browser launch.
 *
 * Differences from `jxmb build`, on purpose:
 * - a file that fails validation (or fails to render) keeps its last good outputs: the page shows them
 *   under an overlay listing the errors, instead of a 404 while the person is still typing;
 * - the browser stays up between rebuilds;
 * - the reload script and the overlay are added to pages as they are served, never to out/.
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CheckedFile } from '../check/check-file.ts';
import { hasErrors, type LocatedDiagnostic } from '../check/diagnostic.ts';
import type { Lang } from '../check/messages.ts';
import type { OutputFormat } from '../render/outputs.ts';
import { BuildBrowser } from '../build/build-browser.ts';
import { removeOutputs } from '../build/render-document.ts';
import { type BuildOptions, planBuild } from '../build/plan.ts';
import { runBuild } from '../build/run.ts';
import {
  type DevPageState,
  type DevProblem,
  EVENTS_PATH,
  injectDevPage,
  placeholderPage,
  STATUS_PATH,
} from './page.ts';
import { type TreeWatcher, watchTrees } from './watch.ts';
import { SETTINGS_FILE } from '../io/project.ts';
import { locateAll, report } from '../io/report.ts';
import { TEMPLATES_DIR } from '../io/templates.ts';
import { targetsForm } from '../forms/targets.ts';

export interface DevServerOptions {
  cwd: string;
  /** Project root (settings, relative source paths). */
  root: string;
  dataDir: string;
  outDir: string;
  formats: readonly OutputFormat[];
  /** Documents rendered at once. */
  jobs: number;
  host: string;
  /** More names the server may be reached by (a reverse proxy's, an /etc/hosts alias): see hostAllowed. */
  allowedHosts?: readonly string[];
  /** 0: any free port. */
  port: number;
  /** When the port is taken, try up to this many following ports (default 0: fail). */
  portAttempts?: number;
  lang: Lang;
  color: boolean;
  /** Terminal output (diagnostics, rebuild lines). */
  log: (s: string) => void;
  /** Quiet period after the last file event before rebuilding (default 120 ms). */
  debounceMs?: number;
  /** Poll the files every this many ms instead of waiting for change notifications (network shares). */
  poll?: number;
  /** templates/ to watch (default: this installation's). */
  templatesDir?: string;
}

export interface RebuildSummary {
  generation: number;
  /** `<year>/<code>` rendered this time. */
  rendered: string[];
  /** Output files removed (their source was deleted). */
  removed: string[];
  /** URL paths of outputs that changed (`/2025/x.html`). */
  changed: string[];
  errors: number;
  ms: number;
}

export interface DevServer {
  url: string;
  port: number;
  /** Set when the asked port was taken and another was used. */
  portNote?: string;
  /** Rebuilds now (also what the watcher calls); resolves when this rebuild and any queued one are done. */
  rebuild(): Promise<void>;
  /** Resolves when no rebuild is running or queued. */
  idle(): Promise<void>;
  /** How saves are noticed: `events`, or `poll` (asked for, or the system would not let us watch). */
  watchMode(): 'events' | 'poll';
  /** Current problems and generation (for the status endpoint and tests). */
  state(): DevPageState & { building: boolean; browserLaunches: number };
  /** Stops watching, ends the event streams, closes the server and the browser. Idempotent. */
  close(): Promise<void>;
}

/** Raised when the port cannot be listened on: the command turns it into one clear message. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`端口 ${host}:${port} 已被占用 port ${port} on ${host} is already in use`);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** `Host: name:port` → `name` (lower case, no trailing dot, IPv6 without brackets). */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']')) : h.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

const isLoopback = (name: string): boolean =>
  name === 'localhost' ||
  name.endsWith('.localhost') ||
  name === '::1' ||
  (isIP(name) === 4 && name.startsWith('127.'));

/**
 * Whether a request's Host header names this server. Binding to loopback is not enough: through DNS
 * rebinding a web page's own name (`evil.example`) comes to resolve to 127.0.0.1, and its scripts can
 * then read the served documents (their data) and the event stream. A browser always sends the name
 * it used, so only names that cannot be rebound are accepted: `localhost` (and `*.localhost`), loopback
 * addresses, the `--host` given, and `allowed`. When listening beyond loopback (`--host 0.0.0.0`), also
 * any IP address and this machine's name: a page can only be rebound to a name, never to an address.
 * The port is not compared (an SSH tunnel or a proxy may forward another one).
 */
export function hostAllowed(header: string | undefined, bound: string, allowed: readonly string[] = []): boolean {
  // HTTP/1.1 requires Host (Node answers 400 without it); an HTTP/1.0 tool without one is no browser.
  if (header === undefined) return true;
  const name = hostName(header);
  if (!name) return false;
  const boundName = hostName(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  if (isLoopback(name) || name === boundName || allowed.some((a) => hostName(a) === name)) return true;
  if (isLoopback(boundName)) return false;
  const me = os.hostname().toLowerCase();
  return isIP(name) !== 0 || name === me || name === `${me}.local`;
}

const docKey = (d: { fiscalYear: number; code: string }): string => `${d.fiscalYear}/${d.code}`;
const time = (): string => new Date().toTimeString().slice(0, 8);

/** Starts watching and serving; the first rebuild starts at once (await `idle()` for it). */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const serverId = `${process.pid}-${Date.now().toString(36)}`;
  const log = opts.log;
  let generation = 0;
  let problems: DevProblem[] = [];
  let problemsKey = '[]';
  let building = false;
  let closed = false;
  /** The session's browser: lent to every rebuild, closed by close() alone. */
  const browser = new BuildBrowser({
    onRelaunch: (reason) => log(`jxmb dev: 浏览器意外退出，已重新启动 the browser died (${reason}); relaunched`),
  });
  /** Where each source's outputs are, by source path relative to the root: to remove them when it goes. */
  const targets = new Map<string, { fiscalYear: number; code: string }>();
  /** Source texts as last seen, by checked file name: to print only what changed. */
  const seen = new Map<string, string>();
  const clients = new Set<http.ServerResponse>();

  /** Every rebuild is a full build of the data folder, never stopping at a failure. */
  const buildOptions: BuildOptions = {
    kind: targetsForm,
    cwd: opts.cwd,
    root: opts.root,
    dataDir: opts.dataDir,
    outDir: opts.outDir,
    formats: opts.formats,
    paths: [],
    jobs: opts.jobs,
    failFast: false,
  };
  const pageState = (): DevPageState => ({ generation, serverId, problems });

  // ---- rebuild ----

  async function rebuildOnce(): Promise<RebuildSummary> {
    const started = Date.now();
    // With formats, the plan compares each output's content key with the one recorded beside it (the
    // build's incremental cache): `todo` is what is stale. A first rebuild over an up-to-date out/ renders
    // nothing and starts no browser.
    const plan = await planBuild(buildOptions);

    // The terminal: diagnostics of files that changed since last time (all of them the first time).
    const changedFiles = plan.checked.filter((c) => seen.get(c.file) !== c.source.text);
    const settingsChanged = seen.get(SETTINGS_FILE) !== plan.settings.text;
    for (const c of plan.checked) seen.set(c.file, c.source.text);
    seen.set(SETTINGS_FILE, plan.settings.text);
    if (changedFiles.length || (settingsChanged && plan.settings.diagnostics.length)) {
      report(changedFiles, settingsChanged ? plan.settings : undefined, {
        format: 'text',
        lang: opts.lang,
        color: opts.color,
        out: log,
        summary: false,
      });
    }

    const removed: string[] = [];
    const renderedNow: string[] = [];
    const changedUrls = new Set<string>();
    const renderFailures: DevProblem[] = [];
    const urlOf = (abs: string): string => '/' + path.relative(opts.outDir, abs).split(path.sep).join('/');

    // Sources that are gone: their outputs go too (a source that merely fails keeps its last good ones).
    const present = new Set(plan.checked.map((c) => path.resolve(opts.cwd, c.file)));
    for (const [source, target] of targets) {
      if (present.has(path.resolve(opts.root, source))) continue;
      removed.push(...(await removeOutputs(opts.outDir, target)));
      targets.delete(source);
    }
    // A source whose department code or year changed: the outputs under the old name go.
    for (const d of plan.documents) {
      const before = targets.get(d.source);
      if (before && docKey(before) !== docKey(d.model)) removed.push(...(await removeOutputs(opts.outDir, before)));
      targets.set(d.source, { fiscalYear: d.model.fiscalYear, code: d.model.code });
    }

    // The build itself, on the session's browser (kept warm across rebuilds, closed by the session).
    // Unlike `jxmb build`, a source that fails keeps its last good outputs: the overlay says why they
    // are not current. The index is compared before and after, to tell open pages whether it changed.
    const indexFile = path.join(opts.outDir, 'index.html');
    const stamp = async (): Promise<string> => {
      const st = await fs.stat(indexFile).catch(() => undefined);
      return st ? `${st.mtimeMs}:${st.ino}:${st.size}` : '';
    };
    const before = await stamp();
    const built = await runBuild(
      plan,
      buildOptions,
      {},
      { browser, keepFailed: true, stop: () => closed, emptyIndex: false },
    );
    removed.push(...built.removed);
    for (const r of built.results) {
      if (r.error) {
        renderFailures.push({ renderFailure: { source: r.doc.source, message: r.error.message.split('\n')[0]! } });
        log(`${r.doc.source}: 生成失败 rendering failed: ${r.error.message.split('\n')[0]}`);
        continue;
      }
      renderedNow.push(docKey(r.doc.model));
      for (const f of r.written) changedUrls.add(urlOf(f));
    }
    if ((await stamp()) !== before) changedUrls.add('/index.html');
    for (const f of removed) changedUrls.add(urlOf(f));

    // The overlay: every diagnostic of the files (and settings) that have errors, and render failures.
    const failing = plan.checked.filter(
      (c) => hasErrors(c.diagnostics) || (plan.settingsFailed && c.diagnostics.length),
    );
    const located = locateAll(failing, hasErrors(plan.settings.diagnostics) ? plan.settings : undefined, opts.lang);
    const texts = new Map<string, string>(plan.checked.map((c: CheckedFile) => [c.file, c.source.text]));
    if (plan.settings.file) texts.set(plan.settings.file, plan.settings.text);
    const bySeverity = (a: LocatedDiagnostic, b: LocatedDiagnostic): number =>
      a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1;
    const next: DevProblem[] = [
      ...located
        .sort(bySeverity)
        .map((d) => ({ diagnostic: d, ...(texts.get(d.file) ? { text: texts.get(d.file)! } : {}) })),
      ...renderFailures,
    ];
    const nextKey = JSON.stringify(next.map((p) => p.diagnostic ?? p.renderFailure));
    const problemsChanged = nextKey !== problemsKey;
    problems = next;
    problemsKey = nextKey;
    const errors = next.filter((p) => p.renderFailure || p.diagnostic?.severity === 'error').length;

    if (changedUrls.size || problemsChanged) {
      generation++;
      broadcast('reload', { generation, changed: [...changedUrls].sort(), problemsChanged, errors });
    }
    const ms = Date.now() - started;
    if (renderedNow.length || removed.length || problemsChanged) {
      const parts: string[] = [];
      if (renderedNow.length)
        parts.push(
          `已生成 rebuilt ${renderedNow.length > 3 ? `${renderedNow.length} 个部门 departments` : renderedNow.join(', ')}`,
        );
      if (removed.length) parts.push(`删除 removed ${removed.length} 个旧输出 stale files`);
      if (errors)
        parts.push(
          `${errors} 个错误，页面保留上次成功的结果 ${errors} error${errors === 1 ? '' : 's'}: pages keep the last good output`,
        );
      else if (problemsChanged && !renderedNow.length) parts.push('错误已改正 errors fixed');
      log(`[${time()}] ${parts.join('；')}（${(ms / 1000).toFixed(1)} 秒）`);
    }
    const summary: RebuildSummary = {
      generation,
      rendered: renderedNow,
      removed,
      changed: [...changedUrls].sort(),
      errors,
      ms,
    };
    return summary;
  }

  // One rebuild at a time; changes during a rebuild queue exactly one more.
  let running: Promise<void> | undefined;
  let queued = false;
  const rebuild = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running) {
      queued = true;
      return running;
    }
    building = true;
    running = (async () => {
      try {
        do {
          queued = false;
          try {
            await rebuildOnce();
          } catch (e) {
            if (closed) return;
            // An environment problem (no browser, disk full): say it, keep serving, try again on the next change.
            log(`jxmb dev: 重新生成失败 rebuild failed: ${(e as Error).message}`);
          }
        } while (queued && !closed);
      } finally {
        building = false;
        running = undefined;
      }
    })();
    return running;
  };
  const idle = async (): Promise<void> => {
    while (running) await running;
  };

  // ---- watch ----

  // Every save is seen, however it is made (see dev-watch.ts); a burst of them is one rebuild.
  const insideOut = (abs: string): boolean => {
    const rel = path.relative(opts.outDir, abs);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const watcher: TreeWatcher = watchTrees({
    roots: [
      { dir: opts.dataDir, recursive: true },
      { dir: opts.templatesDir ?? TEMPLATES_DIR, recursive: true },
      { dir: opts.root, recursive: false, accept: (name) => name === SETTINGS_FILE },
    ],
    ignore: insideOut,
    onChange: () => void rebuild(),
    debounceMs: opts.debounceMs ?? 120,
    ...(opts.poll ? { poll: opts.poll } : {}),
    log,
  });

  // ---- serve ----

  function broadcast(event: string, data: unknown): void {
    const msg = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of clients) res.write(msg);
  }

  async function serveFile(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): Promise<void> {
    const rel = path.normalize(urlPath).replace(/^([\\/])+/, '');
    const abs = path.join(opts.outDir, rel);
    if (path.relative(opts.outDir, abs).startsWith('..'))
      return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
    let file = abs;
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat?.isDirectory()) file = path.join(file, 'index.html');
    const body = await fs.readFile(file).catch(() => undefined);
    const state = pageState();
    if (!body) {
      const first = building && generation === 0;
      const page = placeholderPage(
        first ? '正在生成… building…' : '没有这个文件 not found',
        first
          ? '第一次生成还在进行，完成后本页自动刷新。The first build is running; this page reloads when it is done.'
          : `${urlPath} 不在 out/ 中（也许该部门的数据有错误，还没有成功生成过）。` +
              `${urlPath} is not in out/ (perhaps its data has errors and it never built).`,
        state,
      );
      return send(res, first ? 200 : 404, CONTENT_TYPES['.html']!, page, req.method === 'HEAD');
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    if (type.startsWith('text/html'))
      return send(res, 200, type, injectDevPage(body.toString('utf8'), state), req.method === 'HEAD');
    return send(res, 200, type, body, req.method === 'HEAD');
  }

  function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, head = false): void {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { 'content-type': type, 'content-length': buf.length, 'cache-control': 'no-store' });
    res.end(head ? undefined : buf);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      // Before anything, the event stream and the status included: see hostAllowed (DNS rebinding).
      if (!hostAllowed(req.headers.host, opts.host, opts.allowedHosts)) {
        const host = JSON.stringify(req.headers.host ?? '')
          .slice(1, -1)
          .slice(0, 100);
        const msg =
          `jxmb dev: 拒绝访问：Host “${host}” 不是本服务器的地址（防 DNS 重绑定）。` +
          `请用 http://localhost:${port ?? ''}/ 打开，` +
          '或用 --allow-host 名称 允许该名称。\n' +
          `Forbidden: Host "${host}" does not name this server (DNS rebinding); ` +
          `open it as localhost, or allow the name with --allow-host.\n`;
        return send(res, 403, 'text/plain; charset=utf-8', msg);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
      if (url.pathname === EVENTS_PATH) {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ serverId, generation })}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (url.pathname === STATUS_PATH) {
        const s = pageState();
        return send(
          res,
          200,
          CONTENT_TYPES['.json']!,
          JSON.stringify({
            generation: s.generation,
            serverId,
            building,
            problems: s.problems.map((p) => p.diagnostic ?? p.renderFailure),
          }),
        );
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(url.pathname);
      } catch {
        return send(res, 400, 'text/plain; charset=utf-8', 'bad request');
      }
      return serveFile(req, res, decoded);
    })().catch((e: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `jxmb dev: ${e.message}`);
      else res.end();
    });
  });
  // Keep-alive comments, so proxies and browsers do not drop an idle event stream.
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        server.off('listening', onListening);
        reject(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? new PortInUseError(opts.host, port) : e);
      };
      const onListening = (): void => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, opts.host);
    });

  let port: number | undefined;
  let portNote: string | undefined;
  try {
    const attempts = opts.port === 0 ? 0 : (opts.portAttempts ?? 0);
    for (let i = 0; ; i++) {
      try {
        port = await listen(opts.port + i);
        break;
      } catch (e) {
        if (!(e instanceof PortInUseError) || i >= attempts) throw e;
      }
    }
    if (port !== opts.port && opts.port !== 0)
      portNote = `端口 ${opts.port} 已被占用，改用 ${port} port ${opts.port} is in use; using ${port}`;
  } catch (e) {
    closed = true;
    watcher.close();
    clearInterval(heartbeat);
    throw e;
  }
  await watcher.ready;

  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? 'localhost' : opts.host;
  void rebuild();

  return {
    url: `http://${hostForUrl}:${port}/`,
    port,
    ...(portNote ? { portNote } : {}),
    rebuild,
    idle,
    watchMode: () => watcher.mode,
    state: () => ({ ...pageState(), building, browserLaunches: browser.launches }),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      watcher.close();
      for (const res of clients) res.end();
      clients.clear();
      server.closeAllConnections();
      try {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        // A rebuild in flight finishes its current documents (their pages are the pool's) before the browser goes.
        await running?.catch(() => undefined);
      } finally {
        await browser.close();
      }
    },
  };
}
