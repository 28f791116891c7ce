/**
 * `jxmb bench --scale 500,4000`: the same project generator at several sizes, each checked and built
 * (xlsx+html) by the real CLI, to see whether memory stays flat and time linear as a repository grows to a
 * province's (issue 17). This file is the pure part: the figures → targets, a text table and JSON.
 */

/** One run of the CLI at one size. */
export interface ScaleRun {
  ms: number;
  /** Peak of the process tree's memory, bytes: Pss summed (shared pages divided), else VmRSS summed. */
  peakBytes: number;
}

export interface ScaleSize {
  departments: number;
  /** Source files (targets files and self-evaluations). */
  files: number;
  /** `jxmb validate` as users run it (worker threads when there are enough files). */
  validate: ScaleRun;
  /** `jxmb validate --workers 0`: checked in one thread, to measure what the workers bring. */
  validateOneThread: ScaleRun;
  /** `jxmb build --formats xlsx,html`, cold, into an empty folder. */
  build: ScaleRun & { documents: number };
}

export interface ScaleFigures {
  seed: number;
  jobs: number;
  machine: { cores: number; cpu: string; memoryMb: number; node: string; platform: string };
  sizes: ScaleSize[];
}

export interface ScaleTarget {
  id: string;
  label: string;
  pass: boolean;
  detail: string;
}

/** Issue 17: peak memory at the largest size within 1.2× the smallest's; time per file within 1.15×. */
export const SCALE_LIMITS = { peak: 1.2, perFile: 1.15 } as const;

const mb = (bytes: number): number => Math.round(bytes / 1048576);
const perFile = (r: ScaleRun, files: number): number => r.ms / Math.max(1, files);
const fixed = (n: number, d = 2): string => (Number.isFinite(n) ? n.toFixed(d) : '∞');

/** The targets, comparing the largest size with the smallest; none with a single size. */
export function scaleTargets(f: ScaleFigures): ScaleTarget[] {
  if (f.sizes.length < 2) return [];
  const sorted = [...f.sizes].sort((a, b) => a.departments - b.departments);
  const small = sorted[0]!;
  const large = sorted.at(-1)!;
  const sizes = `${large.departments} ÷ ${small.departments}`;
  const peak = (id: string, what: string, pick: (s: ScaleSize) => ScaleRun): ScaleTarget => {
    const r = pick(large).peakBytes / Math.max(1, pick(small).peakBytes);
    return {
      id,
      label: `${what}内存峰值 ≤ ${SCALE_LIMITS.peak}× ${what === '检查' ? 'validate' : 'build'} peak ≤ ${SCALE_LIMITS.peak}×`,
      pass: r <= SCALE_LIMITS.peak,
      detail: `${fixed(r)}× (${mb(pick(large).peakBytes)} MB ÷ ${mb(pick(small).peakBytes)} MB, ${sizes})`,
    };
  };
  const linear = (id: string, what: string, pick: (s: ScaleSize) => ScaleRun): ScaleTarget => {
    const a = perFile(pick(large), large.files);
    const b = perFile(pick(small), small.files);
    return {
      id,
      label:
        `${what}每个文件用时 ≤ ${SCALE_LIMITS.perFile}× ` +
        `${what === '检查' ? 'validate' : 'build'} time per file ≤ ${SCALE_LIMITS.perFile}×`,
      pass: a / b <= SCALE_LIMITS.perFile,
      detail: `${fixed(a / b)}× (${fixed(a, 1)} ms ÷ ${fixed(b, 1)} ms, ${sizes})`,
    };
  };
  const workers = f.sizes.map((s) => s.validateOneThread.ms / Math.max(1, s.validate.ms));
  return [
    peak('validate_peak', '检查', (s) => s.validate),
    peak('build_peak', '生成', (s) => s.build),
    linear('validate_per_file', '检查', (s) => s.validate),
    linear('build_per_file', '生成', (s) => s.build),
    {
      id: 'validate_workers',
      label: '多线程检查快于单线程 worker threads check faster than one thread',
      pass: workers.every((r) => r > 1),
      detail: f.sizes.map((s, i) => `${s.departments}: ${fixed(workers[i]!)}×`).join(', '),
    },
  ];
}

/** The JSON object `--scale … --json` prints: per size the figures of the bench contract. */
export function scaleJson(f: ScaleFigures): Record<string, unknown> {
  const round = (n: number, d = 2): number => Number(n.toFixed(d));
  return {
    seed: f.seed,
    jobs: f.jobs,
    machine: f.machine,
    sizes: f.sizes.map((s) => ({
      departments: s.departments,
      files: s.files,
      validate_ms: Math.round(s.validate.ms),
      validate_peak_mb: mb(s.validate.peakBytes),
      validate_ms_per_file: round(perFile(s.validate, s.files)),
      validate_one_thread_ms: Math.round(s.validateOneThread.ms),
      validate_one_thread_peak_mb: mb(s.validateOneThread.peakBytes),
      validate_one_thread_ms_per_file: round(perFile(s.validateOneThread, s.files)),
      build_ms: Math.round(s.build.ms),
      build_peak_mb: mb(s.build.peakBytes),
      build_documents: s.build.documents,
      build_ms_per_file: round(perFile(s.build, s.files)),
    })),
    targets: scaleTargets(f).map((t) => ({ id: t.id, pass: t.pass, detail: t.detail })),
  };
}

/** The text table. */
export function scaleText(f: ScaleFigures): string {
  const rows = f.sizes.map((s) =>
    [
      String(s.departments).padStart(7),
      String(s.files).padStart(6),
      `${(s.validate.ms / 1000).toFixed(1)} s`.padStart(9),
      `${mb(s.validate.peakBytes)} MB`.padStart(8),
      `${(s.validateOneThread.ms / 1000).toFixed(1)} s`.padStart(9),
      `${mb(s.validateOneThread.peakBytes)} MB`.padStart(8),
      `${(s.build.ms / 1000).toFixed(1)} s`.padStart(9),
      `${mb(s.build.peakBytes)} MB`.padStart(8),
    ].join('  '),
  );
  const m = f.machine;
  return [
    `jxmb bench --scale（${m.cores} 核 cores, ${m.cpu}, ${m.memoryMb} MB, Node ${m.node}, ${m.platform}; ` +
      `种子 seed ${f.seed}, --jobs ${f.jobs}）`,
    '',
    '   部门    文件      检查  检查内存  单线程检查  单线程内存     生成  生成内存',
    '  depts   files  validate     peak  1 thread     peak     build     peak',
    ...rows,
    '',
    ...scaleTargets(f).map((t) => `${t.pass ? 'PASS' : 'MISS'}  ${t.label}: ${t.detail}`),
    '',
    '生成 = build --formats xlsx,html（冷启动 cold）；内存 = 进程树 Pss 之和 peak = the process tree’s Pss sum',
  ].join('\n');
}
