/** `jxmb validate [paths…]`: every problem in every file at once. */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, UsageError } from '../_command.ts';
import type { KnownFile } from '../check/check-project.ts';
import type { DiagnosticFormat } from '../check/format-diagnostics.ts';
import { expandPaths, findDataFiles, findSelfEvalFiles } from '../io/files.ts';
import { changedFiles, GitError, repoRoot, resolveRef } from '../forge/git.ts';
import { findProjectRoot, loadSettings, readKnownFiles, SETTINGS_FILE } from '../io/project.ts';
import { reportFiles, settingsReports } from '../io/report.ts';
import { targetsPathOf } from '../io/self-eval.ts';
import { validateFiles } from '../io/validate-files.ts';
import { plural } from '../model/plural.ts';
import { isSelfEvalPath } from '../model/self-eval.ts';

export const FORMATS: DiagnosticFormat[] = ['text', 'json', 'github'];

export default defineCommand({
  meta: {
    name: 'validate',
    usage: '[paths…] [options]',
    description:
      '检查数据文件（默认 data/ 下全部）：schema、表格规则和本局设置；年终自评（*.self-eval.yaml）对照其目标表检查。' +
      '有错误时退出码为 1。\n' +
      'Check data files (default: all of data/) against the schema, the form’s rules and the bureau’s settings;' +
      ' self-evaluations (*.self-eval.yaml) against their targets files.',
    examples: [
      'jxmb validate',
      'jxmb validate data/2025/zhijiang-swkjgxj.yaml --lang en',
      'jxmb validate --format github',
      'jxmb validate --git origin/main... --format github',
    ],
  },
  args: {
    data: { type: 'string', description: '数据文件夹 data folder (default: <project>/data)', valueHint: 'DIR' },
    format: {
      type: 'string',
      description: '输出格式 output format: text | json | github',
      valueHint: 'FMT',
      default: 'text',
    },
    lang: {
      type: 'string',
      description: '信息语言 message language: zh | en（默认取设置 default from settings）',
      valueHint: 'LANG',
    },
    git: {
      type: 'string',
      description:
        '只检查与 git 引用相比改动的文件（已提交、未提交和未跟踪的都算，删除的不算；REF... 表示与分叉点比较），' +
        '外加它们涉及的跨文件规则；设置文件改动时检查全部。' +
        'Check only the data files changed since a git ref (committed, uncommitted and untracked changes; ' +
        'deleted ones skipped; REF... = its merge base with HEAD), plus the rules across files they touch; ' +
        'all files when jxmb.settings.yaml changed',
      valueHint: 'REF',
    },
    strict: { type: 'boolean', description: '警告也算失败 warnings fail too' },
    workers: {
      type: 'string',
      description:
        '检查用的工作线程数（0：不用；默认：文件不少于 64 个时每个 CPU 核一个）' +
        'worker threads checking files (0: none; default: one per core from 64 files)',
      valueHint: 'N',
    },
    color: { type: 'boolean', description: '强制彩色输出 force colour' },
  },
  async run({ args, positionals, out, err, color, cwd }) {
    const format = args.format as DiagnosticFormat;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format 只能是 ${FORMATS.join(' | ')}（收到 “${args.format}”）`, {
        en: `--format must be ${FORMATS.join(' | ')} (got "${args.format}")`,
      });
    if (args.lang !== undefined && args.lang !== 'zh' && args.lang !== 'en')
      throw new UsageError(`--lang 只能是 zh | en（收到 “${args.lang}”）`, {
        en: `--lang must be zh | en (got "${args.lang}")`,
      });
    const root = findProjectRoot(cwd);
    const dataDir = args.data ? path.resolve(cwd, args.data) : path.join(root, 'data');
    const settings = await loadSettings(root);
    const lang = args.lang ?? settings.settings.lang;
    if (args.git !== undefined && positionals.length)
      throw new UsageError(`--git 检查全部改动的数据文件，不接受路径（收到 “${positionals.join(' ')}”）`, {
        en: `--git checks every changed data file and takes no paths (got "${positionals.join(' ')}")`,
      });
    const all = positionals.length
      ? await expandPaths(positionals, cwd)
      : [...(await findDataFiles(dataDir)), ...(await findSelfEvalFiles(dataDir))];
    if (all.length === 0)
      throw new UsageError(
        positionals.length
          ? '给出的路径下没有 YAML 文件 no YAML files at the given paths'
          : `${path.relative(cwd, dataDir) || '.'}/ 下没有数据文件 no data files under ${path.relative(cwd, dataDir) || '.'}/`,
      );
    let picked = all;
    let known: KnownFile[] = [];
    if (args.git !== undefined) {
      let changed: Set<string>;
      try {
        changed = await changedSince(args.git, dataDir, root);
      } catch (e) {
        if (!(e instanceof GitError)) throw e;
        err(`jxmb validate: ${e.message}`);
        return 2;
      }
      // Changed settings (points total, required 一级指标, …) can break any file: all are checked.
      if (changed.has(SETTINGS_CHANGED)) changed = new Set(all);
      picked = all.filter((f) => changed.has(f));
      // A changed targets file re-checks the self-evaluation beside it (it is checked against the targets).
      const again = new Set(picked.filter((f) => !isSelfEvalPath(f)));
      picked = all.filter((f) => changed.has(f) || (isSelfEvalPath(f) && again.has(targetsPathOf(f))));
      const unchanged = all.filter((f) => !isSelfEvalPath(f) && !changed.has(f));
      known = await readKnownFiles(unchanged, { dataDir, cwd, root });
    }
    // Targets files first, then the self-evaluations, each checked against the targets beside it; each
    // file kept only as its report (validate-files.ts), so memory stays flat over a province's files.
    const files = picked.filter((f) => !isSelfEvalPath(f));
    const selfEvals = picked.filter(isSelfEvalPath);
    const reports = await validateFiles(files, selfEvals, {
      dataDir,
      settings: settings.settings,
      cwd,
      root,
      lang,
      known,
      ...(args.workers !== undefined ? { workers: workersOf(args.workers) } : {}),
    });
    const reported = [...settingsReports(settings, lang), ...reports.targets, ...reports.selfEvals];
    const { errors, warnings } = reportFiles(reported, {
      format,
      lang,
      color,
      out,
      checked: picked.length,
      ...(args.git !== undefined ? { of: all.length } : {}),
    });
    // Failing on warnings alone surprises whoever reads only the summary: say why (on stderr, so that
    // --format json stays JSON).
    if (args.strict && errors === 0 && warnings > 0) err(strictFailure(warnings, lang));
    return errors > 0 || (args.strict && warnings > 0) ? 1 : 0;
  },
});

/** Why `validate --strict` failed without errors: its warnings count as errors. */
export const strictFailure = (warnings: number, lang: 'zh' | 'en'): string =>
  lang === 'en'
    ? `--strict: warnings count as errors; ${plural(warnings, 'warning')} found, so the check fails (exit code 1)`
    : `--strict：警告也算作错误，所以 ${warnings} 个警告使检查不通过（退出码 1）`;

/** In what changedSince returns: jxmb.settings.yaml changed (or appeared, or went). */
const SETTINGS_CHANGED = '\0settings';

/**
 * The data files (absolute, under `dataDir`) added, modified or renamed between `ref` and the working
 * tree — committed, staged, unstaged and untracked alike; deleted ones are not there to check — and
 * SETTINGS_CHANGED when the project's settings file changed in any way.
 */
async function changedSince(ref: string, dataDir: string, root: string): Promise<Set<string>> {
  const top = await repoRoot(dataDir);
  const commit = await resolveRef(top, ref);
  const dataRel = path.relative(top, realOr(dataDir));
  if (dataRel.startsWith('..') || path.isAbsolute(dataRel))
    throw new GitError(`数据文件夹 ${dataDir} 不在 git 仓库 ${top} 中 the data folder is outside the repository`);
  const changes = await changedFiles(top, commit, dataRel.split(path.sep).join('/') || '.');
  const files = new Set(
    changes
      .filter((c) => c.status !== 'deleted')
      .map((c) => path.join(dataDir, path.relative(dataRel, c.path.split('/').join(path.sep)))),
  );
  const settingsRel = path.relative(top, path.join(realOr(root), SETTINGS_FILE));
  if (!settingsRel.startsWith('..') && (await changedFiles(top, commit, settingsRel.split(path.sep).join('/'))).length)
    files.add(SETTINGS_CHANGED);
  return files;
}

const realOr = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** --workers: a whole number from 0 (check in the main thread) to 64. */
function workersOf(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new UsageError(`--workers 须是 0–64 的整数（收到 “${s}”）`, {
      en: `--workers takes a whole number from 0 to 64 (got "${s}")`,
    });
  return n;
}
