/**
 * out/manifest.json: every output file with its source, fiscal year, department, format, size and
 * sha256, plus the git commit of the sources when they are in a git checkout. Deterministic: sorted by
 * path, no timestamps, so identical builds write identical manifests.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OUTPUT_FORMATS, type IndexEntry, type ManifestFile } from '../render/outputs.ts';
import { hashFileBytes } from './cache.ts';
import { writeFileIfChanged } from '../io/files.ts';
import { TOOL_VERSION } from '../io/version.ts';

export const MANIFEST_FILE = 'manifest.json';

/** The commit the sources were built from; `dirty` when the data folder has uncommitted changes. */
export interface SourceCommit {
  sha: string;
  dirty: boolean;
}

export interface Manifest {
  generator: string;
  /** Absent when the data folder is not in a git checkout (or git is not installed). */
  commit?: SourceCommit;
  files: ManifestFile[];
}

/**
 * `git rev-parse HEAD` of the repository holding `dataDir`, and whether anything under `dataDir` (and
 * the extra paths, e.g. the settings file) differs from it. Undefined outside git — never throws.
 */
export async function gitSourceCommit(dataDir: string, extraPaths: string[] = []): Promise<SourceCommit | undefined> {
  const sha = (await git(dataDir, ['rev-parse', '--verify', '-q', 'HEAD']))?.trim();
  if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) return undefined;
  const status = await git(dataDir, ['status', '--porcelain', '--untracked-files=all', '--', '.']);
  // A failing status is not evidence of a clean tree. Extra paths outside this repository are skipped.
  let dirty = status === undefined || status.trim() !== '';
  for (const p of extraPaths)
    if (!dirty)
      dirty =
        (
          (await git(dataDir, ['status', '--porcelain', '--untracked-files=all', '--', path.resolve(p)])) ?? ''
        ).trim() !== '';
  return { sha, dirty };
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', cwd, ...args],
      { timeout: 15_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (err, stdout) => resolve(err ? undefined : stdout),
    );
  });
}

/** sha256 and size of one file (throws if it cannot be read). */
export async function hashFile(file: string): Promise<{ size: number; sha256: string }> {
  const hashed = await hashFileBytes(file);
  if (!hashed) throw new Error(`cannot read ${file}`);
  return hashed;
}

/**
 * The manifest of the outputs the entries name (paths relative to `outDir`). Outputs that are missing
 * on disk are left out: the manifest describes what is there.
 */
export async function buildManifest(
  outDir: string,
  entries: readonly IndexEntry[],
  opts: {
    commit?: SourceCommit;
    known?: ReadonlyMap<string, { size: number; sha256: string }>;
    /** Files that are no entry's outputs (a year's self-evaluation summary), listed all the same. */
    extra?: readonly Omit<ManifestFile, 'size' | 'sha256'>[];
  } = {},
): Promise<Manifest> {
  const files: ManifestFile[] = [];
  // A recorded hash is trusted only while the file still has the recorded size.
  const hashOf = async (rel: string): Promise<{ size: number; sha256: string } | undefined> => {
    const known = opts.known?.get(rel);
    if (known) {
      const st = await fs.stat(path.join(outDir, rel)).catch(() => undefined);
      if (!st?.isFile()) return undefined;
      if (st.size === known.size) return known;
    }
    return hashFile(path.join(outDir, rel)).catch(() => undefined);
  };
  for (const e of entries) {
    for (const format of OUTPUT_FORMATS) {
      const rel = e.outputs[format];
      if (!rel) continue;
      const stat = await hashOf(rel);
      if (!stat) continue;
      files.push({
        path: rel,
        source: e.source,
        fiscalYear: e.fiscalYear,
        code: e.code,
        format,
        size: stat.size,
        sha256: stat.sha256,
      });
    }
  }
  for (const x of opts.extra ?? []) {
    const stat = await hashOf(x.path);
    if (stat) files.push({ ...x, size: stat.size, sha256: stat.sha256 });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { generator: `jxmb ${TOOL_VERSION}`, ...(opts.commit ? { commit: opts.commit } : {}), files };
}

/** The manifest as written: stable key order, two-space indent, final newline. */
export function manifestJson(m: Manifest): string {
  const ordered = {
    generator: m.generator,
    ...(m.commit ? { commit: { sha: m.commit.sha, dirty: m.commit.dirty } } : {}),
    files: m.files.map((f) => ({
      path: f.path,
      source: f.source,
      fiscalYear: f.fiscalYear,
      code: f.code,
      format: f.format,
      size: f.size,
      sha256: f.sha256,
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Writes out/manifest.json atomically. */
export async function writeManifest(outDir: string, m: Manifest): Promise<string> {
  const file = path.join(outDir, MANIFEST_FILE);
  await writeFileIfChanged(file, manifestJson(m));
  return file;
}
