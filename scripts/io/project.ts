/**
 * The project on disk: where its root, data folder and settings are, and reading + checking files.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { LineCounter } from 'yaml';
import { checkFile, type CheckedFile } from '../check/check-file.ts';
import { checkProject } from '../check/check-project.ts';
import { diag, type Diagnostic } from '../check/diagnostic.ts';
import { checkSettingsSchema } from '../check/schema.ts';
import { loadSource } from '../load/load-yaml.ts';
import { DEFAULT_SETTINGS, resolveSettings, type ResolvedSettings } from '../model/settings.ts';
import type { Settings } from '../model/types.generated.ts';
import { readIfExists } from './files.ts';

export const SETTINGS_FILE = 'jxmb.settings.yaml';

/** The nearest folder at or above `cwd` holding jxmb.settings.yaml or a data/ folder; else cwd. */
export function findProjectRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, SETTINGS_FILE)) || existsSync(path.join(dir, 'data')) && existsSync(path.join(dir, 'schema'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

export interface LoadedSettings {
  settings: ResolvedSettings;
  file?: string;
  text: string;
  lineCounter?: LineCounter;
  diagnostics: Diagnostic[];
}

/** Reads jxmb.settings.yaml at the root; missing file → defaults. Errors come back as diagnostics. */
export async function loadSettings(root: string): Promise<LoadedSettings> {
  const file = path.join(root, SETTINGS_FILE);
  const bytes = await readIfExists(file);
  if (!bytes) return { settings: DEFAULT_SETTINGS, text: '', diagnostics: [] };
  const src = loadSource(bytes);
  const rel = path.relative(process.cwd(), file) || file;
  const base = { file: rel, text: src.text, lineCounter: src.lineCounter };
  if (src.diagnostics.some((d) => d.code === 'FILE_EMPTY')) return { ...base, settings: DEFAULT_SETTINGS, diagnostics: [] };
  const loadErrors = src.diagnostics.map((d) => diag('SETTINGS_INVALID', 'error', d.pos, { detail: d.code }));
  if (src.data === undefined || !src.doc) return { ...base, settings: DEFAULT_SETTINGS, diagnostics: loadErrors };
  const schemaErrors = checkSettingsSchema(src.data, src.doc, src.text);
  if (schemaErrors.length) return { ...base, settings: DEFAULT_SETTINGS, diagnostics: schemaErrors };
  return { ...base, settings: resolveSettings(src.data as Settings), diagnostics: [] };
}

/** Reads and checks files (then the rules across them). Missing files become FILE_NOT_FOUND. */
export async function checkFiles(
  files: string[],
  opts: { dataDir: string; settings: ResolvedSettings; cwd: string; project?: boolean; onChecked?: (c: CheckedFile) => void },
): Promise<CheckedFile[]> {
  // Checked one after another, letting the event loop turn between files: a cold build starts Chromium
  // meanwhile, and its DevTools messages would otherwise wait for the whole batch. Reads run a few files
  // ahead of the checks (not all at once: a province has tens of thousands).
  const AHEAD = 32;
  const reads: (Promise<Buffer | undefined> | undefined)[] = [];
  const read = (i: number): void => {
    if (i < files.length) reads[i] = fs.readFile(files[i]!).catch(() => undefined);
  };
  for (let i = 0; i < AHEAD; i++) read(i);
  const checked: CheckedFile[] = [];
  for (const [i, abs] of files.entries()) {
    const shown = path.relative(opts.cwd, abs) || abs;
    const bytes = await reads[i];
    reads[i] = undefined;
    read(i + AHEAD);
    let c: CheckedFile;
    if (!bytes) {
      c = checkFile(shown, new Uint8Array(), { settings: opts.settings });
      c = { ...c, diagnostics: [diag('FILE_NOT_FOUND', 'error', [0, 0], { path: shown })] };
    } else {
      const rel = path.relative(opts.dataDir, abs);
      const inData = !rel.startsWith('..') && !path.isAbsolute(rel);
      c = checkFile(shown, bytes, { settings: opts.settings, ...(inData ? { dataPath: rel } : {}) });
    }
    checked.push(c);
    opts.onChecked?.(c);
    if (i + 1 < files.length) await new Promise((resolve) => setImmediate(resolve));
  }
  if (opts.project !== false) checkProject(checked);
  return checked;
}
