/**
 * Memory and browser processes of a process tree, sampled from /proc (Linux): a node process and the
 * Chromium it starts. Elsewhere the sampler reports nothing (peak 0, unknown).
 *
 * Summing VmRSS over the tree counts pages shared between Chromium's processes more than once, so the
 * figure is an upper bound of what the tree really holds: the honest side to err on for a memory target.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface TreeSample {
  /** Sum of VmRSS over the tree, bytes. */
  rss: number;
  /** Sum of Pss (shared pages divided among their users), bytes; only when asked (costly to read). */
  pss?: number;
  /** Processes in the tree. */
  processes: number;
  /** Processes in the tree that are a Chrome/Chromium. */
  browsers: number;
}

export interface TreeReport {
  /** Whether /proc could be read at all. */
  supported: boolean;
  peakRssBytes: number;
  /** Peak sum of Pss, bytes (0 unless sampled). */
  peakPssBytes: number;
  peakProcesses: number;
  /** A Chrome/Chromium process was seen in the tree in some sample. */
  sawBrowser: boolean;
  samples: number;
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process exited between listing and reading
  }
};

/** pid → parent pid and command name, for every process now. */
function processTable(): Map<number, { ppid: number; comm: string }> {
  const table = new Map<number, { ppid: number; comm: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    table.set(Number(name), { ppid, comm });
  }
  return table;
}

const BROWSER_COMM = /chrom|headless_shell|headless-shell/i;

/** One sample of the tree rooted at `root`; `pss` also reads each process's smaps_rollup (milliseconds each). */
export function sampleTree(root: number, pss = false): TreeSample {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const members: number[] = [];
  const stack = table.has(root) ? [root] : [];
  while (stack.length) {
    const pid = stack.pop()!;
    members.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  let rss = 0;
  let pssSum = 0;
  let browsers = 0;
  for (const pid of members) {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(read(`/proc/${pid}/status`) ?? '');
    if (m) rss += Number(m[1]) * 1024;
    if (pss) pssSum += Number(/^Pss:\s+(\d+)\s+kB/m.exec(read(`/proc/${pid}/smaps_rollup`) ?? '')?.[1] ?? 0) * 1024;
    if (BROWSER_COMM.test(table.get(pid)!.comm)) browsers++;
  }
  return { rss, processes: members.length, browsers, ...(pss ? { pss: pssSum } : {}) };
}

export interface SamplerOptions {
  /** Default 50 ms. */
  everyMs?: number;
  /** Also sum Pss every this many samples (0: never, the default: reading it perturbs what is measured). */
  pssEvery?: number;
}

/** Samples the tree of `root` every `everyMs` until stopped. */
export class TreeSampler {
  readonly #root: number;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #supported = process.platform === 'linux' && existsSync('/proc/self/status');
  readonly #pssEvery: number;
  #report: TreeReport;

  constructor(root: number, opts: SamplerOptions = {}) {
    const everyMs = opts.everyMs ?? 50;
    this.#pssEvery = opts.pssEvery ?? 0;
    this.#root = root;
    this.#report = {
      supported: this.#supported,
      peakRssBytes: 0,
      peakPssBytes: 0,
      peakProcesses: 0,
      sawBrowser: false,
      samples: 0,
    };
    if (!this.#supported) return;
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  /** Takes one sample now (also called on the timer). */
  sample(): void {
    if (!this.#supported) return;
    const r = this.#report;
    const s = sampleTree(this.#root, this.#pssEvery > 0 && r.samples % this.#pssEvery === 0);
    r.samples++;
    r.peakRssBytes = Math.max(r.peakRssBytes, s.rss);
    if (s.pss !== undefined) r.peakPssBytes = Math.max(r.peakPssBytes, s.pss);
    r.peakProcesses = Math.max(r.peakProcesses, s.processes);
    r.sawBrowser ||= s.browsers > 0;
  }

  stop(): TreeReport {
    clearInterval(this.#timer);
    return { ...this.#report };
  }
}
