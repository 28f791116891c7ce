/**
 * Measuring several 自评表 in one document (measureSelfEvals, the build's prepare step) gives each the
 * measurement it gets alone, so a 自评表 paginates the same in a full build and when rebuilt by itself.
 * Real Chromium; generated departments' self-evaluations of different lengths, two year folders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  departmentYaml,
  generateDepartment,
  generateSelfEvaluation,
  selfEvaluationYaml,
} from '../../scripts/bench/generate.ts';
import { checkFile } from '../../scripts/check/check-file.ts';
import { checkSelfEvalFile } from '../../scripts/check/self-eval.ts';
import { FOOTER_GAP_PX, MEASURE_BATCH, showDocument } from '../../scripts/browser/form-page.ts';
import { call } from '../../scripts/browser/page-code/evaluate.ts';
import { readSelfEvalMeasure } from '../../scripts/browser/page-code/self-eval-code.ts';
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import { measureSelfEvals } from '../../scripts/forms/self-eval.ts';
import { readSelfEvalCss } from '../../scripts/io/templates.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import {
  paginateSelfEval,
  SELF_EVAL_CLASSES,
  type SelfEvalMeasure,
  type SelfEvalModel,
  selfEvalMeasureHtml,
  selfEvalModel,
} from '../../scripts/render/self-eval-form.ts';
import { testPool } from '../render/render-helpers.ts';

let pool: BrowserPool;
let css: string;
let models: SelfEvalModel[];
let alone: SelfEvalMeasure[];

/** Generated department i of fiscal year `fy`, its self-evaluation checked and scored. */
function generated(i: number, fy: number): SelfEvalModel {
  const d = generateDepartment(5, i, { fiscalYear: fy });
  const dataPath = `${fy}/${d.department.code}.yaml`;
  const t = checkFile(`data/${dataPath}`, Buffer.from(departmentYaml(d)), { settings: DEFAULT_SETTINGS, dataPath });
  const se = generateSelfEvaluation(5, i, d);
  const c = checkSelfEvalFile(`data/${fy}/${d.department.code}.self-eval.yaml`, Buffer.from(selfEvaluationYaml(se)), {
    settings: DEFAULT_SETTINGS,
    dataPath: `${fy}/${d.department.code}.self-eval.yaml`,
    targets: { file: `data/${dataPath}`, exists: true, ...(t.data ? { data: t.data } : {}) },
  });
  if (!c.evaluation || !c.data || !c.targets) throw new Error(`self-evaluation ${i} has errors`);
  return selfEvalModel(c.targets, c.data, c.evaluation);
}

beforeAll(async () => {
  css = await readSelfEvalCss();
  pool = await testPool();
  models = [
    ...Array.from({ length: 2 * MEASURE_BATCH + 3 }, (_, i) => generated(i, 2025)),
    ...Array.from({ length: 4 }, (_, i) => generated(40 + i, 2026)),
  ];
  alone = [];
  for (const m of models)
    alone.push(
      await pool.withPage(
        async (page) =>
          (
            await showDocument(
              page,
              `${m.fiscalYear}/${m.code}.html`,
              selfEvalMeasureHtml(m, { css }),
              call(readSelfEvalMeasure, FOOTER_GAP_PX, SELF_EVAL_CLASSES),
            )
          )[0],
      ),
    );
}, 120_000);

afterAll(async () => {
  await pool?.close();
});

describe('measureSelfEvals', () => {
  it('the forms differ in length (more than one page, different row counts)', () => {
    expect(new Set(models.map((m) => m.rows.length)).size).toBeGreaterThan(5);
    expect(Math.max(...alone.map((a) => paginateSelfEval(a).length))).toBeGreaterThan(1);
  });

  it('each form measures exactly as alone, batches across folders and in another order too', async () => {
    const batched = await pool.withPage((page) => measureSelfEvals(page, models, css));
    expect(batched).toEqual(alone);
    const order = models.map((_, i) => i).reverse();
    const reversed = await pool.withPage((page) =>
      measureSelfEvals(
        page,
        order.map((i) => models[i]!),
        css,
      ),
    );
    expect(reversed).toEqual(order.map((i) => alone[i]));
  });
});
