/**
 * The edit loop as a person lives it: the real `jxmb dev` in a child process, on a free port, over a
 * built project; one department's file saved the way an editor saves it (the whole file written, a real
 * change each time: a duty reworded), and timed from the save to the page being told to reload with the
 * new HTML (the live-reload Server-Sent Event naming it) and to the event naming the new PDF. After each
 * edit the dev server is let go idle, and the steps of its rebuild (its status URL) give the breakdown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { JXMB_BIN } from './measure.ts';

/** What one edit waited for, ms from the save. */
export interface EditTiming {
  /** The reload event naming the new HTML. */
  htmlMs: number;
  /** The event naming the new PDF (it is on disk, served). */
  pdfMs: number;
  /** Steps of the dev server's rebuild, ms from the save (absent: the server did not report it). */
  steps: Partial<Record<EditStep, number>>;
}

/** The rebuild's steps as the dev server reports them (scripts/dev/session.ts RebuildTimes). */
export const EDIT_STEPS = ['changed', 'started', 'planned', 'html', 'pdf', 'index', 'done'] as const;
export type EditStep = (typeof EDIT_STEPS)[number];

export interface EditLoopOptions {
  root: string;
  dataDir: string;
  outDir: string;
  jobs: number;
  /** The file edited, and the text of its n-th save (0-based): a real change each time. */
  file: string;
  textOf: (n: number) => string;
  /** `<year>/<code>`: whose outputs the events must name. */
  edited: string;
  edits: number;
  say: (s: string) => void;
  /** Give up on one event after this long (default 120 s). */
  timeoutMs?: number;
}

const now = (): number => performance.timeOrigin + performance.now();

interface SseEvent {
  event: string;
  data: { changed?: string[] } & Record<string, unknown>;
  at: number;
}

/** Reads the dev server's event stream; `next` waits for the first event matching after `from`. */
async function openEvents(url: string): Promise<{
  next: (pred: (e: SseEvent) => boolean, from: number, ms: number, what: string) => Promise<SseEvent>;
  close: () => void;
}> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`);
  const events: SseEvent[] = [];
  let wake: () => void = () => undefined;
  void (async () => {
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = now();
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data: JSON.parse(data) as SseEvent['data'], at });
        }
        wake();
      }
    } catch {
      // aborted
    }
  })();
  return {
    async next(pred, from, ms, what) {
      const deadline = now() + ms;
      for (;;) {
        const hit = events.find((e) => e.at >= from && pred(e));
        if (hit) return hit;
        if (now() > deadline) throw new Error(`jxmb dev 没有发出 sent no event: ${what}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 200);
          wake = () => (clearTimeout(t), resolve());
        });
      }
    },
    close: () => ac.abort(),
  };
}

/** Starts `jxmb dev` on any free port; resolves with its URL once it prints it. */
function startDev(opts: EditLoopOptions): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    [
      JXMB_BIN,
      'dev',
      '--data',
      opts.dataDir,
      '--out',
      opts.outDir,
      '--port',
      '0',
      '--jobs',
      String(opts.jobs),
      '--lang',
      'en',
    ],
    { cwd: opts.root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  const output = (): string => text;
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer): void => {
      text += b.toString('utf8');
      const url = /(http:\/\/\S+?:\d+\/)/.exec(text)?.[1];
      if (url) resolve({ child, url, output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      reject(new Error(`jxmb dev 退出了 exited (${code ?? signal}):\n${text.trim().split('\n').slice(-8).join('\n')}`)),
    );
  });
}

interface Status {
  building: boolean;
  lastRebuild?: Partial<Record<EditStep, number>> | null;
}

const status = async (url: string): Promise<Status> =>
  (await (await fetch(new URL('__jxmb/status', url))).json()) as Status;

/** Waits until the dev server has been idle for `quietMs` (no rebuild running). */
async function settle(url: string, quietMs: number, timeoutMs: number): Promise<Status> {
  const deadline = now() + timeoutMs;
  let quietSince: number | undefined;
  for (;;) {
    const s = await status(url);
    if (s.building) quietSince = undefined;
    else {
      quietSince ??= now();
      if (now() - quietSince >= quietMs) return s;
    }
    if (now() > deadline) throw new Error('jxmb dev 一直在重新生成 kept rebuilding');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs the edits; the file is left with the last edit's text. */
export async function measureEditLoop(opts: EditLoopOptions): Promise<EditTiming[]> {
  const timeout = opts.timeoutMs ?? 120_000;
  const dev = await startDev(opts);
  const exited = new Promise<never>((_, reject) =>
    dev.child.once('exit', (code, signal) =>
      reject(
        new Error(
          `jxmb dev 退出了 exited (${code ?? signal}):\n${dev.output().trim().split('\n').slice(-8).join('\n')}`,
        ),
      ),
    ),
  );
  exited.catch(() => undefined);
  const html = `/${opts.edited}.html`;
  const pdf = `/${opts.edited}.pdf`;
  const names = (url: string) => (e: SseEvent) => e.event === 'reload' && (e.data.changed ?? []).includes(url);
  try {
    // The first rebuild (over an up-to-date out/: nothing to render) is done before the first save.
    await settle(dev.url, 300, timeout);
    const events = await openEvents(new URL('__jxmb/events', dev.url).href);
    try {
      const timings: EditTiming[] = [];
      for (let n = 0; n < opts.edits; n++) {
        const text = opts.textOf(n);
        const saved = now();
        await fs.writeFile(opts.file, text);
        const h = await Promise.race([events.next(names(html), saved, timeout, `${html} (edit ${n + 1})`), exited]);
        const p = await Promise.race([events.next(names(pdf), saved, timeout, `${pdf} (edit ${n + 1})`), exited]);
        // Idle, and quiet a little longer than the watcher's debounce: the next save starts afresh.
        const s = await Promise.race([settle(dev.url, 250, timeout), exited]);
        const steps: EditTiming['steps'] = {};
        for (const k of EDIT_STEPS) {
          const at = s.lastRebuild?.[k];
          if (typeof at === 'number') steps[k] = at - saved;
        }
        timings.push({ htmlMs: h.at - saved, pdfMs: p.at - saved, steps });
        opts.say(
          `编辑 edit ${n + 1}/${opts.edits}: HTML ${Math.round(h.at - saved)} ms, PDF ${Math.round(p.at - saved)} ms`,
        );
      }
      return timings;
    } finally {
      events.close();
    }
  } finally {
    dev.child.kill('SIGINT');
    await new Promise<void>((resolve) => {
      if (dev.child.exitCode !== null || dev.child.signalCode !== null) return resolve();
      const t = setTimeout(() => dev.child.kill('SIGKILL'), 10_000);
      dev.child.once('exit', () => (clearTimeout(t), resolve()));
    });
  }
}

/** The median of some numbers (for an even count, the mean of the middle two). */
export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length / 2;
  return s.length % 2 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The breakdown of the median edit, step by step, ms: each step's share (from the step before it that
 * the server reported), median over the edits: the save noticed (the first file event), the watcher's
 * debounce, planning (reading and checking), the HTML, the PDF, the index, the rest (xlsx, other kinds).
 */
export function editBreakdown(timings: readonly EditTiming[]): Record<string, number> {
  const out: Record<string, number> = {};
  const part = (name: string, from: EditStep | 'save', to: EditStep): void => {
    const xs = timings.flatMap((t) => {
      const a = from === 'save' ? 0 : t.steps[from];
      const b = t.steps[to];
      return a === undefined || b === undefined ? [] : [b - a];
    });
    if (xs.length) out[name] = Math.round(median(xs));
  };
  part('notify_ms', 'save', 'changed');
  part('debounce_ms', 'changed', 'started');
  part('plan_ms', 'started', 'planned');
  part('html_ms', 'planned', 'html');
  part('pdf_ms', 'html', 'pdf');
  part('index_ms', 'pdf', 'index');
  part('rest_ms', 'index', 'done');
  part('total_ms', 'save', 'done');
  return out;
}
