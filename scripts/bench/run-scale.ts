/**
 * `jxmb bench --scale`: generates each size into its own folder and runs, as the real CLI with its process
 * tree sampled: `validate`, `validate --workers 0` and a cold `build --formats xlsx,html`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProject } from './generate.ts';
import { type CliRun, runJxmb, writeProject } from './measure.ts';
import type { ScaleFigures, ScaleRun, ScaleSize } from './scale.ts';

export interface ScaleOptions {
  sizes: number[];
  seed: number;
  jobs: number;
  /** A folder to generate under (one sub-folder per size). */
  root: string;
  say: (s: string) => void;
  /** The error to throw when a run fails (the command's: its message is shown, with no stack trace). */
  failed: (message: string) => Error;
}

const tail = (r: CliRun): string => (r.stderr + r.stdout).trim().split('\n').slice(-8).join('\n');

export async function runScale(opts: ScaleOptions): Promise<ScaleFigures> {
  const sizes: ScaleSize[] = [];
  for (const departments of opts.sizes) {
    const dir = path.join(opts.root, `scale-${departments}`);
    const files = generateProject({ departments, seed: opts.seed });
    await writeProject(dir, files);
    const sources = files.length - 1;
    opts.say(`生成了 generated ${departments} departments (${sources} files) in ${dir}`);
    // Pss every 4th sample (every 200 ms): a tree with Chromium shares most of its pages.
    const run = async (what: string, args: string[], ok = [0]): Promise<ScaleRun & { stdout: string }> => {
      opts.say(`${departments}: ${what} …`);
      const r = await runJxmb(args, dir, { sampler: { pssEvery: 4 } });
      if (!ok.includes(r.code ?? -1)) throw opts.failed(`${what}失败 failed (exit ${r.code ?? r.signal}):\n${tail(r)}`);
      opts.say(`${departments}: ${what}: ${(r.ms / 1000).toFixed(2)} s`);
      return { ms: r.ms, peakBytes: r.tree.peakPssBytes || r.tree.peakRssBytes, stdout: r.stdout };
    };
    const validate = await run('validate', ['validate']);
    const validateOneThread = await run('validate --workers 0', ['validate', '--workers', '0']);
    const out = path.join(dir, 'out');
    const build = await run('build --formats xlsx,html', [
      'build',
      '--formats',
      'xlsx,html',
      '--out',
      out,
      '--jobs',
      String(opts.jobs),
    ]);
    const documents = (await fs.readdir(path.join(out, '2025')).catch(() => [])).filter((f) =>
      f.endsWith('.html'),
    ).length;
    sizes.push({
      departments,
      files: sources,
      validate: { ms: validate.ms, peakBytes: validate.peakBytes },
      validateOneThread: { ms: validateOneThread.ms, peakBytes: validateOneThread.peakBytes },
      build: { ms: build.ms, peakBytes: build.peakBytes, documents },
    });
    await fs.rm(dir, { recursive: true, force: true });
  }
  return {
    seed: opts.seed,
    jobs: opts.jobs,
    machine: {
      cores: os.availableParallelism?.() ?? os.cpus().length,
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryMb: Math.round(os.totalmem() / 1048576),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    sizes,
  };
}
