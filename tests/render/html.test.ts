/**
 * renderFormHtml is pure: model + page plan → HTML. These tests need no browser: structure, escaping,
 * strict templates, and every character of the reference table coming through.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../scripts/io/templates.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import { documentTitle, type FormRenderer, pageFooter } from '../../scripts/render/html.ts';
import type { PageSlice } from '../../scripts/render/paginate.ts';
import { SEED_YAML, seedText } from '../helpers.ts';
import { checkHtml, decodeEntities, tables } from './html-check.ts';
import { formRenderer, HOSTILE_YAML, LONG_YAML, modelOf, referenceCells } from './render-helpers.ts';

let renderer: FormRenderer;
let seed: FormModel;
let long: FormModel;
beforeAll(async () => {
  renderer = await formRenderer();
  seed = modelOf(SEED_YAML);
  long = modelOf(LONG_YAML);
});

const onePage = (m: FormModel): PageSlice[] => [{ start: 0, end: m.rows.length, lead: true, review: true }];
const sheetsOf = (html: string): string[] => html.split(/<section class="sheet[^"]*" id="page-/).slice(1);

describe('the form as HTML', () => {
  it('is a well-formed HTML5 document with a complete table grid', () => {
    const cases: [FormModel, PageSlice[]][] = [
      [seed, onePage(seed)],
      [
        long,
        [
          { start: 0, end: 20, lead: true, review: false },
          { start: 20, end: long.rows.length, lead: false, review: true },
        ],
      ],
    ];
    for (const [m, plan] of cases) {
      const html = renderer.render(m, plan);
      expect(checkHtml(html)).toEqual([]);
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain(`<title>${documentTitle(m)}</title>`);
    }
  });

  it('carries every cell of the reference table, exactly', () => {
    const html = renderer.render(seed, onePage(seed));
    const [table] = tables(html);
    const cellTexts = table!.rows.flat().map((c) => c.text);
    const others = [...html.matchAll(/<(h1|p)\b[^>]*>([^<]*)<\/\1>/g)].map((m) => decodeEntities(m[2]!));
    const present = new Set([...cellTexts, ...others]);
    const missing = referenceCells(seedText()).filter((c) => !present.has(c));
    expect(missing).toEqual([]);
    // And nothing printed twice or invented: the body cells are the model's, in order.
    const body = table!.rows.filter((_, i) => table!.rowAttrs[i]!['data-row'] !== undefined);
    expect(body).toHaveLength(seed.rows.length);
    body.forEach((cells, i) => {
      const r = seed.rows[i]!;
      expect(cells.slice(-7).map((c) => c.text)).toEqual([
        r.name,
        r.type,
        r.valueText,
        r.unit,
        r.explanation,
        r.scoringText,
        r.note,
      ]);
    });
  });

  it('merges equal 一级/二级 neighbours with rowspan', () => {
    const [table] = tables(renderer.render(seed, onePage(seed)));
    const groups = table!.rows.flat().filter((c) => c.attrs.class?.includes('group'));
    expect(groups.filter((c) => c.attrs.class!.includes('level1')).map((c) => [c.text, c.rowspan])).toEqual(
      seed.rows.filter((r) => r.level1Span).map((r) => [r.level1, r.level1Span]),
    );
    expect(groups.filter((c) => c.attrs.class!.includes('level2')).map((c) => [c.text, c.rowspan])).toEqual(
      seed.rows.filter((r) => r.level2Span).map((r) => [r.level2, r.level2Span]),
    );
  });

  it('puts the header on every page, cuts merged cells at page edges with （续）, and numbers the pages', () => {
    const plan: PageSlice[] = [
      { start: 0, end: 10, lead: true, review: false },
      { start: 10, end: 30, lead: false, review: false },
      { start: 30, end: long.rows.length, lead: false, review: true },
    ];
    const html = renderer.render(long, plan);
    expect(checkHtml(html)).toEqual([]);
    const sheets = sheetsOf(html);
    expect(sheets).toHaveLength(3);
    sheets.forEach((s, i) => {
      expect(s).toContain(`<footer class="page-footer">${pageFooter(i + 1, 3)}</footer>`);
      expect(s.match(/<tr class="head">/g)).toHaveLength(1);
      expect(s.includes('<h1 class="title">')).toBe(i === 0);
      expect(s.includes('业务股室审核：')).toBe(i === 2);
      expect(s.includes(long.signatureLine)).toBe(i === 2);
    });
    // Rows 10 and 30 continue groups that began on the page before.
    const [, second, third] = tables(html);
    const firstGroups = (t: typeof second) =>
      t!.rows
        .flat()
        .filter((c) => c.attrs.class?.includes('group') || c.attrs.class === 'section')
        .map((c) => c.text);
    expect(firstGroups(second).slice(0, 3)).toEqual([
      '绩效指标（续）',
      `${long.rows[10]!.level1}（续）`,
      `${long.rows[10]!.level2}（续）`,
    ]);
    expect(firstGroups(third)[0]).toBe('绩效指标（续）');
    expect(firstGroups(third)).toContain(
      long.rows[30]!.level1 === long.rows[29]!.level1 ? `${long.rows[30]!.level1}（续）` : long.rows[30]!.level1,
    );
    // Every row printed once, in order.
    const rows = [...html.matchAll(/<tr data-row="(\d+)">/g)].map((m) => Number(m[1]));
    expect(rows).toEqual(long.rows.map((r) => r.index));
  });

  it('escapes the data: markup in a field is text, not elements', () => {
    const hostile = modelOf(HOSTILE_YAML);
    const html = renderer.render(hostile, onePage(hostile));
    expect(html).not.toMatch(/<iframe|<img|<script|<b>/i);
    expect(html).toContain('&lt;iframe src&#x3D;file:///etc/passwd&gt;&lt;/iframe&gt;');
    expect(html).toContain('&lt;img src&#x3D;&quot;http://127.0.0.1:9/x.png&quot;&gt;');
    const texts = tables(html)[0]!
      .rows.flat()
      .map((c) => c.text);
    expect(texts).toContain(hostile.rows[5]!.explanation);
    expect(hostile.rows[5]!.explanation).toContain("<script>document.title='ran'</script>{{name}} & &amp; <b>粗</b>");
  });

  it('compiles in strict mode: a missing field is an error, not an empty cell', () => {
    const broken = { ...seed, signatureLine: undefined } as unknown as FormModel;
    expect(() => renderer.render(broken, onePage(seed))).toThrow(/signatureLine/);
    const brokenRow = {
      ...seed,
      rows: seed.rows.map((r, i) => (i === 3 ? { ...r, explanation: undefined } : r)),
    } as unknown as FormModel;
    expect(() => renderer.render(brokenRow, onePage(seed))).toThrow(/explanation/);
  });

  it('templates never insert data unescaped (no triple-stash)', () => {
    const files = [
      'form.hbs',
      ...readdirSync(path.join(TEMPLATES_DIR, 'partials'))
        .filter((f) => f.startsWith('form-'))
        .map((f) => `partials/${f}`),
    ];
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(readFileSync(path.join(TEMPLATES_DIR, f), 'utf8'), f).not.toMatch(/\{\{\{|\{\{&/);
  });

  it('links its fonts relatively, so it opens from disk', () => {
    const html = renderer.render(seed, onePage(seed));
    expect(html).toContain('<link rel="stylesheet" href="../assets/fonts/fonts.css">');
    expect(html).not.toMatch(/(src|href)="(https?:|\/\/|file:)/);
  });
});
