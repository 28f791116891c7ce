/**
 * Incremental builds: a content key per output, stored beside it in the department's sidecar.
 *
 * An output's key is the hash of everything that decides its bytes: the form model (so comment or
 * formatting edits in the YAML re-render nothing), the templates and stylesheet, the renderer's code,
 * the fonts' and libraries' versions, the settings, the tool version, and for html/pdf the browser.
 * An output whose recorded key matches and whose bytes still hash to the recorded sha256 is not
 * rendered again; that check also gives the manifest its hash without reading the file twice.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../check/diagnostic.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import type { OutputFormat } from '../render/outputs.ts';
import { FALLBACK_CSS, FALLBACK_DIR } from '../io/fonts.ts';
import { TEMPLATES_DIR } from '../io/templates.ts';
import { TOOL_VERSION } from '../io/version.ts';

/** What the sidecar records about one written output. */
export interface OutputRecord {
  key: string;
  size: number;
  sha256: string;
}

export type BuildRecords = Partial<Record<OutputFormat, OutputRecord>>;

const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');
const FONT_PACKAGES = ['@fontsource/noto-serif-sc', '@fontsource/noto-sans-sc'];
const SCRIPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every file below `dir` (sorted), as `relative-path\0content` chunks fed to the hash. */
async function hashTree(
  hash: ReturnType<typeof createHash>,
  dir: string,
  filter: (f: string) => boolean,
): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const files = entries
    .filter((e) => e.isFile() && filter(e.name))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
  for (const f of files)
    hash
      .update(`${path.relative(dir, f)}\0`)
      .update(await fs.readFile(f))
      .update('\0');
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve(`${name}/package.json`));
    return `${name}@${(require(path.join(dir, 'package.json')) as { version: string }).version}`;
  } catch {
    return `${name}@?`;
  }
}

/**
 * The part of every output key that does not depend on the department, per format.
 * `browser` identifies the Chromium that measures and prints (its path; absent for xlsx-only); `kind`
 * the form kind (forms/), since another kind renders the same model differently.
 */
export async function renderInputsKey(
  settings: ResolvedSettings,
  browser: string | undefined,
  kind = 'targets',
): Promise<Record<OutputFormat, string>> {
  const code = createHash('sha256');
  // The code that turns a model into documents, and the model code itself. The .xlsx writer is part of it
  // (render/xlsx/): exceljs, now only a test dependency, is not among the libraries below. A form
  // kind (forms/) says which of it a model goes through; browser/ lays out, seals and prints the page.
  for (const d of ['render', 'model', 'build', 'forms', 'browser'])
    await hashTree(code, path.join(SCRIPTS_DIR, d), (f) => f.endsWith('.ts'));
  for (const f of ['io/fonts.ts']) code.update(await fs.readFile(path.join(SCRIPTS_DIR, f)).catch(() => ''));
  // The fallback's pieces and their unicode-ranges decide which glyphs a rare character prints with.
  code.update(await fs.readFile(path.join(FALLBACK_DIR, FALLBACK_CSS)).catch(() => ''));
  await hashTree(code, TEMPLATES_DIR, () => true);
  // What import reads (the codes table) changes no output: editing it rebuilds nothing.
  const { import: _import, ...rendered } = settings;
  const shared = sha(
    JSON.stringify([
      TOOL_VERSION,
      kind,
      code.digest('hex'),
      rendered,
      ['puppeteer-core', 'handlebars', ...FONT_PACKAGES].map(packageVersion),
    ]),
  );
  return {
    html: sha(`html\0${shared}\0${browser ?? ''}`),
    pdf: sha(`pdf\0${shared}\0${browser ?? ''}`),
    xlsx: sha(`xlsx\0${shared}`),
  };
}

/**
 * What checking a valid source produced, kept in its sidecar: a rebuild whose source bytes, settings
 * and checking code are unchanged reuses it instead of parsing the YAML again (parsing is most of a
 * no-op rebuild's time).
 */
export interface CheckCache<M extends object = object> {
  key: string;
  diagnostics: Diagnostic[];
  /** The model of the source's form kind (the kind's id is part of the key). */
  model: M;
}

let checkCode: Promise<string> | undefined;

/** The part of a source's check key that is the same for every source: code, schema, settings. */
export async function checkInputsKey(settingsText: string): Promise<string> {
  checkCode ??= (async () => {
    const h = createHash('sha256');
    // forms/: a form kind says which checks and model builder its sources go through.
    for (const d of ['load', 'check', 'model', 'forms'])
      await hashTree(h, path.join(SCRIPTS_DIR, d), (f) => f.endsWith('.ts'));
    await hashTree(h, path.join(SCRIPTS_DIR, '../schema'), (f) => f.endsWith('.json'));
    // What the checks read beyond their folders: the Excel row estimate (XLSX_ROW_TOO_TALL) and the
    // characters the bundled fonts cover (GLYPH_MISSING).
    for (const f of ['render/xlsx.ts', 'io/fonts.ts']) {
      h.update(await fs.readFile(path.join(SCRIPTS_DIR, f)).catch(() => ''));
    }
    h.update(await fs.readFile(path.join(FALLBACK_DIR, FALLBACK_CSS)).catch(() => ''));
    h.update(FONT_PACKAGES.map(packageVersion).join('\0'));
    return h.digest('hex');
  })();
  return sha(`${TOOL_VERSION}\0${await checkCode}\0${settingsText}`);
}

/** One source's check key: its bytes and where it lives (folder year and file name are checked). */
export const sourceCheckKey = (inputs: string, dataPath: string, bytes: Uint8Array): string =>
  sha(`${inputs}\0${dataPath}\0${sha(bytes)}`);

/** The key of one output: the shared inputs and this department's form model. */
export function outputKey(inputs: Record<OutputFormat, string>, format: OutputFormat, model: object): string {
  return sha(`${inputs[format]}\0${JSON.stringify(model)}`);
}

/**
 * Formats whose recorded key matches (same model, same code…) and whose file is in place with exactly
 * the recorded bytes: its sha256 is computed again every time, since size alone cannot tell a file
 * replaced by a build that was killed before it recorded it (an edit, reverted, that kept the length).
 * Costs one read and hash per output on a no-op rebuild (see `jxmb bench`).
 */
export async function freshFormats(
  records: BuildRecords | undefined,
  keys: Partial<Record<OutputFormat, string>>,
  outputs: Record<OutputFormat, string>,
): Promise<Set<OutputFormat>> {
  const fresh = new Set<OutputFormat>();
  for (const [format, key] of Object.entries(keys) as [OutputFormat, string][]) {
    const r = records?.[format];
    if (!r || r.key !== key) continue;
    const stat = await fs.stat(outputs[format]).catch(() => undefined);
    if (!stat?.isFile() || stat.size !== r.size) continue;
    const hashed = await hashFileBytes(outputs[format]);
    if (hashed?.size === r.size && hashed.sha256 === r.sha256) fresh.add(format);
  }
  return fresh;
}

/** Files hashed at once, each through its own reused buffer. */
const HASH_SLOTS = 4;
const hashBuffers: Buffer[] = [];
let hashing = 0;
const hashQueue: (() => void)[] = [];

/**
 * Size and sha256 of a file's bytes (undefined if it cannot be read). Read through a few reused 1 MB
 * buffers rather than whole: a no-op rebuild of 200 departments hashes ~70 MB of outputs, and reading
 * each whole into a new buffer cost about twice the CPU (mostly the kernel's, faulting in fresh pages).
 */
export async function hashFileBytes(file: string): Promise<{ size: number; sha256: string } | undefined> {
  while (hashing >= HASH_SLOTS) await new Promise<void>((resolve) => hashQueue.push(resolve));
  hashing++;
  const buf = hashBuffers.pop() ?? Buffer.allocUnsafe(1 << 20);
  const handle = await fs.open(file, 'r').catch(() => undefined);
  try {
    if (!handle) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { size, sha256: hash.digest('hex') };
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
    hashBuffers.push(buf);
    hashing--;
    hashQueue.shift()?.();
  }
}

/**
 * The record of bytes just written. Hashed right here: WebCrypto on the thread pool kept the event
 * loop freer but cost more CPU in all (a copy and a hand-off per output), and a build is CPU-bound.
 */
export const recordOf = (key: string, data: string | Uint8Array): OutputRecord => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { key, size: bytes.length, sha256: sha(bytes) };
};
