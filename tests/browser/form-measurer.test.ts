/**
 * A build with predicted pagination heights (browser/form-measurer.ts, render/predict) writes the very same
 * bytes as a build that measures every form in Chromium (JXMB_PREDICT=0): same pages, same PDF and
 * HTML. Both the cold path the CLI takes (Chromium started early, forms measured while being checked)
 * and the plain one. Real Chromium.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentYaml, generateDepartment } from '../../scripts/bench/generate.ts';
import { build as planAndRun, type BuildOptions, type BuildResult } from '../../scripts/build/pipeline.ts';
import { FIXTURES, ROOT, SEED_YAML } from '../helpers.ts';
import { targetsForm } from '../../scripts/forms/targets.ts';

let dir: string;
const DEPARTMENTS = 18;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-predict-'));
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  cpSync(SEED_YAML, path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
  cpSync(
    path.join(FIXTURES, 'paginate-60-indicators/data/2025/long-form.yaml'),
    path.join(dir, 'data/2025/long-form.yaml'),
  );
  for (let i = 0; i < DEPARTMENTS; i++) {
    const d = generateDepartment(5, i);
    writeFileSync(path.join(dir, `data/${d.fiscal_year}/${d.department.code}.yaml`), departmentYaml(d));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function build(out: string, predict: boolean, cold: boolean, paths: string[] = []): Promise<BuildResult> {
  const saved = process.env.JXMB_PREDICT;
  if (predict) delete process.env.JXMB_PREDICT;
  else process.env.JXMB_PREDICT = '0';
  try {
    const opts: BuildOptions = {
      kind: targetsForm,
      cwd: dir,
      root: dir,
      dataDir: path.join(dir, 'data'),
      outDir: path.join(dir, out),
      formats: ['pdf', 'html'],
      paths,
      jobs: 2,
      failFast: false,
    };
    return (await planAndRun(opts, { early: cold })).result!;
  } finally {
    if (saved === undefined) delete process.env.JXMB_PREDICT;
    else process.env.JXMB_PREDICT = saved;
  }
}

const outputs = (out: string): string[] =>
  readdirSync(path.join(dir, out, '2025'))
    .filter((f) => /\.(pdf|html)$/.test(f))
    .sort();

describe('predicted pagination heights', () => {
  let measured: BuildResult;
  beforeAll(async () => {
    measured = await build('out-measured', false, true);
  }, 120_000);

  it('off (JXMB_PREDICT=0): every form is measured', () => {
    expect(measured.heights.predicted).toBe(0);
    expect(measured.heights.calibrations).toBe(0);
    expect(measured.results.every((r) => !r.error)).toBe(true);
  });

  it.each([true, false])(
    'a few forms (a rebuild of one file, say): measured, no calibration to pay for (cold %s)',
    async (cold) => {
      const r = await build(`out-few-${cold}`, true, cold, [
        path.join(dir, 'data/2025/long-form.yaml'),
        path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'),
      ]);
      expect(r.results).toHaveLength(2);
      expect(r.heights).toEqual({ predicted: 0, measured: 2, missed: 0, calibrations: 0 });
    },
    60_000,
  );

  it.each([
    ['cold, as the CLI builds', true],
    ['without the early start', false],
  ])(
    '%s: most forms predicted, none missed, and every PDF and HTML the same bytes',
    async (_what, cold) => {
      const out = cold ? 'out-predicted-cold' : 'out-predicted';
      const r = await build(out, true, cold);
      expect(r.results.every((x) => !x.error)).toBe(true);
      expect(r.heights.missed).toBe(0);
      expect(r.heights.calibrations).toBe(1);
      // Cold, the first forms are printed while the others are still being checked.
      if (cold) expect(r.printedAhead).toBeGreaterThan(0);
      else expect(r.printedAhead).toBe(0);
      expect(r.heights.predicted).toBeGreaterThan(DEPARTMENTS / 2);
      expect(r.heights.predicted + r.heights.measured).toBeLessThanOrEqual(DEPARTMENTS + 2);
      const files = outputs(out);
      expect(files).toEqual(outputs('out-measured'));
      expect(files).toHaveLength(2 * (DEPARTMENTS + 2));
      for (const f of files)
        expect(
          readFileSync(path.join(dir, out, '2025', f)).equals(readFileSync(path.join(dir, 'out-measured', '2025', f))),
          f,
        ).toBe(true);
    },
    120_000,
  );
});
