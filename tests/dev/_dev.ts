/** What every dev-server test starts with: a project in `dir`, HTML only, one page, any free port. */
import path from 'node:path';
import { expect } from 'vitest';
import type { DevServerOptions } from '../../scripts/dev/serve.ts';

export const devOptions = (dir: string, more: Partial<DevServerOptions> = {}): DevServerOptions => ({
  cwd: dir,
  root: dir,
  dataDir: path.join(dir, 'data'),
  outDir: path.join(dir, 'out'),
  formats: ['html'],
  jobs: 1,
  host: '127.0.0.1',
  port: 0,
  lang: 'zh',
  color: false,
  log: () => undefined,
  ...more,
});

/** One Server-Sent Event of the dev server: its name and its JSON data. */
export interface DevEvent<D> {
  event: string;
  data: D;
}

/** Reads a Server-Sent Events stream; `waitFor` returns the first event (seen or coming) matching. */
export async function openEvents<D>(url: string) {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: DevEvent<D>[] = [];
  const waiters: { pred: (e: DevEvent<D>) => boolean; resolve: (e: DevEvent<D>) => void }[] = [];
  let used = 0;
  void (async () => {
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          const e = { event, data: JSON.parse(data) as D };
          events.push(e);
          for (const w of [...waiters]) {
            if (!w.pred(e)) continue;
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(e);
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    /** Forget what came so far: the next waitFor only sees later events. */
    mark(): void {
      used = events.length;
    },
    /** The first event after the ones already consumed that matches. */
    waitFor(pred: (e: DevEvent<D>) => boolean, what: string, ms = 60_000): Promise<DevEvent<D>> {
      const hit = events.slice(used).find(pred);
      if (hit) {
        used = events.indexOf(hit) + 1;
        return Promise.resolve(hit);
      }
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no SSE event: ${what}; got ${JSON.stringify(events)}`)), ms);
        waiters.push({ pred, resolve: (e) => (clearTimeout(t), (used = events.indexOf(e) + 1), resolve(e)) });
      });
    },
    close: () => ac.abort(),
  };
}
