/** `jxmb bench --scale`: the figures judged against issue 17's targets, and the JSON contract. */
import { describe, expect, it } from 'vitest';
import { type ScaleFigures, scaleJson, scaleTargets, scaleText } from '../../scripts/bench/scale.ts';

const MB = 1048576;
const size = (departments: number, validateMs: number, validateMb: number, buildMs: number, buildMb: number) => ({
  departments,
  files: departments,
  validate: { ms: validateMs, peakBytes: validateMb * MB },
  validateOneThread: { ms: validateMs * 1.6, peakBytes: (validateMb - 40) * MB },
  build: { ms: buildMs, peakBytes: buildMb * MB, documents: departments },
});
const figures = (sizes: ScaleFigures['sizes']): ScaleFigures => ({
  seed: 1,
  jobs: 2,
  machine: { cores: 2, cpu: 'test', memoryMb: 1024, node: 'v20', platform: 'linux-x64' },
  sizes,
});
const pass = (f: ScaleFigures): Record<string, boolean> =>
  Object.fromEntries(scaleTargets(f).map((t) => [t.id, t.pass]));

describe('bench --scale', () => {
  it('flat memory and linear time pass; the largest size is compared with the smallest, in any order', () => {
    const f = figures([size(4000, 32_000, 130, 160_000, 520), size(500, 4_200, 120, 20_000, 480)]);
    expect(pass(f)).toEqual({
      validate_peak: true,
      build_peak: true,
      validate_per_file: true,
      build_per_file: true,
      validate_workers: true,
    });
  });

  it('memory growing with the files, or time per file growing, is a MISS', () => {
    const f = figures([size(500, 4_000, 120, 20_000, 440), size(4000, 40_000, 400, 170_000, 1200)]);
    const p = pass(f);
    expect(p.validate_peak).toBe(false);
    expect(p.build_peak).toBe(false);
    expect(p.validate_per_file).toBe(false);
    expect(p.build_per_file).toBe(true);
    expect(scaleText(f)).toMatch(/^MISS {2}.*validate peak ≤ 1\.2×: 3\.33× \(400 MB ÷ 120 MB, 4000 ÷ 500\)$/m);
  });

  it('one thread faster than the workers is a MISS; a single size has no targets', () => {
    const slow = size(500, 4_000, 120, 20_000, 440);
    slow.validateOneThread.ms = 3_000;
    expect(pass(figures([slow, size(4000, 32_000, 130, 160_000, 470)])).validate_workers).toBe(false);
    expect(scaleTargets(figures([slow]))).toEqual([]);
  });

  it('--json: per size the contract’s figures, and per-file times', () => {
    const j = scaleJson(figures([size(500, 4_000, 120, 20_000, 440)])) as { sizes: Record<string, number>[] };
    expect(j.sizes[0]).toMatchObject({
      departments: 500,
      validate_ms: 4000,
      validate_peak_mb: 120,
      validate_ms_per_file: 8,
      build_ms: 20000,
      build_peak_mb: 440,
      build_ms_per_file: 40,
      validate_one_thread_ms: 6400,
    });
  });
});
