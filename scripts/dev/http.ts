/**
 * One request to the dev server: the Host check first (DNS rebinding), then the dev server's own URLs
 * (the event stream, the status) and otherwise a file of out/. Errors become a short 500, never a crash.
 */
import type http from 'node:http';
import { hostAllowed } from './host.ts';
import type { LiveReload } from './live-reload.ts';
import { EVENTS_PATH, STATUS_PATH } from './page.ts';
import { CONTENT_TYPES, send, serveFile, type ServedState, TEXT } from './serve-files.ts';

/** What the request handler reads: where out/ is, which names it answers to, the session's state. */
export interface DevRequestContext {
  outDir: string;
  /** The address listened on (`--host`), and more names to accept: see hostAllowed. */
  host: string;
  allowedHosts?: readonly string[] | undefined;
  state: () => ServedState;
  events: LiveReload;
}

/** The 403 for a foreign Host, saying how to open the page instead (the header is escaped and cut short). */
function foreignHost(req: http.IncomingMessage): string {
  const host = JSON.stringify(req.headers.host ?? '')
    .slice(1, -1)
    .slice(0, 100);
  return (
    `jxmb dev: 拒绝访问：Host “${host}” 不是本服务器的地址（防 DNS 重绑定）。` +
    `请用 http://localhost:${req.socket.localPort ?? ''}/ 打开，` +
    '或用 --allow-host 名称 允许该名称。\n' +
    `Forbidden: Host "${host}" does not name this server (DNS rebinding); ` +
    `open it as localhost, or allow the name with --allow-host.\n`
  );
}

async function answer(ctx: DevRequestContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // Before anything, the event stream and the status included: see hostAllowed (DNS rebinding).
  if (!hostAllowed(req.headers.host, ctx.host, ctx.allowedHosts)) return send(res, 403, TEXT, foreignHost(req));
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, TEXT, 'method not allowed');
  if (url.pathname === EVENTS_PATH) {
    const { serverId, generation } = ctx.state();
    return ctx.events.open(req, res, { serverId, generation });
  }
  if (url.pathname === STATUS_PATH) {
    const s = ctx.state();
    const status = {
      generation: s.generation,
      serverId: s.serverId,
      building: s.building,
      problems: s.problems.map((p) => p.diagnostic ?? p.renderFailure),
      // When the last rebuild's steps were done (epoch ms): what `jxmb bench` breaks the edit loop into.
      lastRebuild: s.lastRebuild ?? null,
    };
    return send(res, 200, CONTENT_TYPES['.json']!, JSON.stringify(status));
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, TEXT, 'bad request');
  }
  return serveFile(req, res, ctx.outDir, decoded, ctx.state);
}

/** The dev server's request listener. */
export function devRequestListener(ctx: DevRequestContext): http.RequestListener {
  return (req, res) => {
    answer(ctx, req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, TEXT, `jxmb dev: ${e.message}`);
      else res.end();
    });
  };
}
