/**
 * What becomes of one imported form: its fiscal year, its department code (and where that came from),
 * and its YAML. Pure: the command gathers what is on disk (the codes in data/, the settings, a codes file)
 * into a CodeBook and maps, and writes the result.
 */
import { normalizeName } from '../check/characters.ts';
import { codeFromName, type CodeBook, type CodeHolder, usableCode } from './codes.ts';
import { emitYaml } from './emit-yaml.ts';
import { importDiag, type ImportDiagnostic } from './grid.ts';
import type { ParsedForm } from './parse-form.ts';

/** Where a department code came from, in order of trust. */
export type CodeFrom =
  'option' | 'out' | 'codes-file' | 'settings' | 'keywords' | 'data' | 'run' | 'name' | 'file-name';

/** `部门代码 X 取自…` / `department code X taken from …`. */
export const CODE_FROM: Record<CodeFrom, { zh: string; en: string }> = {
  option: { zh: ' --code', en: '--code' },
  out: { zh: ' --out 的文件名', en: 'the --out file name' },
  'codes-file': { zh: ' --codes 文件', en: 'the --codes file' },
  settings: { zh: '设置 import.codes', en: 'the import.codes setting' },
  keywords: { zh: '工作簿属性（关键词）', en: 'the workbook’s keywords' },
  data: { zh: ' data/ 中同名部门已有的表', en: 'an existing table of the department in data/' },
  run: { zh: '本次导入中同名部门的另一张表', en: 'another table of the department in this import' },
  name: { zh: '部门名称的拼音', en: 'the pinyin of the department name' },
  'file-name': { zh: '文件名', en: 'the file name' },
};

export interface CodeInput {
  /** The department name read from the form. */
  name: string;
  /** --code. */
  option?: string;
  /** The file name of --out without .yaml (one form only). */
  outStem?: string;
  /** The `--codes` file's table and the settings' `import.codes`, by normalised name. */
  codesFile?: ReadonlyMap<string, string>;
  settingsCodes?: ReadonlyMap<string, string>;
  /** The workbook's keywords (jxmb's own workbooks carry the code there). */
  keywords?: string;
  /** The source file's name without extension (tried last, when names are not turned into pinyin). */
  fileStem?: string;
  /**
   * A batch, or a file with several forms: the file name says nothing of each form's department, so the
   * name's pinyin comes right after what is known. One form of one file tries its file name first.
   */
  fromName: boolean;
  /** The source file, as shown: who claims a code, for a collision's message. */
  where: string;
}

export interface CodeChoice {
  code: string;
  from: CodeFrom;
  /** A derived code another department held: the code given instead is numbered. */
  collidedWith?: CodeHolder & { code: string };
}

/** Settings' `import.codes` as a map by normalised name. */
export const codesByName = (codes: Readonly<Record<string, string>> | undefined): Map<string, string> =>
  new Map(Object.entries(codes ?? {}).map(([name, code]) => [normalizeName(name), code]));

/**
 * The department code of one form, registered in the book: --code, the --out file name, the codes file,
 * the settings, the workbook's keywords, the same department in data/ or earlier in this run, then (one
 * form of one file) a file name that is a code, then the name's pinyin. Undefined when nothing gives one.
 */
export function chooseCode(i: CodeInput, book: CodeBook): CodeChoice | undefined {
  const key = normalizeName(i.name);
  const kw = (i.keywords ?? '')
    .split(/[\s,，;；]+/)
    .reverse()
    .find(usableCode);
  const known = i.name ? book.codeOf(i.name) : undefined;
  const candidates: Array<[CodeFrom, string | undefined]> = [
    ['option', i.option],
    ['out', i.outStem && usableCode(i.outStem) ? i.outStem : undefined],
    ['codes-file', key ? i.codesFile?.get(key) : undefined],
    ['settings', key ? i.settingsCodes?.get(key) : undefined],
    ['keywords', kw],
    [known?.inRun ? 'run' : 'data', known?.code],
    [
      'file-name',
      !i.fromName && i.fileStem && usableCode(i.fileStem.toLowerCase()) ? i.fileStem.toLowerCase() : undefined,
    ],
    ['name', codeFromName(i.name)],
  ];
  const found = candidates.find((c): c is [CodeFrom, string] => c[1] !== undefined);
  if (!found) return undefined;
  const [from, wanted] = found;
  const { code, collidedWith } = book.claim(i.name, wanted, i.where, from === 'name');
  return { code, from, ...(collidedWith ? { collidedWith } : {}) };
}

/** The diagnostic for a derived code that gave way to another department's. */
export const collisionDiag = (name: string, choice: CodeChoice): ImportDiagnostic | undefined =>
  choice.collidedWith &&
  importDiag('IMPORT_CODE_COLLISION', 'warning', undefined, {
    name,
    wanted: choice.collidedWith.code,
    code: choice.code,
    other: choice.collidedWith.name,
    where: choice.collidedWith.where,
  });

/**
 * The fiscal year: --year, else the title's year line, else (one form written to --out) the year folder
 * the output goes to. A --year that differs from the title is said.
 */
export function chooseYear(
  parsed: ParsedForm,
  option: number | undefined,
  folderYear?: number,
): { year?: number; diagnostics: ImportDiagnostic[] } {
  const diagnostics: ImportDiagnostic[] = [];
  if (option !== undefined && parsed.titleYear !== undefined && option !== parsed.titleYear) {
    diagnostics.push(
      importDiag('IMPORT_YEAR_MISMATCH', 'warning', undefined, { title: parsed.titleYear, year: option }),
    );
  }
  const year = option ?? parsed.titleYear ?? folderYear;
  return { ...(year !== undefined ? { year } : {}), diagnostics };
}

/** The YAML of a form with its year and code, unplaced content kept as comments at the top. */
export function formYaml(parsed: ParsedForm, year: number, code: string, sourceName: string): string {
  parsed.data.fiscal_year = year;
  parsed.data.department.code = code;
  const comments = parsed.unplaced.length
    ? [
        `jxmb import: 以下内容在表中没有对应的位置，原样保留在此，请核对 (content with no place in the form, from ${sourceName}):`,
        ...parsed.unplaced.map((u) => `  ${u.where}  ${u.text}`),
      ]
    : [];
  return emitYaml(parsed.data, { comments, ...(parsed.numberTexts ? { numberTexts: parsed.numberTexts } : {}) });
}
