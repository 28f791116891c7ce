/**
 * Serving out/ as it is on disk, with what `jxmb dev` adds to a page on its way out (the reload script,
 * the overlay) and never to the file; a missing file gets a placeholder page that reloads when it is built.
 */
import type { RebuildTimes } from './session.ts';
import { promises as fs } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { type DevPageState, injectDevPage, placeholderPage } from './page.ts';

/** What a served page is stamped with, and whether a rebuild is running (the first one: a placeholder). */
export type ServedState = DevPageState & { building: boolean; lastRebuild?: RebuildTimes | undefined };

/** Content types by extension: only what out/ holds; anything else is served as bytes. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** The plain-text type of the server's own short answers (403, 405, 400, 500). */
export const TEXT = 'text/plain; charset=utf-8';

/** Sends a whole body; never cached, since every rebuild may change it under the same URL. */
export function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  head = false,
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': type, 'content-length': buf.length, 'cache-control': 'no-store' });
  res.end(head ? undefined : buf);
}

/** Answers a GET or HEAD for `urlPath` (decoded) from `outDir`; never anything outside it. */
export async function serveFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  outDir: string,
  urlPath: string,
  state: () => ServedState,
): Promise<void> {
  const head = req.method === 'HEAD';
  const rel = path.normalize(urlPath).replace(/^([\\/])+/, '');
  const abs = path.join(outDir, rel);
  if (path.relative(outDir, abs).startsWith('..')) return send(res, 403, TEXT, 'forbidden');
  let file = abs;
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat?.isDirectory()) file = path.join(file, 'index.html');
  const body = await fs.readFile(file).catch(() => undefined);
  // Read after the file, so the page is stamped with a generation no older than what it shows.
  const { building, ...page } = state();
  if (!body) {
    const first = building && page.generation === 0;
    const placeholder = first
      ? placeholderPage(
          '正在生成… building…',
          '第一次生成还在进行，完成后本页自动刷新。The first build is running; this page reloads when it is done.',
          page,
        )
      : placeholderPage(
          '没有这个文件 not found',
          `${urlPath} 不在 out/ 中（也许该部门的数据有错误，还没有成功生成过）。` +
            `${urlPath} is not in out/ (perhaps its data has errors and it never built).`,
          page,
        );
    return send(res, first ? 200 : 404, CONTENT_TYPES['.html']!, placeholder, head);
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (type.startsWith('text/html')) return send(res, 200, type, injectDevPage(body.toString('utf8'), page), head);
  return send(res, 200, type, body, head);
}
