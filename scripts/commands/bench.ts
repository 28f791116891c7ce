/**
 * `jxmb bench`: the project's own benchmark (issue 4). Generates N synthetic departments, each with its
 * year-end self-evaluation, in a temporary project and measures, in one run on this machine: the raw
 * limit (warm page.pdf of the finished HTML of both forms), naive (a browser launch per document, sampled
 * and scaled), the full cold build, a no-op rebuild and a
 * one-file rebuild, the builds run as the real CLI in a child process. Prints a table (or `--json`)
 * and PASS/MISS per target. Numbers are reports, never test assertions.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineCommand, EnvironmentError, UsageError } from '../_command.ts';
import { editBreakdown, measureEditLoop, median as middle } from '../bench/edit-loop.ts';
import { departmentYaml, generateDepartment, generateProject } from '../bench/generate.ts';
import {
  changedFiles,
  type CliRun,
  hashRecordedOutputs,
  renderedDepartments,
  runJxmb,
  snapshotFiles,
  writeProject,
} from '../bench/measure.ts';
import { type PrintJob, printNaive, printRaw } from '../bench/print.ts';
import { TreeSampler } from '../bench/process-tree.ts';
import { runScale } from '../bench/run-scale.ts';
import { scaleJson, scaleText } from '../bench/scale.ts';
import { measureIndexBoard } from '../bench/index-board.ts';
import { benchJson, benchText, type BenchFigures, type IndexFigures } from '../bench/report.ts';
import { browserVersion, requireBrowser } from '../browser/find.ts';
import { launchBrowser } from '../browser/launch.ts';
import { DEFAULT_JOBS, parseJobs } from './build.ts';

/** A 自评表's HTML (`2025/code.self-eval.html`), as opposed to a targets form's. */
const isSelfEvalHtml = (j: PrintJob): boolean => j.docPath.endsWith('.self-eval.html');

const wholeNumber = (name: string, s: string, min: number, max: number): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} 须是 ${min}–${max} 的整数（收到 “${s}”）--${name} takes a whole number from ${min} to ${max}`,
    );
  return n;
};

/** --scale 500,4000: department counts, each 1–100000. */
const scaleSizes = (s: string): number[] => {
  const sizes = s.split(',').map((n) => wholeNumber('scale', n.trim(), 1, 100_000));
  if (!sizes.length) throw new UsageError('--scale 须给出部门数，如 500,4000 --scale takes sizes, e.g. 500,4000');
  return sizes;
};

/** The last lines of a failed child's output, for the error message. */
const tail = (r: CliRun): string => (r.stderr + r.stdout).trim().split('\n').slice(-8).join('\n');

export default defineCommand({
  meta: {
    name: 'bench',
    usage: '[options]',
    description:
      '性能基准：在临时文件夹生成 N 个合成部门（每个部门一张目标表和一份年终自评），在本机一次测出：' +
      '极限（热浏览器直接打印已生成的两种表的 HTML）、逐个启动浏览器（抽样折算）、完整生成（冷启动，真实命令行）、' +
      '无改动重建、改一个文件后重建、在 jxmb dev 里改一个文件到页面刷新和新 PDF 的等待；' +
      '报告用时、每秒文档数、内存峰值和各项目标 PASS/MISS。' +
      '另在 Chromium 里打开一个生成的 --index-rows 行索引（不生成项目），测打开、筛选用时和文件大小。\n' +
      'Benchmark: generate N synthetic departments (a targets file and a year-end self-evaluation each) in ' +
      'a temporary folder and measure, in one run on this machine, the raw limit (warm page.pdf of the ' +
      'finished HTML of both forms), naive (one browser launch per document, sampled and scaled), the full ' +
      'cold build (the real CLI), a no-op rebuild, a one-file rebuild and the edit loop (jxmb dev: save to ' +
      'reloaded HTML and to the new PDF); report wall time, documents/s, peak RSS and PASS/MISS per target. ' +
      'Also opens a generated index of --index-rows rows (no build) in Chromium: time to open, to filter, ' +
      'and its size.',
    examples: [
      'jxmb bench',
      'jxmb bench --departments 50 --json',
      'jxmb bench --departments 500 --seed 7 --dir /tmp/bench --keep',
      'jxmb bench --scale 500,4000 --json',
    ],
  },
  args: {
    departments: { type: 'string', description: '部门数 number of departments', valueHint: 'N', default: '200' },
    seed: {
      type: 'string',
      description: '随机种子（同一种子生成同样的数据）seed: the same seed gives the same data',
      valueHint: 'N',
      default: '1',
    },
    jobs: {
      type: 'string',
      description: `同时打印的页面数，传给 build --jobs pages at once, passed to build --jobs (default: ${DEFAULT_JOBS})`,
      valueHint: 'N',
    },
    repeat: {
      type: 'string',
      description:
        '极限与完整生成各测几次（交替进行），取中位数，减少机器波动的影响 ' +
        'runs of raw and of the full build, alternating; the median of each counts (less machine noise)',
      valueHint: 'N',
      default: '1',
    },
    naive_sample: {
      type: 'string',
      description: '逐个启动测量的文档数（再折算）documents measured for naive (then scaled)',
      valueHint: 'N',
      default: '10',
    },
    index_rows: {
      type: 'string',
      description:
        '另测一个生成的索引（不生成项目）的行数：打开、筛选用时和文件大小；0 不测 ' +
        'rows of a generated index (no build) to time opening and filtering in Chromium, and its size; 0: skip',
      valueHint: 'N',
      default: '20000',
    },
    dir: {
      type: 'string',
      description: '在此文件夹生成（须为空或不存在；保留）generate here (empty or new; kept)',
      valueHint: 'DIR',
    },
    scale: {
      type: 'string',
      description:
        '按几种规模（逗号分隔的部门数）各生成一次，测检查（多线程与单线程）和 xlsx+html 生成的用时与内存峰值 ' +
        'sizes (department counts, comma-separated): at each, time and peak memory of validate (with worker ' +
        'threads and in one) and of an xlsx+html build',
      valueHint: 'N,N',
    },
    edits: {
      type: 'string',
      description:
        '边改边看：在 jxmb dev 里改同一个部门的次数，取中位数 ' +
        'edits of one department under jxmb dev (the edit loop); the median counts',
      valueHint: 'N',
      default: '20',
    },
    keep: { type: 'boolean', description: '保留临时文件夹 keep the temporary folder' },
    json: { type: 'boolean', description: '输出一个 JSON 对象 print one JSON object' },
  },
  async run({ args, out, err, cwd }) {
    const departments = wholeNumber('departments', args.departments, 1, 100_000);
    const seed = wholeNumber('seed', args.seed, 0, 2 ** 32 - 1);
    const jobs = parseJobs(args.jobs);
    // Two forms per department: its targets form and its 自评表.
    const naiveSample = Math.min(2 * departments, wholeNumber('naive-sample', args.naive_sample, 1, 1000));
    const repeat = wholeNumber('repeat', args.repeat, 1, 20);
    const indexRows = wholeNumber('index-rows', args.index_rows, 0, 1_000_000);
    const edits = wholeNumber('edits', args.edits, 1, 1000);
    const browser = await requireBrowser();
    const say = (s: string): void => err(`jxmb bench: ${s}`);
    const scale = args.scale === undefined ? undefined : scaleSizes(args.scale);

    let root: string;
    if (args.dir) {
      root = path.resolve(cwd, args.dir);
      const existing = await fs.readdir(root).catch(() => []);
      if (existing.length) throw new UsageError(`--dir ${args.dir} 不是空文件夹 is not empty`);
      await fs.mkdir(root, { recursive: true });
    } else root = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-bench-'));
    const keep = Boolean(args.dir) || args.keep;

    try {
      if (scale) {
        const figures = await runScale({
          sizes: scale,
          seed,
          jobs,
          root,
          say,
          failed: (m) => new EnvironmentError(m),
        });
        out(args.json ? JSON.stringify(scaleJson(figures), null, 2) : scaleText(figures));
        return 0;
      }
      const files = generateProject({ departments, seed });
      await writeProject(root, files);
      const indicators = files.slice(1).reduce((n, f) => n + (f.text.match(/^ {2}- level1:/gm)?.length ?? 0), 0);
      say(
        `生成了 ${departments} 个部门（${indicators} 个指标）及其自评 ` +
          `generated ${departments} departments (${indicators} indicators) and their self-evaluations in ${root}`,
      );
      const dataDir = path.join(root, 'data');
      const outDir = path.join(root, 'out');
      const buildArgs = ['build', '--data', dataDir, '--out', outDir, '--jobs', String(jobs)];

      // Chromium's binary and libraries come off the disk once, so no phase pays for that alone.
      const warm = await launchBrowser(browser.path);
      const chromium = (await warm.version().catch(() => undefined)) ?? (await browserVersion(browser.path));
      await warm.close();

      // Pss (shared pages divided among the processes sharing them) is slow to read: sampled in the
      // short rebuilds and in a separate, untimed memory run, never in the timed full build.
      // `pssEvery` false: a timed full build, not sampled at all (sampling takes CPU the build would use).
      const build = async (what: string, pssEvery: number | false, argv = buildArgs): Promise<CliRun> => {
        say(`${what} …`);
        const r = await runJxmb(argv, root, { sampler: pssEvery === false ? false : { pssEvery } });
        if (r.code !== 0) throw new EnvironmentError(`${what}失败 failed (exit ${r.code ?? r.signal}):\n${tail(r)}`);
        say(`${what}: ${(r.ms / 1000).toFixed(2)} s`);
        return r;
      };
      const full = await build('完整生成 full build', false);
      const noop = await build('无改动重建 no-op rebuild', 1);
      // The part of the no-op that checks every output's bytes against its record (issue 11).
      const noopHash = await hashRecordedOutputs(outDir);

      // One department edited the way a person would: one duty reworded.
      const k = Math.floor(departments / 2);
      const dept = generateDepartment(seed, k);
      dept.duties[0] += '（年中调整）';
      const edited = `${dept.fiscal_year}/${dept.department.code}`;
      const before = await snapshotFiles(outDir);
      await fs.writeFile(path.join(dataDir, `${edited}.yaml`), departmentYaml(dept));
      const one = await build(`改一个文件后重建 one file changed (${edited})`, 1);
      const changed = changedFiles(before, await snapshotFiles(outDir));

      // The edit loop: the same department saved again and again under `jxmb dev` (out/ is up to date).
      const duty = dept.duties[0]!;
      say(`边改边看 edit loop: jxmb dev, ${edits} edits of ${edited} …`);
      const editRuns = await measureEditLoop({
        root,
        dataDir,
        outDir,
        jobs,
        file: path.join(dataDir, `${edited}.yaml`),
        textOf: (n) => {
          dept.duties[0] = `${duty}（第${n + 1}次修改）`;
          return departmentYaml(dept);
        },
        edited,
        edits,
        say,
      });
      const editLoop = {
        edits,
        edited,
        htmlMs: middle(editRuns.map((t) => t.htmlMs)),
        pdfMs: middle(editRuns.map((t) => t.pdfMs)),
        breakdown: editBreakdown(editRuns),
      };
      say(`边改边看 edit loop: HTML ${Math.round(editLoop.htmlMs)} ms, PDF ${Math.round(editLoop.pdfMs)} ms (median)`);
      // The full build once more, cold, into another folder, for its memory only.
      const memoryOut = path.join(root, 'out-memory');
      const memory = await build('内存测量（再完整生成一次）memory run (the full build again)', 2, [
        'build',
        '--data',
        dataDir,
        '--out',
        memoryOut,
        '--jobs',
        String(jobs),
      ]);
      await fs.rm(memoryOut, { recursive: true, force: true });

      // The raw limit and naive print the HTML the build wrote: the same documents, finished, both
      // forms (a department's targets form out/<year>/<code>.html, its 自评表 <code>.self-eval.html).
      const printJobs: PrintJob[] = [];
      for (const f of files.slice(1)) {
        const docPath = f.path.replace(/^data\//, '').replace(/\.yaml$/, '.html');
        printJobs.push({ docPath, html: await fs.readFile(path.join(outDir, docPath), 'utf8') });
      }
      say(`极限 raw limit (${jobs} pages) …`);
      const raws = [await printRaw(browser.path, printJobs, jobs)];
      say(`极限 raw limit: ${(raws[0]!.ms / 1000).toFixed(2)} s`);
      // --repeat: more runs of both, alternating, each full build cold into a fresh folder.
      const fulls = [full];
      for (let k = 2; k <= repeat; k++) {
        const again = path.join(root, `out-${k}`);
        fulls.push(
          await build(`完整生成 full build (${k}/${repeat})`, false, [
            'build',
            '--data',
            dataDir,
            '--out',
            again,
            '--jobs',
            String(jobs),
          ]),
        );
        await fs.rm(again, { recursive: true, force: true });
        raws.push(await printRaw(browser.path, printJobs, jobs));
        say(`极限 raw limit (${k}/${repeat}): ${(raws.at(-1)!.ms / 1000).toFixed(2)} s`);
      }
      // The median run of each (for an even count, the faster of the middle two): min would favour
      // whichever side varies more, and the full build varies more than the raw limit.
      const median = <T extends { ms: number }>(runs: T[]): T =>
        [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)]!;
      const raw = median(raws);
      const typical = median(fulls);
      // The raw limit's memory, from one more run, untimed (the timed ones are not sampled, as the full
      // builds are not).
      say('极限的内存测量 raw limit again, for its memory …');
      let sampler = new TreeSampler(process.pid);
      await printRaw(browser.path, printJobs, jobs);
      const rawTree = sampler.stop();

      // Spread evenly over the set and over both forms (a 自评表 prints in less time than its targets form).
      const kinds = [printJobs.filter((j) => !isSelfEvalHtml(j)), printJobs.filter(isSelfEvalHtml)].filter(
        (k) => k.length,
      );
      const perKind = Math.ceil(naiveSample / kinds.length);
      const sample = Array.from({ length: naiveSample }, (_, i) => {
        const list = kinds[i % kinds.length]!;
        return list[Math.floor((Math.floor(i / kinds.length) * list.length) / perKind)]!;
      });
      say(`逐个启动 naive (${naiveSample} documents) …`);
      sampler = new TreeSampler(process.pid);
      const naive = await printNaive(browser.path, sample);
      const naiveTree = sampler.stop();
      say(`逐个启动 naive: ${(naive.ms / 1000).toFixed(2)} s for ${naiveSample}`);

      // The index at a province's scale: generated entries, no build (its own browser, nothing else running).
      let index: IndexFigures | undefined;
      if (indexRows > 0) {
        say(`索引 index.html (${indexRows} rows) …`);
        const b = await launchBrowser(browser.path);
        try {
          index = await measureIndexBoard(b, indexRows, seed);
        } finally {
          await b.close().catch(() => b.process()?.kill('SIGKILL'));
        }
        say(`索引 index.html: open ${Math.round(index.openMs)} ms, filter ≤ ${Math.round(index.filterMs)} ms`);
      }

      const figures: BenchFigures = {
        departments,
        documents: printJobs.length,
        indicators,
        seed,
        jobs,
        machine: {
          cores: os.availableParallelism?.() ?? os.cpus().length,
          cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
          memoryMb: Math.round(os.totalmem() / 1048576),
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          chromium,
        },
        raw: { ms: raw.ms, rssBytes: rawTree.peakRssBytes },
        naive: {
          ms: (naive.ms / naiveSample) * printJobs.length,
          rssBytes: naiveTree.peakRssBytes,
          sample: naiveSample,
          sampleMs: naive.ms,
        },
        full: { ms: typical.ms, rssBytes: memory.tree.peakRssBytes },
        runs: { raw: raws.map((r) => r.ms), full: fulls.map((f) => f.ms) },
        memory: { ms: memory.ms, rssBytes: memory.tree.peakRssBytes, pssBytes: memory.tree.peakPssBytes },
        noop: {
          ms: noop.ms,
          rssBytes: noop.tree.peakRssBytes,
          pssBytes: noop.tree.peakPssBytes,
          browser: noop.tree.supported ? noop.tree.sawBrowser : undefined,
          hash: noopHash,
        },
        one: {
          ms: one.ms,
          rssBytes: one.tree.peakRssBytes,
          pssBytes: one.tree.peakPssBytes,
          edited,
          rerendered: renderedDepartments(changed),
          indexUpdated: changed.includes('index.html') || changed.includes('manifest.json'),
        },
        edit: editLoop,
        sampled: memory.tree.supported,
        ...(index ? { index } : {}),
      };
      out(args.json ? JSON.stringify(benchJson(figures), null, 2) : benchText(figures));
      return 0;
    } finally {
      if (keep) say(`保留了 kept ${root}`);
      else await fs.rm(root, { recursive: true, force: true });
    }
  },
});
