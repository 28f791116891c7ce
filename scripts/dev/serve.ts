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
 *
 * This file only wires the parts: the rebuild session (session.ts), the watcher (watch.ts), the request
 * handler (http.ts), the event streams (live-reload.ts) and the port (listen.ts).
 */
import http from 'node:http';
import path from 'node:path';
import { SETTINGS_FILE } from '../io/project.ts';
import { TEMPLATES_DIR } from '../io/templates.ts';
import { devRequestListener } from './http.ts';
import { listenNear } from './listen.ts';
import { LiveReload } from './live-reload.ts';
import type { DevPageState } from './page.ts';
import { DevSession, type DevSessionOptions } from './session.ts';
import { type TreeWatcher, watchTrees } from './watch.ts';

export { hostAllowed } from './host.ts';
export { PortInUseError } from './listen.ts';
export type { RebuildSummary } from './session.ts';

/** What `jxmb dev` builds, where it serves it, and how it watches. */
export interface DevServerOptions extends DevSessionOptions {
  host: string;
  /** More names the server may be reached by (a reverse proxy's, an /etc/hosts alias): see hostAllowed. */
  allowedHosts?: readonly string[];
  /** 0: any free port. */
  port: number;
  /** When the port is taken, try up to this many following ports (default 0: fail). */
  portAttempts?: number;
  /**
   * Quiet period after the last file event before rebuilding (default 40 ms: an editor's save is a
   * few events within a millisecond or two; a longer burst, a branch switch, queues one more rebuild).
   */
  debounceMs?: number;
  /** Poll the files every this many ms instead of waiting for change notifications (network shares). */
  poll?: number;
  /** templates/ to watch (default: this installation's). */
  templatesDir?: string;
}

/** A running dev server. */
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

/** Starts watching and serving; the first rebuild starts at once (await `idle()` for it). */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  // Tells open pages a restarted server from this one (they reload on a new id).
  const serverId = `${process.pid}-${Date.now().toString(36)}`;
  const events = new LiveReload();
  const session = new DevSession(opts, (e) => events.send('reload', e));
  const pageState = (): DevPageState => ({ generation: session.generation, serverId, problems: session.problems });

  // Every save is seen, however it is made (see watch.ts); a burst of them is one rebuild. out/ is ours.
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
    onChange: (change) => void session.rebuild(change),
    debounceMs: opts.debounceMs ?? 40,
    ...(opts.poll ? { poll: opts.poll } : {}),
    log: opts.log,
  });

  const server = http.createServer(
    devRequestListener({
      outDir: opts.outDir,
      host: opts.host,
      allowedHosts: opts.allowedHosts,
      state: () => ({ ...pageState(), building: session.building, lastRebuild: session.lastRebuild }),
      events,
    }),
  );
  const bound = await listenNear(server, opts.host, opts.port, opts.portAttempts).catch(async (e: unknown) => {
    // Nothing was served and no rebuild started: stop the watcher and the keep-alive (no browser yet).
    watcher.close();
    events.close();
    await session.close();
    throw e;
  });
  await watcher.ready;

  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? 'localhost' : opts.host;
  void session.rebuild();

  return {
    url: `http://${hostForUrl}:${bound.port}/`,
    ...bound,
    rebuild: () => session.rebuild(),
    idle: () => session.idle(),
    watchMode: () => watcher.mode,
    state: () => ({ ...pageState(), building: session.building, browserLaunches: session.browserLaunches }),
    async close() {
      if (session.closed) return;
      // First, so that no rebuild starts from here; the browser closes once the one in flight is done.
      const sessionClosed = session.close();
      watcher.close();
      events.close();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), sessionClosed]);
    },
  };
}
