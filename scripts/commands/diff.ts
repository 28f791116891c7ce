/**
 * `jxmb diff`: what changed between two tables, two fiscal years, or a git ref and the working tree —
 * in the form's own terms, with weakened targets flagged. Also the git diff driver (`--git-driver`).
 * Exit codes: 0 no differences (or differences without --exit-code), 1 differences with --exit-code,
 * 2 a side does not validate, or the command line / git is wrong.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { defineCommand, UsageError } from '../_command.ts';
import type { CheckedFile } from '../check/check-file.ts';
import { escapeControls } from '../check/characters.ts';
import { type Diagnostic, hasErrors } from '../check/diagnostic.ts';
import type { Lang } from '../check/messages.ts';
import { type DepartmentDiff, type DiffReport, type DiffSide, hasDifferences } from '../diff/changes.ts';
import { compareDepartments } from '../diff/compare.ts';
import { HTML_LAYOUTS, type HtmlLayout, renderDiffHtml } from '../diff/format-html.ts';
import { formatJson } from '../diff/format-json.ts';
import { formatMarkdown, MD_MAX_CHARS } from '../diff/format-md.ts';
import { formatText } from '../diff/format-text.ts';
import { words } from '../diff/labels.ts';
import { embeddedFontCss } from '../io/embed-fonts.ts';
import { findDataFiles, writeFileAtomic } from '../io/files.ts';
import { changedFiles, GitError, repoRoot, resolveRef, runGit, showFile } from '../forge/git.ts';
import { checkSource, findProjectRoot, type LoadedSettings, loadSettings, readSourceFile } from '../io/project.ts';
import { report } from '../io/report.ts';
import { TEMPLATES_DIR } from '../io/templates.ts';
import { isSelfEvalPath } from '../model/self-eval.ts';

export const DIFF_FORMATS = ['text', 'md', 'html', 'json'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

/** One side as read: what to call it, its bytes, and where it sits in the data folder. */
interface Source {
  shown: string;
  bytes: Uint8Array;
  /** Why the file was not read (a folder, a FIFO, a link out of the project): reported, not checked. */
  unread?: Diagnostic;
  /** `2025/x.yaml`: lets validation check the folder year and the file name. */
  dataPath?: string;
}

interface PairSpec {
  from?: Source;
  to?: Source;
  /** `from` is an earlier year's table for a new file (git mode). */
  baseline?: boolean;
}

const args = {
  from: { type: 'string', description: '旧年度 old fiscal year (with --to)', valueHint: 'YEAR' },
  to: { type: 'string', description: '新年度 new fiscal year (with --from)', valueHint: 'YEAR' },
  git: {
    type: 'string',
    description:
      '与 git 引用比较工作区（REF... 表示与分叉点比较） compare the working tree with a git ref (REF... = its merge base with HEAD)',
    valueHint: 'REF',
  },
  git_driver: {
    type: 'boolean',
    description: 'git 外部 diff 驱动（git 传入 7 个参数） act as git’s external diff driver (git passes 7 arguments)',
  },
  format: {
    type: 'string',
    description: '输出格式 output format: text | md | html | json',
    valueHint: 'FMT',
    default: 'text',
  },
  layout: {
    type: 'string',
    description: 'HTML 布局 HTML layout: inline | side',
    valueHint: 'LAYOUT',
    default: 'inline',
  },
  lang: {
    type: 'string',
    description: '语言 language: zh | en（默认取设置 default from settings）',
    valueHint: 'LANG',
  },
  exit_code: { type: 'boolean', description: '有差异时退出码为 1 exit 1 when there are differences' },
  data: { type: 'string', description: '数据文件夹 data folder', valueHint: 'DIR', default: 'data' },
  output: {
    type: 'string',
    short: 'o',
    description: '写入文件而不是标准输出 write to a file instead of stdout',
    valueHint: 'FILE',
  },
  color: { type: 'boolean', description: '强制彩色输出 force colour (text)' },
  embed_fonts: {
    type: 'boolean',
    description: 'HTML 内嵌本项目的中文字体（自包含） embed the project’s CJK fonts in the HTML',
  },
  max_chars: {
    type: 'string',
    description: `md 最大长度 longest md output (default ${MD_MAX_CHARS}, under GitHub’s comment limit)`,
    valueHint: 'N',
  },
} as const;

export default defineCommand({
  meta: {
    name: 'diff',
    usage: 'A.yaml B.yaml | --from YEAR --to YEAR [codes…] | --git REF [options]',
    description:
      '比较两张表、两个年度或一次修改：新增、删除、改名、移动的指标，指标值、评分规则、分值的变化，并标出目标降低。\n' +
      'Compare two tables, two fiscal years, or the working tree with a git ref, in the form’s terms; ' +
      'flags weakened targets.\n' +
      '退出码 Exit: 0 无差异 no differences · 1 有差异（仅 --exit-code） differences (with --exit-code) · 2 错误 error',
    examples: [
      'jxmb diff data/2025/zhijiang-swkjgxj.yaml data/2026/zhijiang-swkjgxj.yaml',
      'jxmb diff --from 2025 --to 2026',
      'jxmb diff --git origin/main... --format md > diff.md',
      'jxmb diff --from 2025 --to 2026 --format html --embed-fonts -o diff.html',
      'git config diff.jxmb.command "node scripts/jxmb.js diff --git-driver"',
    ],
  },
  args,
  async run(ctx) {
    const a = ctx.args;
    const format = a.format as DiffFormat;
    if (!DIFF_FORMATS.includes(format))
      throw new UsageError(`--format 只能是 ${DIFF_FORMATS.join(' | ')}（收到 “${a.format}”）`);
    if (!HTML_LAYOUTS.includes(a.layout as HtmlLayout))
      throw new UsageError(`--layout 只能是 ${HTML_LAYOUTS.join(' | ')}（收到 “${a.layout}”）`);
    if (a.lang !== undefined && a.lang !== 'zh' && a.lang !== 'en')
      throw new UsageError(`--lang 只能是 zh | en（收到 “${a.lang}”）`);
    const maxChars = a.max_chars === undefined ? MD_MAX_CHARS : Number(a.max_chars);
    if (!Number.isInteger(maxChars) || maxChars < 1000)
      throw new UsageError(`--max-chars 应为不小于 1000 的整数（收到 “${a.max_chars}”）`);
    const modes = [a.git !== undefined, a.git_driver, a.from !== undefined || a.to !== undefined].filter(
      Boolean,
    ).length;
    if (modes > 1)
      throw new UsageError(
        '--git、--git-driver 和 --from/--to 只能选一种 choose one of --git, --git-driver, --from/--to',
      );

    const root = findProjectRoot(ctx.cwd);
    const settings = await loadSettings(root);
    if (hasErrors(settings.diagnostics)) {
      report([], settings, { format: 'text', lang: 'zh', color: false, out: ctx.err, summary: false });
      return 2;
    }
    const lang = a.lang ?? settings.settings.lang;
    const dataDir = path.resolve(ctx.cwd, a.data ?? 'data');
    if (a.git_driver)
      return gitDriver(
        {
          positionals: ctx.positionals,
          out: ctx.out,
          cwd: ctx.cwd,
          // git pipes us into its pager; colour then, as git itself would.
          color: ctx.colorFor(process.env.GIT_PAGER_IN_USE === 'true'),
        },
        settings,
        lang,
        dataDir,
      );

    let specs: PairSpec[];
    let labels: [string, string];
    try {
      if (a.git !== undefined) {
        if (ctx.positionals.length)
          throw new UsageError(
            `--git 比较全部改动的数据文件，不接受其他参数（收到 “${ctx.positionals.join(' ')}”） --git takes no paths`,
          );
        [specs, labels] = await fromGit(a.git, ctx.cwd, dataDir, lang);
      } else if (a.from !== undefined || a.to !== undefined)
        [specs, labels] = await fromYears(a.from, a.to, ctx.positionals, dataDir, ctx.cwd);
      else [specs, labels] = await fromFiles(ctx.positionals, ctx.cwd, dataDir);
    } catch (e) {
      if (e instanceof GitError || e instanceof InputError) {
        ctx.err(`jxmb diff: ${e.message}`);
        return 2;
      }
      throw e;
    }

    const checked = checkPairs(specs, settings);
    const failed = checked.flatMap((p) => [p.from, p.to]).filter((c): c is CheckedFile => !!c && !c.model);
    if (failed.length) {
      report(failed, undefined, {
        format: 'text',
        lang,
        color: ctx.color,
        out: ctx.err,
      });
      ctx.err(
        lang === 'en'
          ? 'jxmb diff: fix the errors above first (a table with errors cannot be compared).'
          : 'jxmb diff: 请先改正以上错误（有错误的表无法比较）。',
      );
      return 2;
    }
    const diff: DiffReport = { fromLabel: labels[0], toLabel: labels[1], departments: checked.map(toDepartmentDiff) };
    const text = await render(diff, format, {
      lang,
      layout: a.layout as HtmlLayout,
      color: format === 'text' && (a.output ? ctx.colorFor(false) : ctx.color),
      maxChars,
      embedFonts: a.embed_fonts,
    });
    if (a.output) await writeFileAtomic(path.resolve(ctx.cwd, a.output), text.endsWith('\n') ? text : text + '\n');
    else ctx.out(text.replace(/\n$/, ''));
    return a.exit_code && hasDifferences(diff) ? 1 : 0;
  },
});

/** Bad input that is not a command-line mistake (a year with no data, a file that does not exist): exit 2. */
class InputError extends Error {
  override name = 'InputError';
}

interface CheckedPair {
  from?: CheckedFile;
  to?: CheckedFile;
  baseline?: boolean;
}

const check = (s: Source, settings: LoadedSettings): CheckedFile => {
  const where = s.dataPath ? { dataPath: s.dataPath } : {};
  const c = checkSource(s.shown, s.bytes, { settings: settings.settings, ...where });
  return s.unread ? { file: c.file, source: c.source, diagnostics: [s.unread] } : c;
};

function checkPairs(specs: PairSpec[], settings: LoadedSettings): CheckedPair[] {
  return specs.map((s) => {
    const pair: CheckedPair = {
      ...(s.from ? { from: check(s.from, settings) } : {}),
      ...(s.to ? { to: check(s.to, settings) } : {}),
    };
    // An earlier year's table is context, not part of the change: if it does not validate, show the new table alone.
    if (s.baseline && pair.from) {
      if (pair.from.model) pair.baseline = true;
      else delete pair.from;
    }
    return pair;
  });
}

const sideOf = (c: CheckedFile | undefined): DiffSide | undefined =>
  c?.model && c.data ? { file: c.file, data: c.data, model: c.model } : undefined;

function toDepartmentDiff(p: CheckedPair): DepartmentDiff {
  return compareDepartments(sideOf(p.from), sideOf(p.to), { ...(p.baseline ? { baseline: true } : {}) });
}

interface RenderOptions {
  lang: Lang;
  layout: HtmlLayout;
  color: boolean;
  maxChars: number;
  embedFonts: boolean;
}

async function render(diff: DiffReport, format: DiffFormat, o: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return formatJson(diff);
    case 'md':
      return formatMarkdown(diff, { lang: o.lang, maxChars: o.maxChars });
    case 'html': {
      const read = (f: string): Promise<string | undefined> =>
        fs.readFile(path.join(TEMPLATES_DIR, f), 'utf8').catch(() => undefined);
      const [page, css, formCss] = await Promise.all([read('diff.hbs'), read('diff.css'), read('form.css')]);
      if (!page || !css) throw new Error(`templates/diff.hbs or templates/diff.css missing in ${TEMPLATES_DIR}`);
      const src = { page, css, ...(formCss ? { formCss } : {}) };
      const html = renderDiffHtml(diff, src, { lang: o.lang, layout: o.layout });
      if (!o.embedFonts) return html;
      return renderDiffHtml(diff, src, { lang: o.lang, layout: o.layout, fontCss: await embeddedFontCss(html) });
    }
    default:
      return formatText(diff, { lang: o.lang, color: o.color });
  }
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** Where a file sits in the data folder (`2025/x.yaml`), if it does. */
function dataPathOf(abs: string, dataDir: string): string | undefined {
  const rel = path.relative(dataDir, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? toPosix(rel) : undefined;
}

async function readSource(abs: string, cwd: string, dataDir: string): Promise<Source> {
  const shown = toPosix(path.relative(cwd, abs) || abs);
  // The one reader (a FIFO is not opened, a link out of the project not followed); its refusal is
  // reported like any diagnostic, with the other side's.
  const { bytes, diagnostic } = await readSourceFile(abs, shown, [findProjectRoot(cwd), dataDir]);
  if (diagnostic?.code === 'FILE_NOT_FOUND') {
    throw new InputError(`找不到文件 file not found: ${escapeControls(shown, { newlines: false })}`);
  }
  const dataPath = dataPathOf(abs, dataDir);
  const unread = diagnostic ? { unread: diagnostic } : {};
  return { shown, bytes: bytes ?? new Uint8Array(), ...unread, ...(dataPath ? { dataPath } : {}) };
}

/** `jxmb diff A.yaml B.yaml` */
async function fromFiles(positionals: string[], cwd: string, dataDir: string): Promise<[PairSpec[], [string, string]]> {
  if (positionals.length !== 2)
    throw new UsageError(
      positionals.length
        ? `需要两个文件（收到 ${positionals.length} 个） expected two files`
        : '需要两个文件，或 --from/--to，或 --git expected two files, --from/--to, or --git',
    );
  const selfEval = positionals.find(isSelfEvalPath);
  if (selfEval)
    throw new UsageError(
      `${selfEval} 是年终自评，diff 只比较目标表（用 jxmb score 看自评） ` +
        'is a self-evaluation: diff compares targets files only (jxmb score shows self-evaluations)',
    );
  const [from, to] = await Promise.all(positionals.map((p) => readSource(path.resolve(cwd, p), cwd, dataDir)));
  return [[{ from: from!, to: to! }], [from!.shown, to!.shown]];
}

const codeOf = (file: string): string => path.basename(file).replace(/\.ya?ml$/i, '');
const yearOf = (file: string): string => path.basename(path.dirname(file));

/** `jxmb diff --from 2025 --to 2026 [codes…]`: every department of either year, matched by code. */
async function fromYears(
  from: string | undefined,
  to: string | undefined,
  codes: string[],
  dataDir: string,
  cwd: string,
): Promise<[PairSpec[], [string, string]]> {
  if (from === undefined || to === undefined)
    throw new UsageError('--from 和 --to 要一起给出 give both --from and --to');
  for (const y of [from, to])
    if (!/^\d{4}$/.test(y)) throw new UsageError(`年度应为四位数字（收到 “${y}”） a fiscal year has four digits`);
  const all = await findDataFiles(dataDir);
  const of = (y: string): Map<string, string> => new Map(all.filter((f) => yearOf(f) === y).map((f) => [codeOf(f), f]));
  const [a, b] = [of(from), of(to)];
  const shownDir = toPosix(path.relative(cwd, dataDir) || '.');
  for (const [y, m] of [
    [from, a],
    [to, b],
  ] as const)
    if (!m.size) throw new InputError(`${shownDir}/${y}/ 下没有数据文件 no data files for ${y}`);
  let wanted = [...new Set([...a.keys(), ...b.keys()])].sort();
  if (codes.length) {
    const unknown = codes.filter((c) => !a.has(c) && !b.has(c));
    if (unknown.length)
      throw new InputError(`${from} 和 ${to} 年度都没有部门 ${unknown.join('、')} no such department in either year`);
    wanted = wanted.filter((c) => codes.includes(c));
  }
  const specs = await Promise.all(
    wanted.map(async (code) => ({
      ...(a.has(code) ? { from: await readSource(a.get(code)!, cwd, dataDir) } : {}),
      ...(b.has(code) ? { to: await readSource(b.get(code)!, cwd, dataDir) } : {}),
    })),
  );
  return [specs, [from, to]];
}

/** `jxmb diff --git REF`: data files changed between REF and the working tree, old contents from git. */
async function fromGit(ref: string, cwd: string, dataDir: string, lang: Lang): Promise<[PairSpec[], [string, string]]> {
  const top = await repoRoot(cwd);
  const commit = await resolveRef(top, ref);
  const dataRel = toPosix(path.relative(top, dataDir));
  if (dataRel.startsWith('..'))
    throw new InputError(`数据文件夹 ${dataDir} 不在 git 仓库 ${top} 中 the data folder is outside the repository`);
  // Targets only: a self-evaluation (results, months later) is not part of what was filed.
  const isData = (p: string): boolean =>
    /\.ya?ml$/i.test(p) &&
    !isSelfEvalPath(p) &&
    dataPathOf(path.join(top, p), dataDir) !== undefined &&
    /^\d{4}\//.test(dataPathOf(path.join(top, p), dataDir)!);
  const files = (await changedFiles(top, commit, dataRel || '.')).filter(
    (f) => isData(f.path) || (f.oldPath !== undefined && isData(f.oldPath)),
  );
  const inTree = await findDataFiles(dataDir);
  const shownRef = ref.endsWith('...') ? ref.slice(0, -3) : ref;
  const old = async (p: string): Promise<Source> => {
    const dataPath = dataPathOf(path.join(top, p), dataDir);
    return { shown: `${shownRef}:${p}`, bytes: await showFile(top, commit, p), ...(dataPath ? { dataPath } : {}) };
  };
  const now = (p: string): Promise<Source> => readSource(path.join(top, p), cwd, dataDir);
  const specs: PairSpec[] = [];
  for (const f of files) {
    if (f.status === 'deleted') specs.push({ from: await old(f.path) });
    else if (f.status === 'modified') specs.push({ from: await old(f.path), to: await now(f.path) });
    else if (f.status === 'renamed') specs.push({ from: await old(f.oldPath!), to: await now(f.path) });
    else {
      // A new table: compare with the department's latest earlier year, if there is one.
      const abs = path.join(top, f.path);
      const year = Number(yearOf(abs));
      const earlier = inTree
        .filter((g) => codeOf(g) === codeOf(abs) && Number(yearOf(g)) < year)
        .sort()
        .pop();
      specs.push(
        earlier
          ? { from: await readSource(earlier, cwd, dataDir), to: await now(f.path), baseline: true }
          : { to: await now(f.path) },
      );
    }
  }
  return [specs, [shownRef, words(lang).workingTree]];
}

/**
 * `git diff` calls `jxmb diff --git-driver path old-file old-hex old-mode new-file new-hex new-mode`
 * (two more for a rename). Whatever happens the driver exits 0 — git stops the whole diff otherwise —
 * and a table that does not validate falls back to a plain line diff after its diagnostics.
 */
async function gitDriver(
  ctx: { positionals: string[]; out: (s: string) => void; cwd: string; color: boolean },
  settings: LoadedSettings,
  lang: Lang,
  dataDir: string,
): Promise<number> {
  const p = ctx.positionals;
  if (p.length !== 7 && p.length !== 9)
    throw new UsageError(
      `--git-driver 需要 git 传入的 7 个参数（收到 ${p.length} 个） expects the 7 arguments git passes`,
    );
  const [file, oldFile, , , newFile] = p as [string, string, string, string, string];
  const newPath = p.length === 9 ? p[7]! : file;
  const root = ctx.cwd;
  const side = async (tmp: string, repoPath: string, prefix: string): Promise<Source | undefined> => {
    if (tmp === '/dev/null') return undefined;
    const dataPath = dataPathOf(path.resolve(root, repoPath), dataDir);
    return {
      shown: `${prefix}/${repoPath}`,
      bytes: await fs.readFile(path.resolve(root, tmp)),
      ...(dataPath ? { dataPath } : {}),
    };
  };
  const spec = {
    ...(await side(oldFile, file, 'a').then((s) => (s ? { from: s } : {}))),
    ...(await side(newFile, newPath, 'b').then((s) => (s ? { to: s } : {}))),
  };
  const color = ctx.color;
  const header = escapeControls(`diff --jxmb a/${file} b/${newPath}`, { newlines: false });
  ctx.out(color ? `\x1b[1m${header}\x1b[0m` : header);
  const [pair] = checkPairs([spec], settings);
  const bad = [pair!.from, pair!.to].filter((c): c is CheckedFile => !!c && !c.model);
  if (bad.length) {
    report(bad, undefined, { format: 'text', lang, color, out: ctx.out, summary: false });
    // Uncoloured from git, then escaped and coloured here: git passes the file's bytes through raw, so a
    // control character in a table would otherwise reach the terminal (and git's own colours could not
    // be told from the data's).
    const lineDiff = ['diff', '--no-index', '--no-ext-diff', '--no-textconv', '--no-color', '--', oldFile, newFile];
    const plain = await runGit(lineDiff, root, { okCodes: [1] }).catch((e: Error) => ({
      stdout: Buffer.from(e.message),
    }));
    // git names the temporary files it made; say the file's own path instead.
    const tmpName = (f: string): string => path.resolve(root, f).replace(/^\//, '');
    const lines = plain.stdout.toString('utf8').replace(/\n$/, '').split('\n');
    const head = lines.findIndex((l) => l.startsWith('@@'));
    const fixed = lines.map((l, i) =>
      head !== -1 && i >= head
        ? l
        : l
            .split(`a/${tmpName(oldFile)}`)
            .join(`a/${file}`)
            .split(`b/${tmpName(newFile)}`)
            .join(`b/${newPath}`),
    );
    const paint = (l: string, i: number): string => {
      const body = l.startsWith('@@') ? '36' : l.startsWith('+') ? '32' : l.startsWith('-') ? '31' : '';
      const sgr = head === -1 || i < head ? '1' : body;
      const shown = escapeControls(l, { newlines: false });
      return color && sgr ? `\x1b[${sgr}m${shown}\x1b[0m` : shown;
    };
    ctx.out(fixed.map(paint).join('\n'));
    return 0;
  }
  const diff: DiffReport = { fromLabel: `a/${file}`, toLabel: `b/${newPath}`, departments: [toDepartmentDiff(pair!)] };
  const body = formatText(diff, { lang, color }).split('\n').slice(1).join('\n');
  ctx.out(body.replace(/^\n/, ''));
  return 0;
}
