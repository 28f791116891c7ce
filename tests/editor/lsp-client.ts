/**
 * A minimal Language Server Protocol client over stdio, enough to drive yaml-language-server the way
 * an editor does: requests with ids, notifications, and answers to the server's own requests.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

type Message = { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
type Waiter = { match: (m: Message) => boolean; resolve: (m: Message) => void };

/** One running server; `settings` answers its workspace/configuration requests. */
export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private readonly waiters: Waiter[] = [];
  /** Notifications seen so far, so a wait can be satisfied by one that arrived before it was asked for. */
  readonly notifications: Message[] = [];
  stderr = '';

  constructor(
    command: string,
    args: string[],
    private readonly settings: Record<string, unknown>,
  ) {
    this.child = spawn(command, args, { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Sends a request and resolves with its result, of the shape the caller expects (`T`, unchecked). */
  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.write({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve: (r) => resolve(r as T), reject }));
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the params of the first notification (received or still to come) that matches. */
  waitFor<T>(method: string, match: (params: T) => boolean): Promise<T> {
    const matches = (m: Message): boolean => m.method === method && match(m.params as T);
    const seen = this.notifications.find(matches);
    if (seen) return Promise.resolve(seen.params as T);
    return new Promise((resolve) => this.waiters.push({ match: matches, resolve: (m) => resolve(m.params as T) }));
  }

  async close(): Promise<void> {
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(m: Message): void {
    if (m.method && m.id !== undefined) {
      // The server asks us: configuration gets our settings per section; everything else is acknowledged.
      const result =
        m.method === 'workspace/configuration'
          ? (m.params as { items: Array<{ section?: string }> }).items.map((i) =>
              i.section ? this.settings[i.section] : null,
            )
          : null;
      this.write({ jsonrpc: '2.0', id: m.id, result });
    } else if (m.method) {
      this.notifications.push(m);
      for (const w of this.waiters.filter((x) => x.match(m))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    } else if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error.message));
      else p?.resolve(m.result);
    }
  }
}
