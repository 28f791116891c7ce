/**
 * Measuring several forms in one document (measureForms, used by the build) gives every form exactly
 * the measurement it gets alone, so a form paginates the same in a full build and when rebuilt by itself.
 * Real Chromium; 24 forms of different shapes, in different batch orders and folders.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentYaml, generateDepartment } from '../../scripts/bench/generate.ts';
import { checkFile } from '../../scripts/check/check-file.ts';
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import type { FormRenderer } from '../../scripts/render/html.ts';
import {
  MEASURE_BATCH,
  type MeasureItem,
  measureForms,
  planForm,
  renderFormOnPage,
} from '../../scripts/browser/form-page.ts';
import type { FormMeasure } from '../../scripts/render/paginate.ts';
import { SEED_YAML } from '../helpers.ts';
import { formRenderer, HOSTILE_YAML, LONG_YAML, modelOf, testPool } from '../render/render-helpers.ts';

let pool: BrowserPool;
let renderer: FormRenderer;
let items: MeasureItem[];
let alone: FormMeasure[];

function generated(i: number): FormModel {
  const d = generateDepartment(7, i);
  const file = `data/${d.fiscal_year}/${d.department.code}.yaml`;
  const c = checkFile(file, Buffer.from(departmentYaml(d)), {
    settings: DEFAULT_SETTINGS,
    dataPath: path.relative('data', file),
  });
  if (!c.model) throw new Error(`generated department ${i} has errors: ${c.diagnostics.map((x) => x.code).join(', ')}`);
  return c.model;
}

beforeAll(async () => {
  renderer = await formRenderer();
  pool = await testPool();
  const models = [
    modelOf(SEED_YAML),
    modelOf(LONG_YAML),
    modelOf(HOSTILE_YAML),
    ...Array.from({ length: 21 }, (_, i) => generated(i)),
  ];
  items = models.map((model) => ({ model, docPath: `${model.fiscalYear}/${model.code}.html` }));
  alone = [];
  for (const item of items) alone.push((await pool.withPage((page) => measureForms(page, [item], renderer)))[0]!);
}, 120_000);

afterAll(async () => {
  await pool?.close();
});

describe('measureForms', () => {
  it('the forms differ in shape (a test of something)', () => {
    expect(new Set(alone.map((m) => m.rows.length)).size).toBeGreaterThan(5);
    expect(items.length).toBeGreaterThan(2 * MEASURE_BATCH);
  });

  it('in batches, every form measures exactly as alone', async () => {
    const batched = await pool.withPage((page) => measureForms(page, items, renderer));
    expect(batched).toEqual(alone);
  });

  it('in another order, too', async () => {
    const order = items.map((_, i) => i).reverse();
    const batched = await pool.withPage((page) =>
      measureForms(
        page,
        order.map((i) => items[i]!),
        renderer,
      ),
    );
    order.forEach((i, k) => expect(batched[k], items[i]!.model.code).toEqual(alone[i]));
  });

  it('forms of another folder are measured in their own batch, each still as alone', async () => {
    const mixed = items.map((it, i) =>
      i % 3 === 0 ? { ...it, docPath: it.docPath.replace(/^\d{4}\//, '2031/') } : it,
    );
    const batched = await pool.withPage((page) => measureForms(page, mixed, renderer));
    expect(batched).toEqual(alone);
  });

  it('a form rendered with a measurement taken in a batch is the same document as one measured alone', async () => {
    const [batchedLong] = await pool.withPage((page) => measureForms(page, [items[1]!, items[0]!], renderer));
    const withBatch = await pool.withPage((page) =>
      renderFormOnPage(page, items[1]!.model, {
        renderer,
        pdf: false,
        creator: 'jxmb test',
        docPath: items[1]!.docPath,
        plan: planForm(items[1]!.model, batchedLong!, renderer),
      }),
    );
    const byItself = await pool.withPage((page) =>
      renderFormOnPage(page, items[1]!.model, {
        renderer,
        pdf: false,
        creator: 'jxmb test',
        docPath: items[1]!.docPath,
      }),
    );
    expect(withBatch.pages.length).toBeGreaterThan(1);
    expect(withBatch.html).toBe(byItself.html);
    // The measurement handed in is not changed by rendering (it may be reused).
    expect(batchedLong).toEqual(alone[1]);
  });
});
