/** `jxmb score [paths…]`: the scores of year-end self-evaluations, each with the working behind it. */
import path from 'node:path';
import { defineCommand, UsageError } from '../_command.ts';
import { expandPaths, findSelfEvalFiles } from '../io/files.ts';
import { findProjectRoot, loadSettings } from '../io/project.ts';
import { report } from '../io/report.ts';
import { asReported, checkSelfEvalFiles } from '../io/self-eval.ts';
import { isSelfEvalPath } from '../model/self-eval.ts';
import {
  formatScoreJson,
  formatScoreMarkdown,
  formatScoreText,
  SCORE_FORMATS,
  type ScoreFormat,
} from '../render/score-report.ts';

export default defineCommand({
  meta: {
    name: 'score',
    usage: '[paths…] [options]',
    description:
      '按目标表中的评分规则计算年终自评（data/<年度>/<代码>.self-eval.yaml）的得分：总分、评价等级、预算执行和各指标得分，' +
      '并列出每个得分的算式。有错误的自评不计分，错误写到标准错误，退出码为 1。\n' +
      'Score year-end self-evaluations under the rules filed in their targets files: total, grade, budget line' +
      ' and each indicator, with the working. Self-evaluations with errors are reported on stderr (exit 1).',
    examples: [
      'jxmb score',
      'jxmb score data/2025',
      'jxmb score data/2025/zhijiang-swkjgxj.self-eval.yaml --format json',
    ],
  },
  args: {
    data: { type: 'string', description: '数据文件夹 data folder (default: <project>/data)', valueHint: 'DIR' },
    format: {
      type: 'string',
      description: '输出格式 output format: text | md | json',
      valueHint: 'FMT',
      default: 'text',
    },
    lang: {
      type: 'string',
      description: '错误信息语言 message language: zh | en（默认取设置 default from settings）',
      valueHint: 'LANG',
    },
  },
  async run({ args, positionals, out, err, color, colorFor, cwd }) {
    const format = args.format as ScoreFormat;
    if (!SCORE_FORMATS.includes(format))
      throw new UsageError(`--format 只能是 ${SCORE_FORMATS.join(' | ')}（收到 “${args.format}”）`);
    if (args.lang !== undefined && args.lang !== 'zh' && args.lang !== 'en')
      throw new UsageError(`--lang 只能是 zh | en（收到 “${args.lang}”）`);
    const root = findProjectRoot(cwd);
    const dataDir = args.data ? path.resolve(cwd, args.data) : path.join(root, 'data');
    const settings = await loadSettings(root);
    const lang = args.lang ?? settings.settings.lang;
    const named = positionals.length ? await expandPaths(positionals, cwd) : await findSelfEvalFiles(dataDir);
    const notSelfEval = positionals.filter((p) => /\.ya?ml$/i.test(p) && !isSelfEvalPath(p));
    if (notSelfEval.length)
      throw new UsageError(
        `${notSelfEval.join('、')} 不是自评文件（*.self-eval.yaml） is not a self-evaluation; ` +
          '自评与目标表并列 a self-evaluation sits beside its targets: data/<year>/<code>.self-eval.yaml',
      );
    const files = named.filter(isSelfEvalPath);
    if (files.length === 0)
      throw new UsageError(
        '没有自评文件（*.self-eval.yaml）；可用 jxmb self-eval init 为目标表生成骨架 ' +
          'no self-evaluations found: `jxmb self-eval init` writes skeletons for the targets files',
      );
    const checked = await checkSelfEvalFiles(files, { dataDir, settings: settings.settings, cwd, root });
    const failed = checked.filter((c) => !c.evaluation);
    const settingsFailed = settings.diagnostics.length > 0;
    // Problems go to stderr, with their positions: the scores on stdout stay clean for a pipe.
    if (failed.length || settingsFailed)
      report(failed.map(asReported), settings, {
        format: 'text',
        lang,
        color: colorFor(Boolean(process.stderr.isTTY)),
        out: err,
        summary: false,
      });
    const items = settingsFailed
      ? []
      : checked.flatMap((c) => (c.evaluation ? [{ evaluation: c.evaluation, file: c.file }] : []));
    if (format === 'json') out(formatScoreJson(items));
    else if (items.length) out(format === 'md' ? formatScoreMarkdown(items) : formatScoreText(items, { color }));
    return failed.length || settingsFailed ? 1 : 0;
  },
});
