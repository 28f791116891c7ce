/**
 * `jxmb import FILE`: an existing table (the official .xlsx, or text exported from it) → data/<year>/<code>.yaml.
 * The stages are pure (scripts/import/); this command reads the file, decides the year and the code,
 * writes atomically, and shows both the import's findings (at their cell or line in the source) and the
 * new file's validation, so a table's flaws surface at once.
 */
import path from 'node:path';
import { defineCommand, UsageError } from '../_command.ts';
import type { CheckedFile } from '../check/check-file.ts';
import { escapeControls, normalizeName } from '../check/characters.ts';
import { formatText } from '../check/format-diagnostics.ts';
import { type Lang, messageFor } from '../check/messages.ts';
import { describeRef, type Grid, importDiag, type ImportDiagnostic, type SourceRef } from '../import/grid.ts';
import type { ParsedForm } from '../import/parse-form.ts';
import { locate, rangeOf } from '../load/positions.ts';
import { emitYaml } from '../import/emit-yaml.ts';
import { importForm } from '../import/import-form.ts';
import { MAX_WARNINGS_PER_CODE } from '../import/limits.ts';
import { loadSource } from '../load/load-yaml.ts';
import { findDataFiles, readIfExists, writeFileAtomic } from '../io/files.ts';
import { officeConverter } from '../io/office-convert.ts';
import { checkSource, findProjectRoot, loadSettings, readSourceFile } from '../io/project.ts';
import { report } from '../io/report.ts';

/** A path as the user would type it: relative below cwd, absolute elsewhere. */
const shown = (cwd: string, abs: string): string => {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
};

const CODE_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A code must name something: `2025` or `1` is a year or a number, not a department. */
const usableCode = (s: string): boolean => CODE_RE.test(s) && /[a-z]/.test(s) && s.length <= 64;

export default defineCommand({
  meta: {
    name: 'import',
    usage: 'FILE [--code CODE] [--year YEAR] [--out PATH] [--force]',
    description:
      '把已有的绩效目标表（官方 .xlsx，或从中导出的制表符分隔文本）转成 data/<年度>/<代码>.yaml，并立即检查。\n' +
      'Import an existing table (the official .xlsx, or tab-separated text exported from it) as ' +
      'data/<year>/<code>.yaml, and check it.',
    examples: [
      'jxmb import 商务局2025.xlsx --code zhijiang-swkjgxj',
      'jxmb import export.txt --code zhijiang-swkjgxj --year 2025',
      'jxmb import old.xlsx --out - | less',
    ],
  },
  args: {
    code: {
      type: 'string',
      description: '部门代码 department code（小写字母、数字、连字符；可由已有数据或文件名推得）',
      valueHint: 'CODE',
    },
    year: {
      type: 'string',
      description: '预算年度 fiscal year（默认取表头“（2025）年度” default: the title’s year line）',
      valueHint: 'YEAR',
    },
    out: {
      type: 'string',
      description: '输出文件 output file（默认 default data/<year>/<code>.yaml；- 为标准输出 stdout）',
      valueHint: 'PATH',
    },
    force: { type: 'boolean', description: '覆盖已存在的文件 overwrite an existing file' },
    data: { type: 'string', description: '数据文件夹 data folder (default: <project>/data)', valueHint: 'DIR' },
    lang: {
      type: 'string',
      description: '信息语言 message language: zh | en（默认取设置 default from settings）',
      valueHint: 'LANG',
    },
    color: { type: 'boolean', description: '强制彩色输出 force colour' },
  },
  async run({ args, positionals, out, err, color, cwd }) {
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length
          ? '一次只能导入一个文件 import one file at a time'
          : '请给出要导入的文件 give the file to import',
      );
    if (args.lang !== undefined && args.lang !== 'zh' && args.lang !== 'en')
      throw new UsageError(`--lang 只能是 zh | en（收到 “${args.lang}”）`);
    if (args.code !== undefined && !usableCode(args.code)) {
      throw new UsageError(
        `--code “${args.code}” 只能用小写字母、数字和连字符，且至少有一个字母（如 zhijiang-swkjgxj）`,
      );
    }
    let year: number | undefined;
    if (args.year !== undefined) {
      year = Number(args.year);
      if (!/^\d{4}$/.test(args.year) || year < 2000 || year > 2100)
        throw new UsageError(`--year 应为 2000–2100 的四位年份（收到 “${args.year}”）`);
    }
    const toStdout = args.out === '-';
    // With the YAML on stdout, everything else goes to stderr so the output can be piped.
    const say = toStdout ? err : out;
    const root = findProjectRoot(cwd);
    const dataDir = args.data ? path.resolve(cwd, args.data) : path.join(root, 'data');
    const settings = await loadSettings(root);
    const lang = args.lang ?? settings.settings.lang;

    const src = path.resolve(cwd, positionals[0]!);
    const shownSrc = shown(cwd, src);
    const bytes = await readIfExists(src);
    if (!bytes) {
      printImport(
        say,
        shownSrc,
        undefined,
        [importDiag('FILE_NOT_FOUND', 'error', undefined, { path: shownSrc })],
        lang,
        color,
      );
      return 1;
    }
    const imported = await importForm(bytes, {
      pointsTotal: settings.settings.points_total,
      fileName: path.basename(src),
      convert: officeConverter(),
    });
    const parsed = imported.parsed;
    const diagnostics = [...imported.diagnostics];
    if (!parsed) {
      printImport(say, shownSrc, imported.grid, diagnostics, lang, color);
      return 1;
    }
    const notes: string[] = [];
    if (imported.kind === 'xlsx' && (imported.sheets?.length ?? 0) > 1) {
      notes.push(
        lang === 'en'
          ? `read sheet "${imported.grid?.sheet}" (of ${imported.sheets!.join(', ')})`
          : `读取工作表 “${imported.grid?.sheet}”（共 ${imported.sheets!.length} 个：${imported.sheets!.join('、')}）`,
      );
    }

    // The year: --year, else the title's year line, else the folder of --out.
    const outFolderYear =
      args.out && !toStdout
        ? /^(\d{4})$/.exec(path.basename(path.dirname(path.resolve(cwd, args.out))))?.[1]
        : undefined;
    if (year !== undefined && parsed.titleYear !== undefined && year !== parsed.titleYear) {
      diagnostics.push(importDiag('IMPORT_YEAR_MISMATCH', 'warning', undefined, { title: parsed.titleYear, year }));
    }
    year ??= parsed.titleYear ?? (outFolderYear ? Number(outFolderYear) : undefined);
    if (year === undefined) {
      printImport(
        say,
        shownSrc,
        imported.grid,
        [...diagnostics, importDiag('IMPORT_NO_YEAR', 'error', undefined)],
        lang,
        color,
      );
      return 2;
    }

    // The code: --code, the --out file name, the workbook's own, the same department in data/, the file name.
    const name = parsed.data.department.name;
    const derived = await deriveCode({
      outPath: toStdout ? undefined : args.out,
      keywords: imported.keywords,
      name,
      dataDir,
      source: src,
    });
    const code = args.code ?? derived?.code;
    if (!code) {
      printImport(
        say,
        shownSrc,
        imported.grid,
        [...diagnostics, importDiag('IMPORT_NO_CODE', 'error', undefined, { name })],
        lang,
        color,
      );
      return 2;
    }
    if (!args.code && derived)
      notes.push(
        lang === 'en'
          ? `department code ${code} taken from ${derived.from.en} (use --code to choose another)`
          : `部门代码 ${code} 取自${derived.from.zh}（可用 --code 另行指定）`,
      );

    parsed.data.fiscal_year = year;
    parsed.data.department.code = code;
    const comments = parsed.unplaced.length
      ? [
          `jxmb import: 以下内容在表中没有对应的位置，原样保留在此，请核对 (content with no place in the form, from ${path.basename(src)}):`,
          ...parsed.unplaced.map((u) => `  ${u.where}  ${u.text}`),
        ]
      : [];
    const yaml = emitYaml(parsed.data, {
      comments,
      ...(parsed.numberTexts ? { numberTexts: parsed.numberTexts } : {}),
    });

    const target = toStdout
      ? undefined
      : args.out
        ? path.resolve(cwd, args.out)
        : path.join(dataDir, String(year), `${code}.yaml`);
    const shownTarget = target ? shown(cwd, target) : '<stdout>';
    if (target && !args.force && (await readIfExists(target)) !== undefined) {
      printImport(
        say,
        shownSrc,
        imported.grid,
        [...diagnostics, importDiag('IMPORT_FILE_EXISTS', 'error', undefined, { path: shownTarget })],
        lang,
        color,
      );
      return 1;
    }

    printImport(say, shownSrc, imported.grid, diagnostics, lang, color);
    for (const n of notes) say(n);
    const rel = target ? path.relative(dataDir, target) : undefined;
    const inData = rel !== undefined && !rel.startsWith('..') && !path.isAbsolute(rel);
    const where = inData ? { dataPath: rel } : {};
    const checked = checkSource(shownTarget, new TextEncoder().encode(yaml), { settings: settings.settings, ...where });
    if (target) await writeFileAtomic(target, yaml);
    else out(yaml.replace(/\n$/, ''));
    // Each finding in the new YAML also names the cell (or line) it came from, to fix the spreadsheet too.
    const fromSource = sourceFinder(checked, parsed.sources);
    let k = 0;
    const withSource = (s: string): void => {
      const d = checked.diagnostics[k++];
      const ref = d ? fromSource(d.pos[0]) : undefined;
      say(
        ref
          ? `${s}\n     ${lang === 'en' ? 'in the source' : '源文件位置'}: ${shownSrc}:` +
              `${describeRef(ref, imported.grid?.text, lang)}`
          : s,
      );
    };
    const counts = report([checked], undefined, { format: 'text', lang, color, out: withSource, summary: false });
    const importErrors = diagnostics.filter((d) => d.severity === 'error').length;
    const n = parsed.data.indicators.length;
    if (target) {
      say(
        lang === 'en'
          ? `wrote ${shownTarget}: ${n} indicators; ${counts.errors} errors, ${counts.warnings} warnings in the result`
          : `已写入 ${shownTarget}：${n} 个指标；检查结果 ${counts.errors} 个错误，${counts.warnings} 个警告`,
      );
    }
    return importErrors + counts.errors > 0 ? 1 : 0;
  },
});

/**
 * Prints import diagnostics at their place in the source: `file:Sheet1!H12`, `file:12:3`, or the file.
 * A sheet full of stray cells gives thousands of one warning: the first MAX_WARNINGS_PER_CODE of each
 * code and severity are printed, the rest counted in one line, so the output stays readable.
 */
function printImport(
  say: (s: string) => void,
  file: string,
  grid: Grid | undefined,
  ds: ImportDiagnostic[],
  lang: Lang,
  color: boolean,
): void {
  const seen = new Map<string, number>();
  for (const d of ds) {
    const key = `${d.severity} ${d.code}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > MAX_WARNINGS_PER_CODE) continue;
    const message = messageFor(d.code, d.args, lang);
    if (d.at?.kind === 'text' && grid?.text !== undefined) {
      const [line, column] = describeRef(d.at, grid.text).split(':').map(Number) as [number, number];
      say(
        formatText(
          { file, line, column, endLine: line, endColumn: column, severity: d.severity, code: d.code, message },
          { color },
        ),
      );
    } else {
      const where = d.at ? `${file}:${describeRef(d.at, undefined, lang)}` : file;
      const c = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
      const sev = d.severity === 'error' ? c('31;1', 'error') : c('33;1', 'warning');
      // Sheet names and cell text come from the workbook: shown escaped, never sent to the terminal raw.
      const e = (t: string): string => escapeControls(t, { newlines: false });
      say(`${c('1', e(where))}  ${sev}  ${c('2', d.code)}  ${e(message)}`);
    }
  }
  for (const [key, n] of seen) {
    if (n <= MAX_WARNINGS_PER_CODE) continue;
    const [severity, code] = key.split(' ') as [string, string];
    const more = n - MAX_WARNINGS_PER_CODE;
    const shownFile = escapeControls(file, { newlines: false });
    const kind =
      lang === 'en' ? (severity === 'error' ? 'errors' : 'warnings') : severity === 'error' ? '错误' : '警告';
    say(
      lang === 'en'
        ? `${shownFile}  … and ${more} more ${kind} of the same kind (${code}), not listed`
        : `${shownFile}  …以及另外 ${more} 条同类${kind}（${code}），未逐条列出`,
    );
  }
}

/** The source cell of the smallest imported value whose YAML span holds an offset. */
function sourceFinder(checked: CheckedFile, sources: ParsedForm['sources']): (offset: number) => SourceRef | undefined {
  const doc = checked.source.doc;
  if (!doc) return () => undefined;
  const spans = sources.flatMap((s) => {
    const r = rangeOf(locate(doc, s.path).node);
    return r ? [{ r, ref: s.ref }] : [];
  });
  return (offset) => {
    let best: (typeof spans)[number] | undefined;
    for (const s of spans)
      if (s.r[0] <= offset && offset < s.r[1] && (!best || s.r[1] - s.r[0] < best.r[1] - best.r[0])) best = s;
    return best?.ref;
  };
}

interface DeriveInput {
  outPath?: string;
  keywords?: string;
  name: string;
  dataDir: string;
  source: string;
}

/** A department code from what is at hand, in order of trust; undefined when nothing gives one. */
async function deriveCode(i: DeriveInput): Promise<{ code: string; from: { zh: string; en: string } } | undefined> {
  const outStem = i.outPath ? path.basename(i.outPath).replace(/\.ya?ml$/i, '') : undefined;
  if (outStem && usableCode(outStem))
    return { code: outStem, from: { zh: ' --out 的文件名', en: 'the --out file name' } };
  // jxmb's own workbooks carry the code among their keywords (`…, 2025年度, <name>, <code>`).
  const kw = (i.keywords ?? '')
    .split(/[\s,，;；]+/)
    .reverse()
    .find(usableCode);
  if (kw) return { code: kw, from: { zh: '工作簿属性（关键词）', en: 'the workbook’s keywords' } };
  if (i.name) {
    const codes = new Set<string>();
    for (const f of await findDataFiles(i.dataDir)) {
      // Through the one reader: a FIFO or a link out of the data folder among them is skipped, not opened.
      const { bytes } = await readSourceFile(f, f, [i.dataDir]);
      if (!bytes) continue;
      const data = loadSource(bytes).data as { department?: { code?: unknown; name?: unknown } } | undefined;
      // Compared as names are compared everywhere: a full-width or zero-width space is no other department.
      const dept = data?.department;
      const same = typeof dept?.name === 'string' && normalizeName(dept.name) === normalizeName(i.name);
      if (same && typeof dept.code === 'string' && usableCode(dept.code)) codes.add(dept.code);
    }
    if (codes.size === 1)
      return {
        code: [...codes][0]!,
        from: { zh: ' data/ 中同名部门已有的表', en: `an existing table of ${i.name} in data/` },
      };
  }
  const stem = path
    .basename(i.source)
    .replace(/\.[^.]*$/, '')
    .toLowerCase();
  if (usableCode(stem)) return { code: stem, from: { zh: '文件名', en: 'the file name' } };
  return undefined;
}
