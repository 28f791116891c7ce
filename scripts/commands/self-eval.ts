/**
 * `jxmb self-eval init [YEAR] [codes…]`: a skeleton self-evaluation beside each targets file of the year
 * that has none. Never overwrites: a file already there (or made meanwhile) is left as it is.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { defineCommand, UsageError } from '../_command.ts';
import { findDataFiles } from '../io/files.ts';
import { findProjectRoot, readSourceFile } from '../io/project.ts';
import { loadSource } from '../load/load-yaml.ts';
import { SELF_EVAL_SUFFIX } from '../model/self-eval.ts';
import type { DepartmentTargets } from '../model/types.generated.ts';
import { selfEvalSkeleton } from '../render/self-eval-skeleton.ts';

const yearOf = (file: string): string => path.basename(path.dirname(file));
const codeOf = (file: string): string => path.basename(file).replace(/\.ya?ml$/i, '');

/** Whether parsed data has what a skeleton is made from (the schema checks the rest in validate). */
const usable = (d: unknown): d is DepartmentTargets => {
  const t = d as Partial<DepartmentTargets> | undefined;
  return (
    typeof t?.fiscal_year === 'number' &&
    typeof t.department?.code === 'string' &&
    Array.isArray(t.goals) &&
    Array.isArray(t.indicators) &&
    t.indicators.every((i) => typeof i?.name === 'string' && typeof i.scoring?.points === 'number') &&
    typeof t.signoff === 'object'
  );
};

export default defineCommand({
  meta: {
    name: 'self-eval',
    usage: 'init [YEAR] [codes…] [options]',
    description:
      '为年终自评生成骨架：为某年度每个还没有自评的目标表写 data/<年度>/<代码>.self-eval.yaml，' +
      '按目标表顺序列出每个指标，actual 留空，旁边注释目标值、单位和评分规则；已有的文件不覆盖。' +
      '不给年度时取 data/ 中早于今年的最近一个年度。\n' +
      'Write a skeleton self-evaluation beside each targets file of YEAR that has none: every indicator in' +
      ' order, actual empty, target, unit and rule as a comment. Never overwrites. YEAR defaults to the latest' +
      ' year in data/ before the current one.',
    examples: ['jxmb self-eval init 2025', 'jxmb self-eval init 2025 zhijiang-swkjgxj'],
  },
  args: {
    data: { type: 'string', description: '数据文件夹 data folder (default: <project>/data)', valueHint: 'DIR' },
  },
  async run({ args, positionals, out, err, cwd }) {
    const [action, ...rest] = positionals;
    if (action !== 'init')
      throw new UsageError(
        action === undefined ? '缺少子命令 init missing the action: init' : `没有子命令 “${action}” (unknown action)`,
      );
    const root = findProjectRoot(cwd);
    const dataDir = args.data ? path.resolve(cwd, args.data) : path.join(root, 'data');
    const all = await findDataFiles(dataDir);
    const years = [...new Set(all.map(yearOf))].filter((y) => /^\d{4}$/.test(y)).sort();
    let year: string | undefined;
    if (rest[0] !== undefined && /^\d{4}$/.test(rest[0])) year = rest.shift();
    else year = years.filter((y) => Number(y) < new Date().getFullYear()).pop() ?? years.pop();
    const shownDir = path.relative(cwd, dataDir) || '.';
    if (year === undefined) throw new UsageError(`${shownDir}/ 下没有目标表 no targets files under ${shownDir}/`);
    const ofYear = all.filter((f) => yearOf(f) === year);
    const codes = rest;
    const unknown = codes.filter((c) => !ofYear.some((f) => codeOf(f) === c));
    if (unknown.length)
      throw new UsageError(
        `${year} 年度没有部门 ${unknown.join('、')} 的目标表 no targets file for ${unknown.join(', ')}`,
      );
    const wanted = codes.length ? ofYear.filter((f) => codes.includes(codeOf(f))) : ofYear;
    if (wanted.length === 0) throw new UsageError(`${shownDir}/${year}/ 下没有目标表 no targets files for ${year}`);
    let written = 0;
    let failed = 0;
    for (const file of wanted) {
      const target = path.join(path.dirname(file), `${codeOf(file)}${SELF_EVAL_SUFFIX}`);
      const shown = path.relative(cwd, target);
      const { bytes } = await readSourceFile(file, path.relative(cwd, file), [root, dataDir]);
      const data = bytes ? loadSource(bytes).data : undefined;
      if (!usable(data)) {
        err(
          `${path.relative(cwd, file)}: 目标表无法读取，未生成自评；请先运行 jxmb validate ` +
            'the targets file cannot be read: run jxmb validate first',
        );
        failed++;
        continue;
      }
      // `wx`: created only if absent, even if another process made one since the listing.
      const made = await fs.writeFile(target, selfEvalSkeleton(data), { flag: 'wx' }).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'EEXIST') return false;
          throw e;
        },
      );
      if (made) {
        written++;
        out(`已生成 written ${shown}`);
      } else out(`已存在，未覆盖 exists, kept ${shown}`);
    }
    out(
      `${year} 年度：生成 ${written} 个自评骨架；填好 actual 后运行 jxmb validate 和 jxmb score\n` +
        `${year}: ${written} skeleton${written === 1 ? '' : 's'} written; ` +
        'fill in actual, then jxmb validate and jxmb score',
    );
    return failed ? 1 : 0;
  },
});
