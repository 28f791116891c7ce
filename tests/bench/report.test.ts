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
  it('the index: open and filter each PASS under 1 s and MISS at it; size and times in JSON and text', () => {
    const index = {
      rows: 20000,
      bytes: 750_000,
      renderMs: 600,
      openMs: 300,
      filterMs: 60,
      sortMs: 70,
      actions: [
        { what: 'type 芷', ms: 60, shown: 900 },
        { what: 'status 全部', ms: 40, shown: 20000 },
        { what: 'sort 名称', ms: 70, shown: 20000 },
      ],
      heapBytes: 9 * MB,
      nodes: 2400,
    };
    expect(verdicts(figures({ index }))).toMatchObject({ index_open: true, index_filter: true });
    expect(verdicts(figures({ index: { ...index, openMs: 1000 } }))).toMatchObject({ index_open: false });
    expect(verdicts(figures({ index: { ...index, filterMs: 1000 } }))).toMatchObject({ index_filter: false });
    // Without an index measured (--index-rows 0), no index targets.
    expect(Object.keys(verdicts(figures()))).not.toContain('index_open');
    expect(benchJson(figures({ index }))).toMatchObject({
      index_rows: 20000,
      index_bytes: 750_000,
      index_open_ms: 300,
      index_filter_ms: 60,
      index_sort_ms: 70,
      index_heap_mb: 9,
    });
    expect(benchJson(figures())).not.toHaveProperty('index_open_ms');
    const text = benchText(figures({ index }));
    expect(text).toContain('打开 open 300 ms, 筛选 filter ≤ 60 ms');
    expect(text).toMatch(/PASS {2}索引筛选 .*: 60 ms \(最慢 slowest of 2: type 芷; 20000 行 rows, 0\.72 MB\)/);
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

  it('the edit loop: its medians in the JSON, PASS/MISS against 300 ms and 1 s, and its breakdown', () => {
    const breakdown = { notify_ms: 2, debounce_ms: 45, plan_ms: 60, html_ms: 100, pdf_ms: 200, total_ms: 520 };
    const edit = { edits: 20, edited: '2025/a', htmlMs: 210.4, pdfMs: 420.6, breakdown };
    const f = figures({ edit });
    expect(verdicts(f)).toMatchObject({ edit_html: true, edit_pdf: true });
    expect(benchJson(f)).toMatchObject({
      edit_html_ms: 210,
      edit_pdf_ms: 421,
      edit_breakdown_ms: breakdown,
      edit_runs: { edits: 20, edited: '2025/a' },
    });
    const t = benchText(f);
    expect(t).toMatch(/PASS {2}jxmb dev 保存到页面刷新.*210 ms/);
    expect(t).toMatch(/PASS {2}jxmb dev 保存到新 PDF.*421 ms/);
    expect(t).toContain('notify 2 + debounce 45 + plan 60 + html 100 + pdf 200');
    expect(verdicts(figures({ edit: { ...edit, htmlMs: 300 } })).edit_html).toBe(false);
    expect(verdicts(figures({ edit: { ...edit, pdfMs: 1000 } })).edit_pdf).toBe(false);
    // Not measured: null in the JSON, no target.
    expect(benchJson(figures())).toMatchObject({ edit_html_ms: null, edit_pdf_ms: null });
    expect(verdicts(figures())).not.toHaveProperty('edit_html');
  });
});
