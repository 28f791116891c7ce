/**
 * `jxmb build [paths…]`: validate, then render every valid department file into
 * out/<year>/<code>.pdf|.html|.xlsx, plus out/index.html and out/manifest.json.
 * The work is in scripts/build/ (plan → render each → index, run.ts `build`); this file is the CLI.
 */
import path from 'node:path';
import { defineCommand, EnvironmentError, EXIT, UsageError } from '../_command.ts';
import type { Lang } from '../check/messages.ts';
import { existsSync } from 'node:fs';
import type { BuildOptions, BuildPlan, Shard } from '../build/plan.ts';
import type { DocumentResult } from '../build/render-document.ts';
import { build, renderPlan, type Rendered } from '../build/run.ts';
import type { BuildBrowser } from '../build/build-browser.ts';
import { verifiedRecords } from '../build/render-document.ts';
import type { OutputRecord } from '../build/cache.ts';
import { planBuild } from '../build/plan.ts';
import { selfEvalForm } from '../forms/self-eval.ts';
import { type WrittenSummaries, writeSummaries } from '../build/summary-pages.ts';
import type { SelfEvalModel } from '../render/self-eval-form.ts';
import type { CheckedFile } from '../check/check-file.ts';
import { environmentProblem } from '../io/files.ts';
import { TargetsHandover } from '../io/self-eval.ts';
import { findProjectRoot } from '../io/project.ts';
import { report } from '../io/report.ts';
import { plural } from '../model/plural.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../render/outputs.ts';
import { targetsForm } from '../forms/targets.ts';

/** Default concurrency: two documents at once, each on one page of the shared browser (measured best on two cores). */
export const DEFAULT_JOBS = 2;

export function parseFormats(s: string): OutputFormat[] {
  const asked = s
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const bad = asked.filter((f) => !(OUTPUT_FORMATS as readonly string[]).includes(f));
  if (bad.length || asked.length === 0)
    throw new UsageError(
      `--formats 只能是 ${OUTPUT_FORMATS.join(',')} 的组合（收到 “${s}”）` +
        `--formats takes a comma list of ${OUTPUT_FORMATS.join(', ')}`,
    );
  return OUTPUT_FORMATS.filter((f) => asked.includes(f));
}

export function parseJobs(s: string | undefined): number {
  if (s === undefined) return DEFAULT_JOBS;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--jobs 须是 1–64 的整数（收到 “${s}”）--jobs takes a whole number from 1 to 64`);
  return n;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

export function parseShard(s: string | undefined): Shard | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard 须写成 i/n，1 ≤ i ≤ n（收到 “${s}”）--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/4`);
  return { index, count };
}

export default defineCommand({
  meta: {
    name: 'build',
    usage: '[paths…] [options]',
    description:
      '先检查（同 validate），再把通过检查的部门文件生成 out/<年度>/<代码>.pdf|.html|.xlsx，以及 out/index.html 和 out/manifest.json。\n' +
      '有错误的文件不生成，其旧输出被删除；生成失败的部门保留上次的输出；' +
      '退出码 1 表示有文件失败。\n' +
      'Validate (as `validate` does), then render every valid department file, the index and the manifest. ' +
      'Files with errors are not rendered and their old outputs are removed; ' +
      'a department whose rendering fails keeps its previous outputs; exit 1 when anything failed.',
    examples: [
      'jxmb build',
      'jxmb build data/2025/zhijiang-swkjgxj.yaml --formats pdf',
      'jxmb build --out public --jobs 4',
      'jxmb build --fail-fast',
    ],
  },
  args: {
    data: { type: 'string', description: '数据文件夹 data folder (default: <project>/data)', valueHint: 'DIR' },
    out: { type: 'string', description: '输出文件夹 output folder (default: <project>/out)', valueHint: 'DIR' },
    formats: {
      type: 'string',
      description: '输出格式 output formats',
      valueHint: 'LIST',
      default: OUTPUT_FORMATS.join(','),
    },
    jobs: {
      type: 'string',
      description: `同时生成的文档数 documents rendered at once (default: ${DEFAULT_JOBS})`,
      valueHint: 'N',
    },
    fail_fast: { type: 'boolean', description: '遇到第一个失败即停止 stop at the first failure' },
    force: {
      type: 'boolean',
      description: '全部重新生成（忽略未变化的输出）re-render everything, even outputs that are up to date',
    },
    shard: {
      type: 'string',
      description: '只生成第 i 份（共 n 份，按部门稳定划分）build shard i of n (stable by department)',
      valueHint: 'i/n',
    },
    lang: {
      type: 'string',
      description: '信息语言 message language: zh | en（默认取设置 default from settings）',
      valueHint: 'LANG',
    },
    color: { type: 'boolean', description: '强制彩色输出 force colour' },
  },
  async run({ args, positionals, out, err, isTTY, color, cwd }) {
    const started = Date.now();
    if (args.lang !== undefined && args.lang !== 'zh' && args.lang !== 'en')
      throw new UsageError(`--lang 只能是 zh | en（收到 “${args.lang}”）`);
    const formats = parseFormats(args.formats);
    const jobs = parseJobs(args.jobs);
    const shard = parseShard(args.shard);
    const root = findProjectRoot(cwd);
    const opts: BuildOptions = {
      kind: targetsForm,
      cwd,
      root,
      dataDir: args.data ? path.resolve(cwd, args.data) : path.join(root, 'data'),
      outDir: args.out ? path.resolve(cwd, args.out) : path.join(root, 'out'),
      formats,
      paths: positionals,
      jobs,
      failFast: args.fail_fast,
      force: args.force,
      ...(shard ? { shard } : {}),
    };
    const shown = (p: string): string => path.relative(cwd, p) || '.';

    // A progress line on a terminal only (rewritten in place); logs and tests get the summary.
    const tty = isTTY && Boolean(process.stderr.isTTY);
    const progress = (s: string): void => void (tty && process.stderr.write(`\r\x1b[K${s}`));
    const onRelaunch = (reason: string): void => {
      progress('');
      err(`jxmb build: 浏览器意外退出，已重新启动 the browser died (${reason}); relaunched, continuing`);
    };

    // A cold build (nothing built in this out/ yet, or --force) will need Chromium: start it while the
    // sources are checked. A warm out/ never starts it on speculation (a no-op rebuild starts none).
    const cold = opts.force || !existsSync(path.join(opts.outDir, 'manifest.json'));
    const early = cold && (formats.includes('pdf') || formats.includes('html'));
    // What the plan says decides whether anything is run (see onPlan below).
    let stop: { code: 0 } | { error: UsageError } | undefined;
    const noFiles = (plan: BuildPlan): typeof stop => {
      if (plan.checked.length > 0) return undefined;
      if (shard) {
        out(
          `第 ${shard.index}/${shard.count} 份没有部门文件 shard ${shard.index}/${shard.count} has no department files`,
        );
        return { code: 0 };
      }
      return {
        error: new UsageError(
          positionals.length
            ? '给出的路径下没有 YAML 文件 no YAML files at the given paths'
            : `${shown(opts.dataDir)}/ 下没有数据文件 no data files under ${shown(opts.dataDir)}/`,
        ),
      };
    };
    const onPlan = (plan: BuildPlan): boolean => {
      stop = noFiles(plan);
      if (stop) return false;
      const lang = (args.lang ?? plan.settings.settings.lang) as Lang;
      report(plan.checked, plan.settings, {
        format: 'text',
        lang,
        color,
        out,
      });
      pending = plan.documents.filter((d) => !d.todo || d.todo.length > 0).length;
      return true;
    };

    const failures: string[] = [];
    const handover = new TargetsHandover();
    // Outputs that cannot be written (disk full, read-only): the 自评表 stop starting too.
    let environment = false;
    let pending = 0;
    const inFlight = new Set<string>();
    let finished = 0;
    const showProgress = (): void => {
      const doing = inFlight.size ? `生成中 rendering ${[...inFlight].join(', ')}` : '写索引 writing the index';
      progress(`[${finished}/${pending}] ${doing} …`);
    };
    const built = await build(opts, {
      onStart: (doc) => {
        inFlight.add(`${doc.at.fiscalYear}/${doc.at.code}`);
        showProgress();
      },
      onDocument: (r: DocumentResult, done) => {
        inFlight.delete(`${r.doc.at.fiscalYear}/${r.doc.at.code}`);
        finished = done;
        showProgress();
        for (const n of r.overfull ?? []) {
          progress('');
          err(
            `jxmb build: ${r.doc.source}: 第 ${n} 页只有一行（或标题部分）却超过整页高度，超出部分打印不出来；` +
              `请缩短该行文字 page ${n} holds a single row (or the title block) taller than a page: ` +
              'its end is cut off, shorten that text',
          );
        }
        if (r.error) {
          if (environmentProblem(r.error)) environment = true;
          const why = environmentProblem(r.error, shown) ?? r.error.message.split('\n')[0];
          const hasOld = OUTPUT_FORMATS.some((f) => existsSync(r.doc.outputs[f]));
          const kept = hasOld ? '；保留上次生成的输出 its previous outputs are kept' : '';
          const line = `jxmb build: ${r.doc.source}: 生成失败 rendering failed: ${why}${kept}`;
          failures.push(line);
          progress('');
          err(line);
        }
      },
      onRelaunch,
      early,
      onPlan,
      // The 自评表 are planned while the targets files are checked (each targets file handed over as it
      // is, not checked twice), and printed on the same browser and pages after the targets forms.
      onChecked: (abs, c) => handover.give(abs, c),
      pace: () => handover.pace(),
      alongside: (browser, planned, started) =>
        renderSelfEvaluations(opts, browser, planned, started, handover, {
          stop: () => environment,
          onError: (line) => {
            progress('');
            err(line);
          },
          shown,
        }),
    }).catch((e: unknown) => {
      // A full disk or a read-only out/ while the shared files (fonts, index, manifest) are written.
      const problem = environmentProblem(e, shown);
      throw problem ? new EnvironmentError(problem) : e;
    });
    progress('');
    if (stop && 'error' in stop) throw stop.error;
    if (stop) return stop.code;
    const { plan, result, alongside } = built as {
      plan: BuildPlan;
      result: NonNullable<typeof built.result>;
      alongside?: SelfEvalRun;
    };

    for (const f of result.removed) err(`jxmb build: 已删除过期输出 removed stale output ${shown(f)}`);
    const skippedWhy = result.environment ? '输出无法写入 the outputs cannot be written' : '--fail-fast';
    for (const s of result.skipped) err(`jxmb build: 未生成（${skippedWhy}）not rendered (${skippedWhy}): ${s.source}`);

    const ok = result.results.filter((r) => !r.error);
    const files = ok.reduce((n, r) => n + r.written.length, 0);
    const pages = ok.reduce((n, r) => n + (r.pages?.length ?? 0), 0);
    const invalid = plan.failed.length;
    const failedRenders = result.results.length - ok.length;
    const warnings = plan.checked.reduce((n, c) => n + c.diagnostics.filter((d) => d.severity === 'warning').length, 0);
    const where = shown(opts.outDir);
    const fresh = result.upToDate.length;
    const skipped = result.skipped.length;
    const took = seconds(Date.now() - started);
    // Tables (one per department and year, the board's rows) and departments are counted apart, in
    // the board's words (templates/index.hbs).
    const places = [
      ...plan.documents.map((d) => ({ year: d.at.fiscalYear, code: d.at.code })),
      ...plan.failed.flatMap((f) => (f.row ? [{ year: f.row.fiscalYear, code: f.row.code }] : [])),
    ];
    const departments = new Set(places.map((p) => p.code)).size;
    const years = new Set(places.map((p) => p.year)).size;
    const tables = plan.checked.length;
    out(
      `生成 ${ok.length}/${tables} 张表（${departments} 个部门、${years} 个年度；${files} 个文件` +
        `${pages ? `，${pages} 页` : ''}）→ ${where}/；` +
        `${fresh ? `${fresh} 张未变化未重新生成；` : ''}` +
        `${invalid} 张有错误，${failedRenders} 张生成失败${skipped ? `，${skipped} 张未生成` : ''}；` +
        `${warnings} 个警告；用时 ${took} 秒` +
        ` | built ${ok.length} of ${plural(tables, 'table')} ` +
        `(${plural(departments, 'department')}, ${plural(years, 'year')}; ` +
        `${plural(files, 'file')}${pages ? `, ${plural(pages, 'page')}` : ''}) into ${where}/, ` +
        `${fresh ? `${fresh} up to date, ` : ''}${invalid} with errors, ${failedRenders} failed` +
        `${skipped ? `, ${skipped} skipped` : ''}, ${plural(warnings, 'warning')}, ${took}s`,
    );
    // Outputs that could not be written (disk full, read-only): the machine's fault, not the input's.
    if (result.environment) return EXIT.environment;
    const selfEvalFailed = alongside ? reportSelfEvaluations(alongside, args.lang, { out, err, color, shown }) : false;
    if (selfEvalFailed === 'environment') return EXIT.environment;
    return invalid > 0 || failedRenders > 0 || result.skipped.length > 0 || plan.settingsFailed || selfEvalFailed
      ? 1
      : 0;
  },
});

/** The 自评表 rendered alongside the targets forms: what the report after the build needs. */
interface SelfEvalRun {
  plan: BuildPlan<SelfEvalModel>;
  summaries: WrittenSummaries;
  rendered?: Rendered<SelfEvalModel>;
}

/**
 * The 自评表 of every self-evaluation (forms/self-eval.ts), on the targets build's browser: planned while
 * the targets files are checked (each handed over as it is checked), then, once the targets plan is made
 * and the build goes on, each year's bureau summary written and, once every targets form has been
 * started, the forms rendered on the same pages. Renders only; the build writes the one index and
 * manifest when both kinds are done (`known`). Undefined when the build stopped after its plan.
 */
async function renderSelfEvaluations(
  targetsOpts: BuildOptions,
  browser: BuildBrowser,
  targetsPlanned: Promise<boolean>,
  targetsStarted: Promise<void>,
  handover: TargetsHandover,
  io: { stop: () => boolean; onError: (line: string) => void; shown: (p: string) => string },
): Promise<{ value: SelfEvalRun; known: Map<string, OutputRecord> } | undefined> {
  const opts: BuildOptions<SelfEvalModel> = { ...targetsOpts, kind: selfEvalForm };
  // The targets files not handed over by the time their plan is done are read from disk.
  void targetsPlanned.then(() => handover.close());
  // Once planned (or failed), nothing more is taken: the targets plan must not wait for room (pace).
  const plan = await planBuild(opts, { handover, park: {} }).finally(() => handover.close());
  if (!(await targetsPlanned)) return undefined;
  // Each year's bureau summary, before the run writes the index that links it.
  const summaries = await writeSummaries(plan, opts.outDir);
  if (plan.checked.length === 0 || io.stop()) return { value: { plan, summaries }, known: new Map() };
  // On the pages the targets forms leave: a page switching between the kinds reloads its shell.
  await targetsStarted;
  const rendered = await renderPlan(
    plan,
    opts,
    {
      onDocument: (r: DocumentResult<SelfEvalModel>) => {
        if (r.error) {
          const why = environmentProblem(r.error, io.shown) ?? r.error.message.split('\n')[0];
          io.onError(`jxmb build: ${r.doc.source}: 生成失败 rendering failed: ${why}`);
        }
      },
    },
    { stop: io.stop },
    browser,
  );
  return { value: { plan, summaries, rendered }, known: verifiedRecords(plan.documents, rendered.results) };
}

/** Reports the 自评表's diagnostics and one summary line; true when something failed. */
function reportSelfEvaluations(
  { plan, summaries, rendered }: SelfEvalRun,
  langArg: Lang | undefined,
  io: { out: (s: string) => void; err: (s: string) => void; color: boolean; shown: (p: string) => string },
): boolean | 'environment' {
  for (const f of summaries.removed) io.err(`jxmb build: 已删除过期输出 removed stale output ${io.shown(f)}`);
  if (plan.checked.length === 0 || !rendered) return false;
  const lang = langArg ?? plan.settings.settings.lang;
  const withDiagnostics = plan.checked.filter((c) => c.diagnostics.length > 0) as unknown as CheckedFile[];
  if (withDiagnostics.length)
    report(withDiagnostics, plan.settings, { format: 'text', lang, color: io.color, out: io.out });
  for (const f of rendered.removed) io.err(`jxmb build: 已删除过期输出 removed stale output ${io.shown(f)}`);
  const ok = rendered.results.filter((r) => !r.error).length;
  const fresh = rendered.upToDate.length;
  const invalid = plan.failed.length;
  const failed = rendered.results.length - ok;
  io.out(
    `自评表：生成 ${ok}/${plan.checked.length} 张` +
      `${fresh ? `，${fresh} 张未变化未重新生成` : ''}；${invalid} 张有错误或缺少有效的目标表，${failed} 张生成失败` +
      ` | self-evaluations: built ${ok} of ${plan.checked.length}${fresh ? `, ${fresh} up to date` : ''}, ` +
      `${invalid} with errors or without a valid targets file, ${failed} failed`,
  );
  if (rendered.environment) return 'environment';
  return invalid > 0 || failed > 0 || rendered.skipped.length > 0;
}
