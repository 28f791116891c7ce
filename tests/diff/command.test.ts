/**
 * `jxmb diff` as a user runs it: two files, two fiscal years, the formats, exit codes, errors — and the
 * seed 2025 → the realistic 2026 table as golden text, Markdown and JSON.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MD_MAX_CHARS } from '../../scripts/diff/format-md.ts';
import { ROOT, runCli, SEED_YAML } from '../helpers.ts';
import { expectFile } from './_fixtures.ts';

const Y2026 = path.join(ROOT, 'data/2026/zhijiang-swkjgxj.yaml');
const SEED_PAIR = ['data/2025/zhijiang-swkjgxj.yaml', 'data/2026/zhijiang-swkjgxj.yaml'];
const YEARS_DATA = 'tests/fixtures/diff-years/data';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'jxmb-diff-cmd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('data/2026 is a valid, realistic next year of the seed', () => {
  it('validates without errors or warnings', async () => {
    const r = await runCli(['validate', 'data/2026']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('0 个错误，0 个警告');
  });
});

describe('jxmb diff A.yaml B.yaml: the seed 2025 → 2026 (golden)', () => {
  it('text', async () => {
    const r = await runCli(['diff', ...SEED_PAIR]);
    expect(r.code).toBe(0);
    expectFile('tests/fixtures/diff-seed-2025-2026/expected.txt', r.out + '\n');
  });
  it('md', async () => {
    const r = await runCli(['diff', ...SEED_PAIR, '--format', 'md']);
    expect(r.code).toBe(0);
    expectFile('tests/fixtures/diff-seed-2025-2026/expected.md', r.out + '\n');
    expect(r.out).toContain('目标降低 4 处');
    expect(r.out).toContain('<del>2023</del>');
    expect(r.out).toContain('<ins>2026</ins>');
  });
  it('json', async () => {
    const r = await runCli(['diff', ...SEED_PAIR, '--format', 'json']);
    expectFile('tests/fixtures/diff-seed-2025-2026/expected.json', r.out + '\n');
    const j = JSON.parse(r.out) as {
      departments: { changes: { kind: string; indicator?: { name: string }; flags: string[] }[] }[];
    };
    const weakened = j.departments[0]!.changes.filter((c) => c.flags.includes('weakened')).map(
      (c) => `${c.kind} ${c.indicator?.name}`,
    );
    expect(weakened).toEqual([
      'value 开展科技培训人数',
      'value 小巨人企业营业收入达到标准',
      'points 外贸进出口倍增企业进出口总额',
      'value 部门预算支出金额',
    ]);
    const kinds = new Set(j.departments[0]!.changes.map((c) => c.kind));
    for (const k of [
      'duty',
      'goal',
      'indicator-added',
      'indicator-removed',
      'renamed',
      'value',
      'unit',
      'scoring',
      'points',
      'signoff',
    ])
      expect(kinds).toContain(k);
  });
  it('--lang en', async () => {
    const r = await runCli(['diff', ...SEED_PAIR, '--format', 'md', '--lang', 'en']);
    expect(r.out).toContain('## Performance target changes');
    expect(r.out).toContain('**4 weakened targets** to review:');
    expect(r.out).toContain('| Department | Years | Added |');
  });
});

describe('exit codes', () => {
  it('0 without --exit-code, 1 with it when there are differences', async () => {
    expect((await runCli(['diff', ...SEED_PAIR])).code).toBe(0);
    expect((await runCli(['diff', ...SEED_PAIR, '--exit-code'])).code).toBe(1);
  });
  it('0 with --exit-code when there are none', async () => {
    const r = await runCli(['diff', SEED_YAML, SEED_YAML, '--exit-code']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('没有差异。');
  });
  it('2 when a side has errors: its diagnostics are printed, with file:line:col', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, readFileSync(Y2026, 'utf8').replace('type: ≥\n    value: 4', 'type: ≥\n    value: 四'));
    const r = await runCli(['diff', SEED_YAML, bad, '--exit-code']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:\d+:\d+ {2}error {2}QUANTITATIVE_VALUE/);
    expect(r.err).toContain('请先改正以上错误');
    expect(r.out).toBe('');
  });
  it('2 when a side has a character no bundled font has (GLYPH_MISSING), as validate reports it', async () => {
    const bad = path.join(tmp, 'emoji.yaml');
    writeFileSync(bad, readFileSync(Y2026, 'utf8').replace(/(\n {2}name: [^\n]+)/, '$1😀'));
    const r = await runCli(['diff', SEED_YAML, bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/emoji\.yaml:5:\d+ {2}error {2}GLYPH_MISSING .*U\+1F600/);
  });
  it('2 for a missing file, a bad option, or a wrong number of files', async () => {
    expect((await runCli(['diff', SEED_YAML, 'nope.yaml'])).code).toBe(2);
    expect((await runCli(['diff', SEED_YAML])).code).toBe(2);
    const f = await runCli(['diff', ...SEED_PAIR, '--format', 'pdf']);
    expect(f.code).toBe(2);
    expect(f.err).toContain('--format 只能是 text | md | html | json');
    expect((await runCli(['diff', ...SEED_PAIR, '--layout', 'stacked'])).code).toBe(2);
    expect((await runCli(['diff', '--from', '2025'])).code).toBe(2);
    expect((await runCli(['diff', '--from', '2025', '--to', '2026', '--git', 'HEAD'])).code).toBe(2);
  });
});

describe('jxmb diff --from --to over a data folder', () => {
  const years = ['diff', '--data', YEARS_DATA, '--from', '2025', '--to', '2026'];
  it('lists departments gone and new, and diffs the ones in both years', async () => {
    const r = await runCli([...years, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { departments: { code: string; status: string; counts: { weakened: number } }[] };
    expect(j.departments.map((d) => [d.code, d.status])).toEqual([
      ['dept-a', 'removed'],
      ['dept-b', 'changed'],
      ['dept-c', 'added'],
    ]);
    expect(j.departments[1]!.counts.weakened).toBe(1);
    const md = await runCli([...years, '--format', 'md']);
    expectFile('tests/fixtures/diff-years/expected.md', md.out + '\n');
    expect(md.out).toContain('甲局（dept-a） · 删除');
    expect(md.out).toContain('丙局（dept-c） · 新增');
  });
  it('codes narrow it down; an unknown code or an empty year is an error', async () => {
    const r = await runCli([...years, 'dept-b', '--format', 'json']);
    expect((JSON.parse(r.out) as { departments: { code: string }[] }).departments.map((d) => d.code)).toEqual([
      'dept-b',
    ]);
    const u = await runCli([...years, 'dept-x']);
    expect(u.code).toBe(2);
    expect(u.err).toContain('dept-x');
    const e = await runCli(['diff', '--data', YEARS_DATA, '--from', '2024', '--to', '2025']);
    expect(e.code).toBe(2);
    expect(e.err).toContain('2024');
  });
});

describe('--format md stays under the comment limit', () => {
  it('defaults to fewer than 65536 characters', () => expect(MD_MAX_CHARS).toBeLessThan(65_536));
  it('drops trailing details with a note when too long', async () => {
    const full = await runCli(['diff', ...SEED_PAIR, '--format', 'md']);
    const cut = await runCli(['diff', ...SEED_PAIR, '--format', 'md', '--max-chars', '1500']);
    expect(full.out.length).toBeGreaterThan(1500);
    expect(cut.out.length).toBeLessThanOrEqual(1500);
    expect(cut.out).toContain('差异太长，已省略');
    // The summary table always survives.
    expect(cut.out).toContain('| 芷江侗族自治县商务科技和工业和信息化局（zhijiang-swkjgxj） | 2025 → 2026 |');
  });
});

describe('--format text', () => {
  it('no colour when not a terminal; --color forces it', async () => {
    expect((await runCli(['diff', ...SEED_PAIR])).out).not.toContain('\x1b[');
    const c = await runCli(['diff', ...SEED_PAIR, '--color']);
    expect(c.out).toContain('\x1b[31;9m2023\x1b[0m\x1b[32;4m2026\x1b[0m');
  });
  it('-o writes a file', async () => {
    const out = path.join(tmp, 'd.txt');
    const r = await runCli(['diff', ...SEED_PAIR, '-o', out]);
    expect(r.out).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('⚠ 目标降低');
  });
});

describe('--format html', () => {
  it('inline: the form with the changes marked, standalone, data escaped', async () => {
    const r = await runCli(['diff', ...SEED_PAIR, '--format', 'html']);
    expect(r.code).toBe(0);
    const html = r.out;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<p class="title">部门（单位）整体绩效目标表</p>');
    expect(html).toContain('（<del>2025</del><ins>2026</ins>）年度');
    expect(html).toContain('<del>2023</del><ins>2026</ins>');
    expect(html.match(/<tr class="removed">/g)).toHaveLength(1);
    expect(html.match(/<tr class="added">/g)).toHaveLength(1);
    expect(html.match(/<td class="value changed weak">/g)).toHaveLength(3);
    // the form's own stylesheet is reused; nothing is fetched from anywhere
    expect(html).toContain('table.form');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\((?!data:)/);
  });
  it('side by side: old and new in one table, row against row', async () => {
    const html = (await runCli(['diff', ...SEED_PAIR, '--format', 'html', '--layout', 'side'])).out;
    expect(html).toContain('class="form diff-form side-by-side"');
    expect(html).toContain('<th colspan="9" class="file old">data/2025/zhijiang-swkjgxj.yaml</th>');
    // every display row has both halves: 19 indicator rows (18 new + 1 removed)
    expect(html.match(/<td class="divider"><\/td>/g)!.length).toBeGreaterThanOrEqual(19);
  });
  it('escapes text from the data', async () => {
    const evil = path.join(tmp, 'evil.yaml');
    writeFileSync(
      evil,
      readFileSync(Y2026, 'utf8').replace('name: 开展科技培训人数', 'name: "开展科技培训<img src=x onerror=alert(1)>"'),
    );
    const html = (await runCli(['diff', Y2026, evil, '--format', 'html'])).out;
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
  it('--embed-fonts inlines only the font subsets the page uses, as data: URLs', async () => {
    const html = (await runCli(['diff', ...SEED_PAIR, '--format', 'html', '--embed-fonts'])).out;
    const faces = html.match(/@font-face/g)?.length ?? 0;
    expect(faces).toBeGreaterThan(3);
    expect(html).toContain('url(data:font/woff;base64,');
    expect(html).not.toMatch(/url\((?!data:)/);
  });
});

describe('comparing two different departments', () => {
  it('reports the code as changed', async () => {
    const other = path.join(tmp, 'other.yaml');
    writeFileSync(other, readFileSync(SEED_YAML, 'utf8').replace('code: zhijiang-swkjgxj', 'code: other-dept'));
    const j = JSON.parse((await runCli(['diff', SEED_YAML, other, '--format', 'json'])).out) as {
      departments: { changes: { kind: string; field?: string; to: unknown }[] }[];
    };
    expect(j.departments[0]!.changes).toContainEqual({
      kind: 'department',
      field: 'code',
      from: 'zhijiang-swkjgxj',
      to: 'other-dept',
      flags: [],
    });
  });
});

describe('usage texts (golden)', () => {
  it('jxmb diff --help and jxmb comment --help', async () => {
    const d = await runCli(['diff', '--help']);
    expect(d.code).toBe(0);
    expectFile('tests/fixtures/diff-usage/diff.txt', d.out + '\n');
    expectFile('tests/fixtures/diff-usage/comment.txt', (await runCli(['comment', '--help'])).out + '\n');
  });
});
