/**
 * One file through the front of the pipeline: bytes → load → schema → rules → form model.
 * Pure; the caller reads the bytes and prints the diagnostics.
 */
import { loadSource, type LoadedSource } from '../load/load-yaml.ts';
import { buildFormModel, type FormModel } from '../model/form-model.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import type { DepartmentTargets } from '../model/types.generated.ts';
import { checkCharacters } from './characters.ts';
import { type Diagnostic, hasErrors } from './diagnostic.ts';
import { checkGlyphs, type GlyphCoverage } from './glyphs.ts';
import { checkRules } from './rules.ts';
import { checkSchema } from './schema.ts';

export interface CheckedFile {
  /** Path as given by the user (used in diagnostics). */
  file: string;
  source: LoadedSource;
  diagnostics: Diagnostic[];
  /** Schema-valid data (may still carry rule errors). */
  data?: DepartmentTargets;
  /** The form model, when the file has no errors. */
  model?: FormModel;
  /**
   * Where `department.code` is written, kept when the parsed document was let go (a build's lean plan):
   * a code used twice is reported there.
   */
  codePos?: Diagnostic['pos'];
  /** Year and code, kept with codePos (the model may be parked: build/park.ts). */
  identity?: { year: number; code: string };
}

export interface CheckOptions {
  settings: ResolvedSettings;
  /** Path relative to the data folder, to check folder year and file name. */
  dataPath?: string;
  /** What the bundled fonts can draw (io/fonts.ts glyphCoverage); without it glyphs are not checked. */
  coverage?: GlyphCoverage;
}

const byPosition = (a: Diagnostic, b: Diagnostic): number => a.pos[0] - b.pos[0] || a.code.localeCompare(b.code);

export function checkFile(file: string, bytes: Uint8Array, opts: CheckOptions): CheckedFile {
  const source = loadSource(bytes);
  // Before the parse's verdict: a control character is worth reporting even in a file that does not parse.
  const diagnostics = [...source.diagnostics, ...checkCharacters(source.text, source.doc)];
  // A printed character no bundled font has: an error wherever the file is, like a control character.
  if (opts.coverage && source.doc) diagnostics.push(...checkGlyphs(source.text, source.doc, opts.coverage));
  if (source.data === undefined || !source.doc) return { file, source, diagnostics: diagnostics.sort(byPosition) };
  // A value already explained by a load error (e.g. an unquoted `>=` read as empty) is not reported twice.
  const explained = new Set(source.diagnostics.map((d) => source.lineCounter.linePos(d.pos[0]).line));
  const schemaDiags = checkSchema(source.data, source.doc, source.text).filter(
    (d) => !explained.has(source.lineCounter.linePos(d.pos[0]).line),
  );
  diagnostics.push(...schemaDiags);
  if (hasErrors(schemaDiags)) return { file, source, diagnostics: diagnostics.sort(byPosition) };
  const data = source.data as DepartmentTargets;
  diagnostics.push(...checkRules(data, { doc: source.doc, text: source.text }, opts));
  diagnostics.sort(byPosition);
  return {
    file,
    source,
    diagnostics,
    data,
    ...(hasErrors(diagnostics) ? {} : { model: buildFormModel(data, opts.settings, source.numberTexts) }),
  };
}
