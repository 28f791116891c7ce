/**
 * `jxmb bench` end to end on a tiny set (real Chromium, real child builds). Asserts the report's shape
 * and what the run must have observed, never timings.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.ts';

/** The parts of `jxmb bench --json` this test reads (scripts/bench/report.ts benchJson). */
interface BenchJson {
  [key: string]: unknown;
  departments: number;
  documents: number;
  indicators: number;
  raw_ms: number;
  full_ms: number;
  runs_ms: { raw: number[]; full: number[] };
  pss_mb: { full: number };
  peak_rss_mb: number;
  peak_vmrss_sum_mb: number;
  naive_sample: { documents: number };
  noop_hash: { files: number; ms: number };
  targets: Record<string, { pass: unknown; detail: unknown }>;
  one_rerendered: string[];
  one_edited: string;
  one_edited_rerendered: boolean;
  one_rerendered_count: number;
  one_index_updated: boolean;
  machine: { chromium: string };
  index_actions: { what: string; ms: number; shown: number }[];
  edit_html_ms: number;
  edit_pdf_ms: number;
  edit_breakdown_ms: Record<string, number>;
  edit_runs: { edits: number; edited: string };
}

describe('jxmb bench', () => {
  it('--departments 3 --repeat 2 --json runs every phase and prints the figures as one JSON object', async () => {
    const r = await runCli([
      'bench',
      '--departments',
      '3',
      '--repeat',
      '2',
      '--index-rows',
      '2000',
      '--edits',
      '3',
      '--json',
    ]);
    expect(r.err).not.toMatch(/internal error|内部错误/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as BenchJson;
    expect(j.departments).toBe(3);
    for (const k of ['raw_ms', 'naive_ms', 'full_ms', 'noop_ms', 'one_ms', 'peak_rss_mb']) {
      expect(typeof j[k], k).toBe('number');
      expect(j[k], k).toBeGreaterThan(0);
    }
    expect(j.indicators).toBeGreaterThanOrEqual(45);
    // --repeat 2: two runs of each; the median counts (of two, the faster).
    expect(j.runs_ms.raw).toHaveLength(2);
    expect(j.runs_ms.full).toHaveLength(2);
    expect(j.full_ms).toBe(Math.min(...j.runs_ms.full));
    expect(j.raw_ms).toBe(Math.min(...j.runs_ms.raw));
    // Memory: Pss of the memory run (the full build repeated); shared pages make the VmRSS sum larger.
    expect(j.pss_mb.full).toBeGreaterThan(0);
    expect(j.peak_rss_mb).toBeGreaterThanOrEqual(j.pss_mb.full);
    expect(j.peak_vmrss_sum_mb).toBeGreaterThan(j.peak_rss_mb);
    // Both forms of each department: its targets form and its 自评表.
    expect(j.documents).toBe(6);
    expect(j.naive_sample.documents).toBe(6);
    // What the no-op's check of every output's sha256 costs: 3 departments × 2 forms × 3 formats hashed.
    expect(j.noop_hash.files).toBe(18);
    expect(j.noop_hash.ms).toBeGreaterThanOrEqual(0);
    expect(Object.keys(j.targets).sort()).toEqual([
      'edit_html',
      'edit_pdf',
      'full_vs_raw',
      'index_filter',
      'index_open',
      'naive_vs_full',
      'noop',
      'one_file',
      'rss',
    ]);
    // The generated index, opened in Chromium: its size and times from the page's marks, and what each
    // filter change left on the board (a status filter shows fewer rows, turning it off all 2,000).
    expect(j.index_rows).toBe(2000);
    for (const k of ['index_bytes', 'index_open_ms', 'index_filter_ms', 'index_sort_ms']) {
      expect(typeof j[k], k).toBe('number');
      expect(j[k], k).toBeGreaterThan(0);
    }
    const shown = Object.fromEntries(j.index_actions.map((a) => [a.what, a.shown]));
    expect(shown['status 有警告']).toBeGreaterThan(0);
    expect(shown['status 有警告']).toBeLessThan(2000);
    expect(shown['status 全部']).toBe(2000);
    expect(shown['sort 名称']).toBe(2000);
    for (const t of Object.values(j.targets)) {
      expect(typeof t.pass).toBe('boolean');
      expect(typeof t.detail).toBe('string');
    }
    // The edited department was rebuilt and the index rewritten, whatever else was.
    expect(j.one_rerendered).toContain(j.one_edited);
    expect(j.one_edited_rerendered).toBe(true);
    expect(j.one_rerendered_count).toBeGreaterThanOrEqual(1);
    expect(j.one_rerendered_count).toBeLessThanOrEqual(3);
    expect(j.one_index_updated).toBe(true);
    expect(j.machine.chromium).toMatch(/\d+\.\d+/);
    // The edit loop under jxmb dev: the edited department saved 3 times; the PDF is told after the HTML.
    expect(j.edit_runs).toEqual({ edits: 3, edited: j.one_edited });
    expect(j.edit_html_ms).toBeGreaterThan(0);
    expect(j.edit_pdf_ms).toBeGreaterThanOrEqual(j.edit_html_ms);
    for (const k of ['notify_ms', 'debounce_ms', 'plan_ms', 'html_ms', 'pdf_ms', 'index_ms', 'total_ms'])
      expect(typeof j.edit_breakdown_ms[k], k).toBe('number');
    expect(r.err).toMatch(/edit 3\/3: HTML \d+ ms, PDF \d+ ms/);
    // The temporary project is gone.
    const dir = /in (\S+jxmb-bench-\S+)/.exec(r.err)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
  }, 300_000);

  it('rejects a bad --departments with exit 2', async () => {
    const r = await runCli(['bench', '--departments', 'many']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--departments');
  });
});
