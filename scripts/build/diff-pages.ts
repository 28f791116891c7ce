/**
 * Each department's diff against its previous table, as HTML beside its forms
 * (`out/<year>/<code>.diff.html`, the board's 对比上年 link), made by the diff's own HTML renderer.
 * Incremental like the forms: the page ends with a comment holding the hash of what decides it (both
 * sources' bytes, the settings, the diff templates, the tool version); a page whose hash matches is
 * left alone. Without a previous table, or with one that does not pass its checks, there is no page.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { findDataFiles, writeFileIfChanged } from '../io/files.ts';
import { readSourceFile } from '../io/project.ts';
import { TEMPLATES_DIR } from '../io/templates.ts';
import { TOOL_VERSION } from '../io/version.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import { diffRelPath } from './entries.ts';
import type { DiffPageSources, FormKind, KindModel } from './form-kind.ts';
import { posix } from './paths.ts';
import type { BuildDocument } from './plan.ts';

const KEY_MARK = '<!-- jxmb-diff-key: ';

/** What one run did: pages written, left as they were, removed (absolute paths). */
export interface DiffPagesResult {
  written: string[];
  fresh: number;
  removed: string[];
}

/**
 * Writes or refreshes the diff page of every document against the latest earlier year's table of the
 * same code in the data folder (which need not be in this build: a shard, or paths given).
 */
export async function writeDiffPages<M extends KindModel>(
  kind: FormKind<M>,
  documents: readonly BuildDocument<M>[],
  opts: { root: string; dataDir: string; outDir: string; settings: ResolvedSettings; settingsText: string },
): Promise<DiffPagesResult> {
  const result: DiffPagesResult = { written: [], fresh: 0, removed: [] };
  if (!kind.diffHtml || documents.length === 0) return result;
  const read = (f: string): Promise<string | undefined> =>
    fs.readFile(path.join(TEMPLATES_DIR, f), 'utf8').catch(() => undefined);
  const [page, css, formCss] = await Promise.all([read('diff.hbs'), read('diff.css'), read('form.css')]);
  if (!page || !css) return result;
  const src: DiffPageSources = { page, css, ...(formCss ? { formCss } : {}) };
  const inputs = createHash('sha256')
    .update(`${TOOL_VERSION}\0${kind.id}\0${opts.settingsText}\0${page}\0${css}\0${formCss ?? ''}\0`)
    .digest('hex');
  // <code> → its years in the data folder, ascending.
  const years = new Map<string, number[]>();
  for (const f of await findDataFiles(opts.dataDir)) {
    const rel = posix(path.relative(opts.dataDir, f));
    const m = /^(\d{4})\/([^/]+)\.ya?ml$/i.exec(rel);
    if (!m) continue;
    const list = years.get(m[2]!) ?? [];
    list.push(Number(m[1]));
    years.set(m[2]!, list);
  }
  const fileOf = async (year: number, code: string): Promise<string | undefined> => {
    for (const ext of ['yaml', 'yml']) {
      const f = path.join(opts.dataDir, String(year), `${code}.${ext}`);
      if (await fs.stat(f).catch(() => undefined)) return f;
    }
    return undefined;
  };
  for (const doc of documents) {
    const { fiscalYear, code } = doc.model;
    const out = path.join(opts.outDir, diffRelPath(fiscalYear, code));
    const before = (years.get(code) ?? []).filter((y) => y < fiscalYear).sort((a, b) => b - a)[0];
    const from = before === undefined ? undefined : await fileOf(before, code);
    const to = path.resolve(opts.root, doc.source);
    const bounds = [opts.root, opts.dataDir];
    const a = from ? await readSourceFile(from, from, bounds) : undefined;
    const b = await readSourceFile(to, to, bounds);
    let html: string | undefined;
    let key = '';
    if (a?.bytes && b.bytes) {
      key = createHash('sha256').update(inputs).update(a.bytes).update('\0').update(b.bytes).digest('hex');
      const old = await fs.readFile(out, 'utf8').catch(() => undefined);
      if (old?.endsWith(`${KEY_MARK}${key} -->\n`)) {
        result.fresh++;
        continue;
      }
      const side = (abs: string, bytes: Uint8Array, year: number) => ({
        shown: posix(path.relative(opts.root, abs)),
        bytes,
        dataPath: posix(path.relative(opts.dataDir, abs)),
        label: String(year),
      });
      html = kind.diffHtml(side(from!, a.bytes, before!), side(to, b.bytes, fiscalYear), opts.settings, src);
    }
    if (html === undefined) {
      if (
        await fs.rm(out).then(
          () => true,
          () => false,
        )
      )
        result.removed.push(out);
      continue;
    }
    await writeFileIfChanged(out, `${html.replace(/\n?$/, '\n')}${KEY_MARK}${key} -->\n`);
    result.written.push(out);
  }
  return result;
}
