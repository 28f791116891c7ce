/**
 * Where a build reads and writes: a source's `<year>/<code>` from its path, and a document's outputs
 * under out/. Pure (no disk).
 */
import path from 'node:path';
import type { FormModel } from '../model/form-model.ts';
import type { OutputFormat } from '../render/outputs.ts';

/** A path with `/` separators, as recorded in sidecars and the index. */
export const posix = (p: string): string => p.split(path.sep).join('/');

/** Year and code of a source at `<year>/<code>.yaml` under the data folder (where validation puts it). */
export function dataTarget(dataDir: string, abs: string): { fiscalYear: number; code: string } | undefined {
  const m = /^(\d{4})\/([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/.exec(posix(path.relative(dataDir, abs)));
  return m ? { fiscalYear: Number(m[1]), code: m[2]! } : undefined;
}

/**
 * Where a source's outputs and board row are: as dataTarget, and a self-evaluation
 * `<year>/<code>.self-eval.yaml` is `<code>.self-eval` (its outputs' name). Not for the check cache: a
 * self-evaluation's check depends on the targets file beside it, not on its own bytes alone.
 */
export function outputTarget(dataDir: string, abs: string): { fiscalYear: number; code: string } | undefined {
  const m = /^(\d{4})\/([a-z0-9]+(?:-[a-z0-9]+)*)\.self-eval\.ya?ml$/.exec(posix(path.relative(dataDir, abs)));
  return m ? { fiscalYear: Number(m[1]), code: `${m[2]!}.self-eval` } : dataTarget(dataDir, abs);
}

/** The absolute path of one output of a document: `out/<year>/<code>.<format>`. */
export const outputPath = (outDir: string, fiscalYear: number, code: string, format: OutputFormat): string =>
  path.join(outDir, String(fiscalYear), `${code}.${format}`);

/** Where a document's HTML lives under out/ (`2025/code.html`): its relative links resolve from there. */
export const docPathOf = (doc: { model: Pick<FormModel, 'fiscalYear' | 'code'> }): string =>
  `${doc.model.fiscalYear}/${doc.model.code}.html`;
