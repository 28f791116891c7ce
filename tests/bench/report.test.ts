/** The bench's verdicts from given figures (constructed here, not measured). */
import { describe, expect, it } from 'vitest';
import { benchJson, benchText, type BenchFigures, evaluateTargets } from '../../scripts/bench/report.ts';

const MB = 1048576;
const figures = (over: Partial<BenchFigures> = {}): BenchFigures => ({
  departments: 200,
  documents: 400,
  indicators: 7400,
  seed: 1,
  jobs: 2,
  machine: { cores: 2, cpu: 'cpu', memoryMb: 4096, node: 'v20', platform: 'linux-x64', chromium: 'Chrome/1.2.3' },
  raw: { ms: 46_000, rssBytes: 600 * MB },
  naive: { ms: 500_000, rssBytes: 300 * MB, sample: 10, sampleMs: 25_000 },
  full: { ms: 50_000, rssBytes: 1300 * MB },
  memory: { ms: 52_000, rssBytes: 1350 * MB, pssBytes: 800 * MB },
  noop: { ms: 400, rssBytes: 90 * MB, pssBytes: 60 * MB, browser: false },
  one: {
    ms: 1500,
    rssBytes: 700 * MB,
    pssBytes: 500 * MB,
    edited: '2025/a',
    rerendered: ['2025/a'],
    indexUpdated: true,
  },
  sampled: true,
  ...over,
});
const verdicts = (f: BenchFigures): Record<string, boolean> =>
  Object.fromEntries(evaluateTargets(f).map((t) => [t.id, t.pass]));

describe('bench targets', () => {
  it('all PASS when every figure is within its target', () => {
    expect(verdicts(figures())).toEqual({
      full_vs_raw: true,
      naive_vs_full: true,
      noop: true,
      one_file: true,
      rss: true,
    });
  });
  it('each target MISSes on its own figure', () => {
    expect(verdicts(figures({ full: { ms: 50_700, rssBytes: 1300 * MB } })).full_vs_raw).toBe(false);
    expect(verdicts(figures({ naive: { ms: 390_000, rssBytes: 0, sample: 10, sampleMs: 19_500 } })).naive_vs_full).toBe(
      false,
    );
    expect(verdicts(figures({ noop: { ms: 1000, rssBytes: 0, browser: false } })).noop).toBe(false);
    expect(verdicts(figures({ noop: { ms: 300, rssBytes: 0, browser: true } })).noop).toBe(false);
    expect(verdicts(figures({ noop: { ms: 300, rssBytes: 0, browser: undefined } })).noop).toBe(false);
    const one = figures().one;
    expect(verdicts(figures({ one: { ...one, rerendered: ['2025/a', '2025/b'] } })).one_file).toBe(false);
    expect(verdicts(figures({ one: { ...one, rerendered: [] } })).one_file).toBe(false);
    expect(verdicts(figures({ one: { ...one, indexUpdated: false } })).one_file).toBe(false);
    // Memory is judged by Pss (what the tree occupies), in any build: the memory run or a rebuild.
    expect(verdicts(figures({ one: { ...one, pssBytes: 1024 * MB } })).rss).toBe(false);
    expect(verdicts(figures({ memory: { ms: 52_000, rssBytes: 1400 * MB, pssBytes: 1100 * MB } })).rss).toBe(false);
    expect(verdicts(figures({ memory: { ms: 52_000, rssBytes: 1400 * MB } })).rss).toBe(false);
    expect(verdicts(figures({ sampled: false })).rss).toBe(false);
  });
  it('JSON carries the keys the issue asks for, for the whole set', () => {
    const j = benchJson(figures());
    expect(j).toMatchObject({
      departments: 200,
      raw_ms: 46_000,
      naive_ms: 500_000,
      full_ms: 50_000,
      noop_ms: 400,
      one_ms: 1500,
      peak_rss_mb: 800,
      peak_vmrss_sum_mb: 1350,
    });
    expect(j.pss_mb).toEqual({ full: 800, noop: 60, one: 500 });
    expect(j.ratios).toEqual({
      full_over_raw: 1.087,
      full_over_raw_paired: null,
      full_over_raw_limit: 1.1,
      naive_over_full: 10,
    });
    // Naive is scaled to every form of the set (two per department), and documents/s counts forms.
    expect(j.naive_sample).toEqual({ documents: 10, ms: 25_000, scaled_by: 40 });
    expect(j.documents).toBe(400);
    expect(j.docs_per_s).toMatchObject({ full: 8 });
  });
  it('full/raw: ≤ 1.1× from 200 departments, ≤ 1.3× below (the issue’s figure at 60)', () => {
    const at = (departments: number, full: number): boolean =>
      verdicts(figures({ departments, documents: 2 * departments, full: { ms: full, rssBytes: 0 } })).full_vs_raw!;
    expect(at(200, 46_000 * 1.09)).toBe(true);
    expect(at(200, 46_000 * 1.12)).toBe(false);
    expect(at(500, 46_000 * 1.12)).toBe(false);
    expect(at(60, 46_000 * 1.12)).toBe(true);
    expect(at(60, 46_000 * 1.29)).toBe(true);
    expect(at(60, 46_000 * 1.32)).toBe(false);
    const label = (departments: number): string =>
      evaluateTargets(figures({ departments })).find((t) => t.id === 'full_vs_raw')!.label;
    expect(label(200)).toContain('full build ≤ 1.1× raw');
    expect(label(60)).toContain('full build ≤ 1.3× raw');
    expect(benchJson(figures({ departments: 60 })).ratios).toMatchObject({ full_over_raw_limit: 1.3 });
  });
  it('repeated runs: full/raw is judged on pairs (each full run ÷ the raw run after it), medians ratio beside', () => {
    // Medians 11.4 / 10 = 1.14; pairs 1.07, 1.08, 1.14, 1.09, 1.15 → 1.09.
    // A slow spell (the 4th pair) slows both sides.
    const runs = { full: [10_700, 10_800, 11_400, 13_080, 11_500], raw: [10_000, 10_000, 10_000, 12_000, 10_000] };
    const f = figures({ runs, full: { ms: 11_400, rssBytes: 0 }, raw: { ms: 10_000, rssBytes: 0 } });
    const t = evaluateTargets(f).find((x) => x.id === 'full_vs_raw')!;
    expect(t.detail).toBe('1.09× (成对 paired; 中位数之比 ratio of medians 1.14×)');
    expect(t.pass).toBe(true);
    expect(benchJson(f).ratios).toMatchObject({ full_over_raw: 1.14, full_over_raw_paired: 1.09 });
    // And it MISSes when the pairs do.
    const slow = { full: runs.full.map((ms) => ms * 1.05), raw: runs.raw };
    expect(
      verdicts(figures({ runs: slow, full: { ms: 11_970, rssBytes: 0 }, raw: { ms: 10_000, rssBytes: 0 } }))
        .full_vs_raw,
    ).toBe(false);
    // Even counts: the mean of the middle two.
    expect(benchJson(figures({ runs: { full: [10_600, 11_000], raw: [10_000, 10_000] } })).ratios).toMatchObject({
      full_over_raw_paired: 1.08,
    });
  });

  it('the text says PASS/MISS per target and how naive was scaled', () => {
    const t = benchText(figures({ noop: { ms: 5000, rssBytes: 0, browser: true } }));
    expect(t).toMatch(/PASS {2}完整生成/);
    expect(t).toMatch(/MISS {2}无改动重建.*5\.00 s/);
    expect(t).toContain('naive measured on 10 of 400 documents');
    expect(t).toContain('×40.0');
  });

  it('the no-op shows what checking the outputs’ sha256 cost (text and JSON)', () => {
    const hash = { ms: 120, files: 600, bytes: 80 * MB };
    const f = figures({ noop: { ms: 600, rssBytes: 0, browser: false, hash } });
    expect(benchText(f)).toMatch(/PASS {2}无改动重建.*0\.60 s.*checking the sha256 of 600 outputs \(80 MB\) ≈ 0\.12 s/);
    expect(benchJson(f).noop_hash).toEqual({ ms: 120, files: 600, mb: 80 });
  });
});
