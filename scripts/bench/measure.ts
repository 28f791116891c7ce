/**
 * The bench's edge: writing the generated project, running the real CLI as a child process while
 * sampling its process tree, and noticing which outputs a rebuild rewrote.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFileBytes } from '../build/cache.ts';
import { SUMMARY_FILE } from '../render/summary.ts';
import type { GeneratedFile } from './generate.ts';
import { type SamplerOptions, type TreeReport, TreeSampler } from './process-tree.ts';

/** scripts/jxmb.js of this installation. */
export const JXMB_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../jxmb.js');

/** Writes the generated files under `root`. */
export async function writeProject(root: string, files: readonly GeneratedFile[]): Promise<void> {
  const dirs = new Set(files.map((f) => path.dirname(path.join(root, f.path))));
  for (const d of dirs) await fs.mkdir(d, { recursive: true });
  await Promise.all(files.map((f) => fs.writeFile(path.join(root, f.path), f.text)));
}

/** What checking every recorded output's bytes costs (issue 11: a no-op rebuild hashes them all). */
export interface HashCost {
  ms: number;
  files: number;
  bytes: number;
}

/**
 * Reads and hashes (sha256) every output a sidecar under `outDir` records, the way a no-op rebuild's
 * plan does before it trusts them: the share of the no-op's time that checking the bytes costs.
 */
export async function hashRecordedOutputs(outDir: string): Promise<HashCost> {
  const started = performance.now();
  let files = 0;
  let bytes = 0;
  for (const year of (await fs.readdir(outDir)).filter((y) => /^\d{4}$/.test(y))) {
    const names = await fs.readdir(path.join(outDir, year));
    await Promise.all(
      names
        .filter((n) => n.endsWith('.entry.json'))
        .map(async (n) => {
          const text = await fs.readFile(path.join(outDir, year, n), 'utf8');
          const doc = JSON.parse(text) as { build?: Record<string, unknown> };
          for (const format of Object.keys(doc.build ?? {})) {
            const hashed = await hashFileBytes(path.join(outDir, year, n.replace(/\.entry\.json$/, `.${format}`)));
            if (!hashed) continue;
            files++;
            bytes += hashed.size;
          }
        }),
    );
  }
  return { ms: performance.now() - started, files, bytes };
}

export interface CliRun {
  /** Wall time from spawn to exit, ms (node startup included). */
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  tree: TreeReport;
}

/**
 * Runs `node scripts/jxmb.js …args` in `cwd`, sampling the child's process tree (every 50 ms by default;
 * `sampler: false`: not at all, for a timed run — sampling costs ~1 ms of CPU each time).
 */
export function runJxmb(
  args: readonly string[],
  cwd: string,
  opts: { env?: NodeJS.ProcessEnv; sampler?: SamplerOptions | false } = {},
): Promise<CliRun> {
  const env = opts.env ?? process.env;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [JXMB_BIN, ...args], {
      cwd,
      env: { ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sampler = child.pid && opts.sampler !== false ? new TreeSampler(child.pid, opts.sampler) : undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      sampler?.stop();
      reject(e);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      const tree = sampler?.stop() ?? {
        supported: false,
        peakRssBytes: 0,
        peakPssBytes: 0,
        peakProcesses: 0,
        sawBrowser: false,
        samples: 0,
      };
      resolve({
        ms,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        tree,
      });
    });
  });
}

/** What identifies one written version of a file: atomic writes replace the inode, edits move mtime. */
export interface FileStamp {
  mtimeMs: number;
  ino: number;
  size: number;
}

/** Every file under `dir`, relative and `/`-separated, with its stamp. */
export async function snapshotFiles(dir: string): Promise<Map<string, FileStamp>> {
  const out = new Map<string, FileStamp>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) {
        const s = await fs.stat(abs);
        out.set(path.relative(dir, abs).split(path.sep).join('/'), { mtimeMs: s.mtimeMs, ino: s.ino, size: s.size });
      }
    }
  };
  await walk(dir);
  return out;
}

/** Files added, rewritten or removed between two snapshots. */
export function changedFiles(before: Map<string, FileStamp>, after: Map<string, FileStamp>): string[] {
  const changed = new Set<string>();
  for (const [f, a] of after) {
    const b = before.get(f);
    if (!b || b.mtimeMs !== a.mtimeMs || b.ino !== a.ino || b.size !== a.size) changed.add(f);
  }
  for (const f of before.keys()) if (!after.has(f)) changed.add(f);
  return [...changed].sort();
}

/**
 * Departments (`<year>/<code>`) whose rendered outputs (.pdf/.html/.xlsx) are among `files`: its targets
 * form's or its 自评表's (`<code>.self-eval.pdf`). The year's bureau summary is no department's.
 */
export function renderedDepartments(files: readonly string[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const m = /^(\d{4}\/([a-z0-9-]+))(?:\.self-eval)?\.(pdf|html|xlsx)$/.exec(f);
    if (m && m[2] !== SUMMARY_FILE) out.add(m[1]!);
  }
  return [...out].sort();
}
