/**
 * The event streams of the open pages (Server-Sent Events): each is greeted with `hello` (the server's
 * id and generation, so a page built before a restart or a rebuild reloads), then hears every `reload`.
 */
import type http from 'node:http';

/** Every open event stream, and the keep-alive that holds them open. */
export class LiveReload {
  readonly #clients = new Set<http.ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor() {
    // Keep-alive comments, so proxies and browsers do not drop an idle event stream.
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(': keep-alive\n\n');
    }, 15_000);
    // An open stream must not keep the process alive after close().
    this.#heartbeat.unref();
  }

  /** Answers `req` with an event stream that starts with `hello` and lives until the page goes. */
  open(req: http.IncomingMessage, res: http.ServerResponse, hello: unknown): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
    this.#clients.add(res);
    req.on('close', () => this.#clients.delete(res));
  }

  /** Sends one event to every open page. */
  send(event: string, data: unknown): void {
    const msg = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.#clients) res.write(msg);
  }

  /** Ends every stream and the keep-alive (the server cannot close while a stream is open). Idempotent. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}
