/**
 * One `jxmb import` run on disk: reading a source and every form in it, deciding each form's year, code
 * and output (scripts/import/import-plan.ts), refusing to overwrite or to write one output twice, checking
 * the YAML and writing it atomically (never in a dry run), and turning the outcome into the report's
 * result (scripts/import/import-report.ts). The command (scripts/commands/import.ts) prints.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CheckedFile } from '../check/check-file.ts';
import { locateDiagnostic } from '../check/format-diagnostics.ts';
import { type Lang, messageFor } from '../check/messages.ts';
import { type CodeBook, codeFromName } from '../import/codes.ts';
import { describeRef, importDiag, type ImportDiagnostic } from '../import/grid.ts';
import { type ImportedForm, importFile } from '../import/import-form.ts';
import { CODE_FROM, type CodeChoice, chooseCode, chooseYear, collisionDiag, formYaml } from '../import/import-plan.ts';
import {
  type FileResult,
  fileResult,
  type FormResult,
  formResult,
  importWhere,
  type ReportedDiagnostic,
  sourceFinder,
  withoutRepeats,
} from '../import/import-report.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import { environmentProblem, readIfExists, writeFileAtomic } from './files.ts';
import { type ImportSource, readImportSource } from './import-sources.ts';
import { officeConverter } from './office-convert.ts';
import { checkSource } from './project.ts';

/** A path as the user would type it: relative below cwd, absolute elsewhere. */
export const shown = (cwd: string, abs: string): string => {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
};

/** What one run shares: where things go, what decides codes, and which outputs this run already claimed. */
export interface Run {
  cwd: string;
  dataDir: string;
  settings: ResolvedSettings;
  lang: Lang;
  book: CodeBook;
  year: number | undefined;
  force: boolean;
  dryRun: boolean;
  code?: string;
  /** --out when it names a file (`-` or a new *.yaml); a folder given as --out is the caller's outRoot. */
  out?: string;
  codesFile?: ReadonlyMap<string, string>;
  settingsCodes: ReadonlyMap<string, string>;
  /** One file was given (not a folder): one form in it keeps the one-file rules (--code, --out FILE, no pinyin). */
  single: boolean;
  /** Output path → the source that claimed it in this run. */
  targets: Map<string, string>;
  /** A write failed for a reason of the environment (disk full, no permission): exit 69. */
  environment: boolean;
}

export async function isFolder(abs: string): Promise<boolean> {
  return (await fs.stat(abs).catch(() => undefined))?.isDirectory() ?? false;
}

export interface ReadFile {
  shownSrc: string;
  /** The file's own diagnostics when no form could be read. */
  diagnostics: ImportDiagnostic[];
  forms: ImportedForm[];
  file?: { src: string; shownSrc: string; keywords?: string; count: number };
}

/** Reads one source and every form in it. */
export async function readFile(src: ImportSource, run: Run): Promise<ReadFile> {
  const shownSrc = shown(run.cwd, src.abs);
  const read = await readImportSource(src, shownSrc);
  if (!read.bytes) return { shownSrc, diagnostics: [read.diagnostic], forms: [] };
  const imported = await importFile(read.bytes, {
    pointsTotal: run.settings.points_total,
    fileName: path.basename(src.abs),
    convert: officeConverter(),
    ...(run.settings.import?.synonyms ? { synonyms: run.settings.import.synonyms } : {}),
  });
  const forms = imported.forms.filter((f) => f.parsed);
  if (!forms.length) return { shownSrc, diagnostics: imported.diagnostics, forms: [] };
  const file = {
    src: src.abs,
    shownSrc,
    ...(imported.keywords !== undefined ? { keywords: imported.keywords } : {}),
    count: forms.length,
  };
  return { shownSrc, diagnostics: imported.diagnostics, forms, file };
}

/** One form carried as far as it goes: year, code, YAML, target, check, write. */
export interface Processed {
  name: string;
  diagnostics: ImportDiagnostic[];
  /** Why nothing was (or would be) written, and the exit code the one-file command gives for it. */
  blocked?: { exit: number };
  notes: string[];
  year?: number;
  code?: string;
  choice?: CodeChoice;
  yaml?: string;
  target?: string;
  shownTarget?: string;
  checked?: CheckedFile;
  written: boolean;
}

/**
 * Decides and (unless a dry run) writes one form. `outFile`: the --out file (one form), `-` for stdout;
 * `outRoot`: the folder holding <year>/<code>.yaml otherwise.
 */
export async function processForm(
  form: ImportedForm,
  file: NonNullable<ReadFile['file']>,
  run: Run,
  where: { outFile?: string; outRoot: string; fromName: boolean },
): Promise<Processed> {
  const parsed = form.parsed!;
  const name = parsed.data.department.name;
  const diagnostics = [...form.diagnostics];
  const notes: string[] = [];
  const blocked = (exit: number, d: ImportDiagnostic): Processed => ({
    name,
    notes,
    diagnostics: [...diagnostics, d],
    blocked: { exit },
    written: false,
  });
  // Several forms in one file: --code and an --out file can name only one of them.
  if (file.count > 1 && (run.code !== undefined || where.outFile !== undefined)) {
    const option = run.code !== undefined ? '--code' : '--out';
    return blocked(1, importDiag('IMPORT_SEVERAL_FORMS', 'error', undefined, { count: file.count, option }));
  }
  const toStdout = where.outFile === '-';
  const outFile = where.outFile && !toStdout ? path.resolve(run.cwd, where.outFile) : undefined;
  const folderYear = outFile ? /^(\d{4})$/.exec(path.basename(path.dirname(outFile)))?.[1] : undefined;
  const y = chooseYear(parsed, run.year, folderYear ? Number(folderYear) : undefined);
  diagnostics.push(...y.diagnostics);
  if (y.year === undefined) return blocked(2, importDiag('IMPORT_NO_YEAR', 'error', undefined));
  const year = y.year;

  const choice = chooseCode(
    {
      name,
      ...(run.code !== undefined ? { option: run.code } : {}),
      ...(outFile ? { outStem: path.basename(outFile).replace(/\.ya?ml$/i, '') } : {}),
      ...(run.codesFile ? { codesFile: run.codesFile } : {}),
      settingsCodes: run.settingsCodes,
      ...(file.keywords !== undefined ? { keywords: file.keywords } : {}),
      fileStem: path.basename(file.src).replace(/\.[^.]*$/, ''),
      fromName: where.fromName,
      where: file.shownSrc,
    },
    run.book,
  );
  if (!choice) {
    return where.fromName
      ? blocked(2, importDiag('IMPORT_NAME_NO_CODE', 'error', undefined, { name }))
      : blocked(2, importDiag('IMPORT_NO_CODE', 'error', undefined, { name, example: codeFromName(name) ?? '' }));
  }
  const code = choice.code;
  const collision = collisionDiag(name, choice);
  if (collision) diagnostics.push(collision);
  if (choice.from !== 'option') {
    const from = CODE_FROM[choice.from];
    notes.push(
      run.lang === 'en'
        ? `department code ${code} taken from ${from.en} (use --code to choose another)`
        : `部门代码 ${code} 取自${from.zh}（可用 --code 另行指定）`,
    );
  }
  const yaml = formYaml(parsed, year, code, path.basename(file.src));
  const base = { name, notes, year, code, choice, yaml, written: false };
  const target = toStdout ? undefined : (outFile ?? path.join(where.outRoot, String(year), `${code}.yaml`));
  const shownTarget = target ? shown(run.cwd, target) : '<stdout>';
  const at = { ...base, target, shownTarget };
  if (target) {
    const other = run.targets.get(target);
    if (other !== undefined) {
      const args = { other, path: shownTarget };
      return {
        ...at,
        diagnostics: [...diagnostics, importDiag('IMPORT_DUPLICATE_FORM', 'error', undefined, args)],
        blocked: { exit: 1 },
      };
    }
    run.targets.set(target, file.shownSrc);
    if (!run.force && (await readIfExists(target)) !== undefined) {
      const exists = importDiag('IMPORT_FILE_EXISTS', 'error', undefined, { path: shownTarget });
      return { ...at, diagnostics: [...diagnostics, exists], blocked: { exit: 1 } };
    }
  }
  const rel = target ? path.relative(run.dataDir, target) : undefined;
  const inData = rel !== undefined && !rel.startsWith('..') && !path.isAbsolute(rel);
  const checked = withoutRepeats(
    checkSource(shownTarget, new TextEncoder().encode(yaml), {
      settings: run.settings,
      ...(inData ? { dataPath: rel } : {}),
    }),
    parsed.missing,
  );
  if (!target || run.dryRun) return { ...at, diagnostics, checked };
  try {
    await writeFileAtomic(target, yaml);
  } catch (e) {
    const problem = environmentProblem(e, (p) => shown(run.cwd, p));
    if (!problem) throw e;
    run.environment = true;
    const failed = importDiag('IMPORT_WRITE_FAILED', 'error', undefined, { detail: problem });
    return { ...at, diagnostics: [...diagnostics, failed], checked, blocked: { exit: 69 } };
  }
  return { ...at, diagnostics, checked, written: true };
}

/** One file of many: every form in it, as a result for the report. */
export async function importMany(read: ReadFile, run: Run, outRoot: string): Promise<FileResult> {
  const { shownSrc } = read;
  const fileDiags = read.diagnostics.map((d) => reported(d, importWhere(shownSrc, d, undefined), run.lang));
  if (!read.file) return fileResult(shownSrc, fileDiags, []);
  // One file given with one form keeps the one-file rules, --format json or not: --out names the file,
  // and the code is not made from the name's pinyin.
  const one = run.single && read.forms.length === 1;
  const outFile = run.single && run.out !== undefined;
  const forms: FormResult[] = [];
  for (const form of read.forms) {
    const p = await processForm(form, read.file, run, {
      ...(outFile ? { outFile: run.out! } : {}),
      outRoot,
      fromName: !one,
    });
    forms.push(formReport(p, form, shownSrc, run.lang));
  }
  return fileResult(shownSrc, fileDiags, forms);
}

function reported(d: ImportDiagnostic, where: string, lang: Lang): ReportedDiagnostic {
  return { code: d.code, severity: d.severity, where, message: messageFor(d.code, d.args, lang) };
}

/** A processed form as the report carries it: import findings at the source, check findings in the YAML. */
function formReport(p: Processed, form: ImportedForm, shownSrc: string, lang: Lang): FormResult {
  const diagnostics = p.diagnostics.map((d) => reported(d, importWhere(shownSrc, d, form.grid), lang));
  if (p.checked) {
    const fromSource = sourceFinder(p.checked, form.parsed!.sources);
    for (const d of p.checked.diagnostics) {
      const located = locateDiagnostic(p.checked.file, d, p.checked.source.text, p.checked.source.lineCounter, lang);
      const ref = fromSource(d.pos[0]);
      diagnostics.push({
        code: d.code,
        severity: d.severity,
        where: `${located.file}:${located.line}:${located.column}`,
        message: located.message,
        ...(ref ? { source: `${shownSrc}:${describeRef(ref, form.grid?.text)}` } : {}),
      });
    }
  }
  return formResult({
    department: p.name,
    code: p.code ?? null,
    year: p.year ?? null,
    output: p.target && p.shownTarget !== undefined ? p.shownTarget : null,
    written: p.written,
    blocked: p.blocked !== undefined,
    diagnostics,
  });
}
