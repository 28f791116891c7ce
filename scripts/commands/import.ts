/**
 * `jxmb import FILE|DIR…`: existing tables (.xlsx, text exported from them, and what scripts/import reads)
 * → data/<year>/<code>.yaml. One file with one form: its findings at their cell or line, then the new
 * file's validation, as always. A folder, several files, or a file with several forms: every form found,
 * each department's code derived from its name (scripts/import/codes.ts), and a report at the end, the
 * files needing a person first (scripts/import/import-report.ts). The stages are pure; scripts/io/import-run.ts
 * reads, decides where each YAML goes, writes atomically, never overwrites without --force; this prints.
 */
import path from 'node:path';
import { defineCommand, EnvironmentError, UsageError } from '../_command.ts';
import { messageFor } from '../check/messages.ts';
import { CodeBook, parseCodesFile, usableCode } from '../import/codes.ts';
import { describeRef } from '../import/grid.ts';
import type { ImportedForm } from '../import/import-form.ts';
import { codesByName } from '../import/import-plan.ts';
import {
  type FileResult,
  printImport,
  progressLine,
  reportJson,
  reportText,
  sourceFinder,
} from '../import/import-report.ts';
import { collectSources, readDepartments } from '../io/import-sources.ts';
import { importMany, isFolder, processForm, type ReadFile, readFile, type Run, shown } from '../io/import-run.ts';
import { findProjectRoot, loadSettings, readSourceFile } from '../io/project.ts';
import { report } from '../io/report.ts';
import { plural } from '../model/plural.ts';

export default defineCommand({
  meta: {
    name: 'import',
    usage: 'FILE|DIR… [--year YEAR] [--code CODE] [--out PATH] [--force] [--dry-run] [--format json] [--codes FILE]',
    description:
      '把已有的绩效目标表（.xlsx、导出的文本等）转成 data/<年度>/<代码>.yaml，并立即检查；' +
      '给文件夹或多个文件时逐个导入，由部门名称推得代码，最后列出报告。\n' +
      'Import existing tables (.xlsx, exported text…) as data/<year>/<code>.yaml and check them; ' +
      'a folder or several files are imported one by one, codes derived from the names, with a report at the end.',
    examples: [
      'jxmb import 商务局2025.xlsx --code zhijiang-swkjgxj',
      'jxmb import export.txt --code zhijiang-swkjgxj --year 2025',
      'jxmb import old.xlsx --out - | less',
      'jxmb import 各单位报表/ --year 2025 --dry-run',
      'jxmb import 各单位报表/ --codes 代码对照.csv --format json > 报告.json',
    ],
  },
  args: {
    code: {
      type: 'string',
      description:
        '部门代码 department code（小写字母、数字、连字符；只用于一个文件；默认由已有数据、文件名或名称拼音推得 default: from data/, the file name or the pinyin）',
      valueHint: 'CODE',
    },
    year: {
      type: 'string',
      description: '预算年度 fiscal year（默认取表头“（2025）年度” default: the title’s year line）',
      valueHint: 'YEAR',
    },
    out: {
      type: 'string',
      description:
        '输出 output: 文件 a *.yaml file（默认 default data/<year>/<code>.yaml；- 为标准输出 stdout），' +
        '或文件夹 or a folder（已有的、以 / 结尾的或其他名称 existing, ending in /, any other name）→ <PATH>/<year>/<code>.yaml',
      valueHint: 'PATH',
    },
    force: { type: 'boolean', description: '覆盖已存在的文件 overwrite an existing file' },
    dry_run: { type: 'boolean', description: '只报告将写入什么，不写文件 report what would be written, write nothing' },
    format: {
      type: 'string',
      description: '报告格式 report format: text | json',
      default: 'text',
      valueHint: 'FORMAT',
    },
    codes: {
      type: 'string',
      description: '部门代码对照文件 a name → code table (YAML, or CSV/TSV: 名称,代码)',
      valueHint: 'FILE',
    },
    data: { type: 'string', description: '数据文件夹 data folder (default: <project>/data)', valueHint: 'DIR' },
    lang: {
      type: 'string',
      description: '信息语言 message language: zh | en（默认取设置 default from settings）',
      valueHint: 'LANG',
    },
    color: { type: 'boolean', description: '强制彩色输出 force colour' },
  },
  async run({ args, positionals, out, err, color, cwd }) {
    if (!positionals.length) throw new UsageError('请给出要导入的文件或文件夹 give the files or folders to import');
    if (args.lang !== undefined && args.lang !== 'zh' && args.lang !== 'en')
      throw new UsageError(`--lang 只能是 zh | en（收到 “${args.lang}”）`);
    if (args.format !== 'text' && args.format !== 'json')
      throw new UsageError(`--format 只能是 text | json（收到 “${args.format}”）`);
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
    const json = args.format === 'json';
    if (json && args.out === '-') throw new UsageError('--format json 与 --out - 都写到标准输出，只能选一个');
    const single = positionals.length === 1 && !(await isFolder(path.resolve(cwd, positionals[0]!)));
    // --out names a file only as `-` or a new *.yaml; an existing folder, a trailing slash or any other name
    // is a folder holding <year>/<code>.yaml (so `--out out/` never becomes a file called `out`).
    const outIsFile =
      args.out !== undefined &&
      (args.out === '-' ||
        (/\.ya?ml$/i.test(args.out) && !/[\\/]$/.test(args.out) && !(await isFolder(path.resolve(cwd, args.out)))));
    if (!single && args.code !== undefined)
      throw new UsageError('--code 只能用于一个文件；多个文件的代码由部门名称推得，或用 --codes 文件指定');
    if (!single && outIsFile)
      throw new UsageError('导入多个文件时 --out 应为文件夹（各表写到 <文件夹>/<年度>/<代码>.yaml）');

    const root = findProjectRoot(cwd);
    const dataDir = args.data ? path.resolve(cwd, args.data) : path.join(root, 'data');
    const settings = (await loadSettings(root)).settings;
    const lang = args.lang ?? settings.lang;
    const codesFile = args.codes
      ? await readCodes(path.resolve(cwd, args.codes), shown(cwd, path.resolve(cwd, args.codes)))
      : undefined;

    const book = new CodeBook();
    for (const d of await readDepartments(dataDir)) book.addExisting(d.code, d.name, shown(cwd, d.file));
    const run: Run = {
      cwd,
      dataDir,
      settings,
      lang,
      book,
      year,
      force: args.force,
      dryRun: args.dry_run,
      ...(args.code !== undefined ? { code: args.code } : {}),
      ...(outIsFile ? { out: args.out! } : {}),
      ...(codesFile ? { codesFile } : {}),
      settingsCodes: codesByName(settings.import?.codes),
      single,
      targets: new Map(),
      environment: false,
    };
    // With the YAML on stdout, everything else goes to stderr so the output can be piped.
    const say = args.out === '-' ? err : out;

    const outRoot = args.out !== undefined && !outIsFile ? path.resolve(cwd, args.out) : dataDir;
    let first: ReadFile | undefined;
    if (single && !json) {
      first = await readFile({ abs: path.resolve(cwd, positionals[0]!) }, run);
      if (first.forms.length === 1) return importOne(first.forms[0]!, first.file!, run, { say, out, color, outRoot });
      if (!first.forms.length) {
        printImport(say, first.shownSrc, undefined, first.diagnostics, lang, color);
        return 1;
      }
    }

    // Many: every file in turn (one in memory at a time), a progress bar on a terminal, the report at the end.
    const sources = single
      ? [{ abs: path.resolve(cwd, positionals[0]!) }]
      : await collectSources(positionals, cwd, [dataDir, outRoot]);
    const bar = Boolean(process.stderr.isTTY) && !process.env.CI;
    const progress = (s: string): void => void (bar && process.stderr.write(`\r\x1b[K${s}`));
    const results: FileResult[] = [];
    for (const [i, src] of sources.entries()) {
      progress(progressLine(i, sources.length, shown(cwd, src.abs), process.stderr.columns || 80));
      results.push(await importMany(i === 0 && first ? first : await readFile(src, run), run, outRoot));
    }
    progress('');
    if (json) out(reportJson(results, { dryRun: run.dryRun }));
    else {
      if (!sources.length)
        out(lang === 'en' ? 'no tables found (.xlsx .xls .docx .csv .tsv .txt .html …)' : '没有找到可导入的表格文件');
      for (const line of reportText(results, { lang, color, dryRun: run.dryRun })) out(line);
    }
    if (run.environment) return 69;
    return !sources.length || results.some((r) => r.errors > 0) ? 1 : 0;
  },
});

/** A `--codes` file's table; a missing file or a bad line is a usage error (exit 2), naming the line. */
async function readCodes(abs: string, shownPath: string): Promise<Map<string, string>> {
  const { bytes, diagnostic } = await readSourceFile(abs, shownPath, [path.parse(abs).root]);
  if (!bytes) throw new UsageError(`--codes: ${messageFor(diagnostic.code, diagnostic.args, 'zh')}`);
  const { codes, problems } = parseCodesFile(new TextDecoder().decode(bytes), abs);
  if (problems.length) {
    const lines = problems.slice(0, 5).map((p) => `  ${shownPath}:${p.line}  ${p.text}`);
    throw new UsageError(
      `--codes 文件中有 ${problems.length} 行不是“名称,代码”（代码只用小写字母、数字和连字符，且至少有一个字母）` +
        ` lines that are not "name,code" with a usable code:\n${lines.join('\n')}`,
    );
  }
  return codes;
}

/** One file, one form: the findings where they are in the source, the new file's check, as always. */
async function importOne(
  form: ImportedForm,
  file: NonNullable<ReadFile['file']>,
  run: Run,
  io: { say: (s: string) => void; out: (s: string) => void; color: boolean; outRoot: string },
): Promise<number> {
  const { say, color } = io;
  const outFile = run.out;
  const p = await processForm(form, file, run, {
    ...(outFile !== undefined ? { outFile } : {}),
    outRoot: io.outRoot,
    fromName: false,
  });
  const lang = run.lang;
  if (form.kind === 'xlsx' && (form.sheets?.length ?? 0) > 1) {
    p.notes.unshift(
      lang === 'en'
        ? `read sheet "${form.grid?.sheet}" (of ${form.sheets!.join(', ')})`
        : `读取工作表 “${form.grid?.sheet}”（共 ${form.sheets!.length} 个：${form.sheets!.join('、')}）`,
    );
  }
  printImport(say, file.shownSrc, form.grid, p.diagnostics, lang, color);
  if (p.blocked?.exit === 69)
    throw new EnvironmentError(messageFor('IMPORT_WRITE_FAILED', p.diagnostics.at(-1)!.args, lang));
  if (p.blocked) return p.blocked.exit;
  for (const n of p.notes) say(n);
  if (!p.target) io.out(p.yaml!.replace(/\n$/, ''));
  // Each finding in the new YAML also names the cell (or line) it came from, to fix the spreadsheet too.
  const fromSource = sourceFinder(p.checked!, form.parsed!.sources);
  let k = 0;
  const withSource = (s: string): void => {
    const d = p.checked!.diagnostics[k++];
    const ref = d ? fromSource(d.pos[0]) : undefined;
    say(
      ref
        ? `${s}\n     ${lang === 'en' ? 'in the source' : '源文件位置'}: ${file.shownSrc}:` +
            `${describeRef(ref, form.grid?.text)}`
        : s,
    );
  };
  const counts = report([p.checked!], undefined, { format: 'text', lang, color, out: withSource, summary: false });
  const importErrors = p.diagnostics.filter((d) => d.severity === 'error').length;
  const n = form.parsed!.data.indicators.length;
  if (p.target) {
    const result =
      lang === 'en'
        ? `${plural(n, 'indicator')}; ${plural(counts.errors, 'error')}, ` +
          `${plural(counts.warnings, 'warning')} in the result`
        : `${n} 个指标；检查结果 ${counts.errors} 个错误，${counts.warnings} 个警告`;
    say(
      run.dryRun
        ? lang === 'en'
          ? `would write ${p.shownTarget} (dry run, nothing written): ${result}`
          : `将写入 ${p.shownTarget}（试运行，未写入）：${result}`
        : lang === 'en'
          ? `wrote ${p.shownTarget}: ${result}`
          : `已写入 ${p.shownTarget}：${result}`,
    );
  }
  return importErrors + counts.errors > 0 ? 1 : 0;
}
