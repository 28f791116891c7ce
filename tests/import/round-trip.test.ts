/**
 * Round trip over every data file and every valid fixture: YAML → form → (renderXlsx | exported text |
 * an official-layout workbook built from that text) → import → the same data, modulo the normalisations
 * the form itself makes (`>=` → `≥`, empty unit/note, ids it does not print). And the YAML the importer
 * writes reads back as exactly the imported data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { emitYaml } from '../../scripts/import/emit-yaml.ts';
import { importForm } from '../../scripts/import/import-form.ts';
import { loadSource } from '../../scripts/load/load-yaml.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import type { DepartmentTargets } from '../../scripts/model/types.generated.ts';
import { renderXlsx } from '../../scripts/render/xlsx.ts';
import { FIXTURES, ROOT } from '../helpers.ts';
import { exportTsv, normalise, officialXlsx } from './_exports.ts';

const yamlFiles = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));

/** Every data file and fixture YAML that validates without errors (the rest are bad-input fixtures). */
const cases = [...yamlFiles(path.join(ROOT, 'data')), ...yamlFiles(FIXTURES)]
  .map((file) => ({ file, checked: checkFile(file, readFileSync(file), { settings: DEFAULT_SETTINGS }) }))
  .filter((c) => c.checked.model);

async function reimport(bytes: Uint8Array, original: DepartmentTargets): Promise<DepartmentTargets> {
  const r = await importForm(bytes, { pointsTotal: DEFAULT_SETTINGS.points_total });
  // Only the inference of points a sentence does not state may speak up; nothing else.
  expect(r.diagnostics.filter((d) => d.code !== 'IMPORT_POINTS_INFERRED')).toEqual([]);
  expect(r.parsed!.unplaced).toEqual([]);
  expect(r.parsed!.titleYear).toBe(original.fiscal_year);
  const data = r.parsed!.data;
  data.fiscal_year = r.parsed!.titleYear!;
  data.department.code = original.department.code;
  return data;
}

describe('round trip', () => {
  it('covers the data files and the valid fixtures', () => {
    expect(cases.map((c) => path.relative(ROOT, c.file))).toContain('data/2025/zhijiang-swkjgxj.yaml');
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  for (const { file, checked } of cases) {
    const name = path.relative(ROOT, file);
    const original = checked.data!;
    const model = checked.model!;

    it(`${name}: renderXlsx → import`, async () => {
      const data = await reimport(await renderXlsx(model, { settings: DEFAULT_SETTINGS }), original);
      expect(data).toEqual(normalise(original));
    });

    it(`${name}: exported text (drifting columns) → import`, async () => {
      const data = await reimport(new TextEncoder().encode(exportTsv(model)), original);
      expect(data).toEqual(normalise(original));
    });

    it(`${name}: official-layout workbook → import`, async () => {
      const data = await reimport(await officialXlsx(exportTsv(model), { leadingCols: 1, leadingRows: 2 }), original);
      expect(data).toEqual(normalise(original));
    });

    it(`${name}: the emitted YAML reads back as the same data and validates as the original does`, () => {
      const data = normalise(original);
      const yaml = emitYaml(data);
      expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/department-targets.schema.json');
      expect(loadSource(new TextEncoder().encode(yaml)).data).toEqual(data);
      const again = checkFile(name, new TextEncoder().encode(yaml), { settings: DEFAULT_SETTINGS });
      expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
  }
});

describe('decimals keep their written form through a round trip (1.50 stays 1.50)', () => {
  const seedFile = path.join(ROOT, 'data/2025/zhijiang-swkjgxj.yaml');
  const text = readFileSync(seedFile, 'utf8')
    .replace('    value: 1000\n', '    value: 12.50\n')
    .replace('    value: 934.41\n', '    value: 3.0\n');
  const checked = checkFile(seedFile, Buffer.from(text), { settings: DEFAULT_SETTINGS });

  for (const via of ['renderXlsx', 'exported text'] as const) {
    it(`${via} → import → YAML → form`, async () => {
      const bytes =
        via === 'renderXlsx'
          ? await renderXlsx(checked.model!, { settings: DEFAULT_SETTINGS })
          : new TextEncoder().encode(exportTsv(checked.model!));
      const r = await importForm(bytes, { pointsTotal: DEFAULT_SETTINGS.points_total });
      const parsed = r.parsed!;
      parsed.data.fiscal_year = 2025;
      parsed.data.department.code = 'zhijiang-swkjgxj';
      const yaml = emitYaml(parsed.data, { ...(parsed.numberTexts ? { numberTexts: parsed.numberTexts } : {}) });
      expect(yaml).toContain('    value: 12.50\n');
      expect(yaml).toContain('    value: 3.0\n');
      const again = checkFile(seedFile, Buffer.from(yaml), { settings: DEFAULT_SETTINGS });
      expect(again.model!.rows.map((row) => row.valueText)).toEqual(checked.model!.rows.map((row) => row.valueText));
      expect(loadSource(Buffer.from(yaml)).data).toEqual(loadSource(Buffer.from(text)).data);
    });
  }
});
