/**
 * `jxmb index [--out DIR] [--data DIR]`: rebuilds out/index.html and out/manifest.json from what is in
 * the out folder — e.g. after the out/ folders of several `jxmb build --shard i/n` jobs were merged.
 * Needs neither the sources nor a browser: each department's metadata comes from its sidecar
 * (out/<year>/<code>.entry.json, written by the build), its links from the files present.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, EnvironmentError } from '../_command.ts';
import { readEntrySidecars, SIDECAR_SUFFIX, writeIndexAndManifest } from '../build/entries.ts';
import { environmentProblem } from '../io/files.ts';
import { findProjectRoot, loadSettings, SETTINGS_FILE } from '../io/project.ts';
import { settingsForYear } from '../model/settings.ts';
import { plural } from '../model/plural.ts';
import { TEMPLATES_DIR } from '../io/templates.ts';

export default defineCommand({
  meta: {
    name: 'index',
    usage: '[options]',
    description:
      '根据输出文件夹中已有的文件重新生成 index.html 和 manifest.json（例如合并了多个分片构建的 out/ 之后）。\n' +
      'Rebuild index.html and manifest.json from the outputs present in the out folder' +
      ' (e.g. after merging the out/ folders of several sharded builds).',
    examples: ['jxmb index', 'jxmb index --out merged-out', 'jxmb index --out out --data data'],
  },
  args: {
    out: { type: 'string', description: '输出文件夹 output folder（默认 default: <项目>/out）', valueHint: 'DIR' },
    data: {
      type: 'string',
      description: '数据文件夹，用于记录 git 提交 data folder, for the git commit（默认 default: <项目>/data）',
      valueHint: 'DIR',
    },
  },
  async run({ args, out, err, cwd }) {
    const root = findProjectRoot(cwd);
    const outDir = args.out ? path.resolve(cwd, args.out) : path.join(root, 'out');
    const dataDir = args.data ? path.resolve(cwd, args.data) : path.join(root, 'data');
    if (!existsSync(outDir) || !statSync(outDir).isDirectory()) {
      throw new EnvironmentError(
        `输出文件夹 ${shown(cwd, outDir)} 不存在，请先运行 jxmb build  ` +
          `out folder ${shown(cwd, outDir)} does not exist: run jxmb build first`,
      );
    }
    const settings = await loadSettings(root);
    const { entries, problems } = await readEntrySidecars(outDir);
    for (const p of problems) err(`${shown(cwd, path.join(outDir, p.file))}: 警告 warning: ${p.message}`);
    const written = await writeIndexAndManifest(outDir, entries, {
      ...(existsSync(dataDir) ? { dataDir } : {}),
      extraSourcePaths: [path.join(root, SETTINGS_FILE), TEMPLATES_DIR],
      pointsTotal: settings.settings.points_total,
      pointsTotalFor: (year: number) => settingsForYear(settings.settings, year).points_total,
    }).catch((e: unknown) => {
      // A full disk or a read-only out folder: say which path and what to do, not "internal error".
      const problem = environmentProblem(e, (p) => shown(cwd, p));
      throw problem ? new EnvironmentError(problem) : e;
    });
    const years = new Set(entries.map((e) => e.fiscalYear)).size;
    const departments = new Set(entries.map((e) => e.code)).size;
    const withErrors = entries.filter((e) => e.errors).length;
    const failed = entries.filter((e) => !e.errors && e.failed !== undefined).length;
    out(
      `索引：${years} 个年度、${entries.length} 张表、${departments} 个部门、${written.manifest.files.length} 个文件` +
        `${withErrors ? `；${withErrors} 张有错误` : ''}${failed ? `；${failed} 张生成失败` : ''} → ` +
        `${shown(cwd, written.indexFile)}、${shown(cwd, written.manifestFile)}` +
        `\nindexed ${plural(entries.length, 'table')} of ${plural(departments, 'department')} ` +
        `in ${plural(years, 'year')}, ` +
        `${plural(written.manifest.files.length, 'file')}` +
        `${withErrors ? `, ${withErrors} with errors` : ''}${failed ? `, ${failed} failed` : ''}` +
        (written.commit ? ` (commit ${written.commit.sha.slice(0, 12)}${written.commit.dirty ? ', dirty' : ''})` : ''),
    );
    if (entries.length === 0)
      err(
        `提示 note: ${shown(cwd, outDir)} 下没有 *${SIDECAR_SUFFIX}（由 jxmb build 生成）` +
          `no *${SIDECAR_SUFFIX} sidecars under the out folder (jxmb build writes them)`,
      );
    // The index is written either way; an incomplete one is reported through the exit code (CI notices).
    return problems.length ? 1 : 0;
  },
});

const shown = (cwd: string, p: string): string => path.relative(cwd, p) || '.';
