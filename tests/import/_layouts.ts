/**
 * The layout fixtures of issue 13 (tests/fixtures/import-layouts, written by its make.ts): each file read
 * by the code path `jxmb import` takes (importFile with the command's options, then formYaml), and compared
 * with its hand-written `<name>.expected.json` field by field; and the check that every text of a fixture
 * reaches the YAML, as data or as a kept comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ImportedForm, importFile } from '../../scripts/import/import-form.ts';
import { formYaml } from '../../scripts/import/import-plan.ts';
import { officeConverter } from '../../scripts/io/office-convert.ts';
import { scoringSentence } from '../../scripts/model/scoring.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import type { DepartmentTargets } from '../../scripts/model/types.generated.ts';
import { FIXTURES } from '../helpers.ts';

export const LAYOUTS = path.join(FIXTURES, 'import-layouts');

type Scoring = { kind: string; points: number } & Record<string, unknown>;

export interface ExpectedIndicator {
  level1: string;
  level2: string;
  name: string;
  type: string;
  value: number | string;
  unit?: string;
  explanation: string;
  scoring: Scoring;
  note?: string;
}

export interface ExpectedForm {
  department: { name: string };
  duties: string[];
  goals: string[];
  indicators: ExpectedIndicator[];
  signoff: Record<string, string>;
  /** Codes import reports for the form, sorted (IMPORT_UNPLACED aside; IMPORT_MISSING as `code:what`). */
  diagnostics: string[];
}

export interface Expected {
  layout: string;
  file: string;
  forms: ExpectedForm[];
  /** Every non-empty text of the fixture. */
  texts: string[];
  /** The form's own words (title, labels, headings, a label before its content in one cell). */
  labels: string[];
}

/** Every fixture's expectation, in name order. */
export const expectations = (): Expected[] =>
  readdirSync(LAYOUTS)
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(LAYOUTS, f), 'utf8')) as Expected);

export interface Imported {
  forms: ImportedForm[];
  /** Each form's YAML as `jxmb import` writes it (year 2025, a fixed code). */
  yamls: string[];
  /** The file's own diagnostics, when no form was read. */
  fileDiagnostics: string[];
}

/** A fixture read as `jxmb import FILE --year 2025` reads it (scripts/io/import-run.ts `readFile`). */
export async function importLayout(file: string): Promise<Imported> {
  const bytes = readFileSync(path.join(LAYOUTS, file));
  const imported = await importFile(bytes, {
    pointsTotal: DEFAULT_SETTINGS.points_total,
    fileName: file,
    convert: officeConverter(),
  });
  const forms = imported.forms.filter((f) => f.parsed);
  const yamls = forms.map((f) => formYaml(f.parsed!, 2025, 'layout-test', file));
  return { forms, yamls, fileDiagnostics: imported.diagnostics.map((d) => `${d.code} ${JSON.stringify(d.args)}`) };
}

/** The codes a form reports, as the expectation lists them. */
export const diagnosticCodes = (f: ImportedForm): string[] =>
  f.diagnostics
    .filter((d) => d.code !== 'IMPORT_UNPLACED')
    .map((d) => (d.code === 'IMPORT_MISSING' ? `${d.code}:${String(d.args.what)}` : d.code))
    .sort();

export const INDICATOR_FIELDS = [
  'level1',
  'level2',
  'name',
  'type',
  'value',
  'unit',
  'points',
  'explanation',
  'scoring',
  'note',
] as const;
export type IndicatorField = (typeof INDICATOR_FIELDS)[number];

/** One field of an indicator, `points` being the scoring's. */
export const fieldOf = (
  ind: ExpectedIndicator | DepartmentTargets['indicators'][number],
  f: IndicatorField,
): unknown =>
  f === 'points'
    ? ind.scoring.points
    : f === 'scoring'
      ? { ...ind.scoring }
      : (ind as unknown as Record<string, unknown>)[f];

const json = (v: unknown): string => JSON.stringify(v);

/** Whether two field values are the same (undefined keys of a scoring rule ignored). */
export const same = (a: unknown, b: unknown): boolean =>
  json(a === undefined ? null : normalise(a)) === json(b === undefined ? null : normalise(b));
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, normalise(x)]),
    );
  return v;
}

/** Indicators whose every field is right, out of the expected ones (forms matched in order). */
export function placed(e: Expected, got: Imported): { placed: number; total: number } {
  let ok = 0;
  let total = 0;
  e.forms.forEach((want, k) => {
    const inds = got.forms[k]?.parsed?.data.indicators ?? [];
    want.indicators.forEach((w, i) => {
      total++;
      const g = inds[i];
      if (g && INDICATOR_FIELDS.every((f) => same(fieldOf(w, f), fieldOf(g, f)))) ok++;
    });
  });
  return { placed: ok, total };
}

const squash = (s: string): string => s.replace(/\s+/g, '');

/** `2025.1.6`, `2025年1月10日` → `2025-01-06`; other text unchanged. */
const iso = (s: string): string => {
  const m = /^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
};

/** The form's own words in every layout: the signature line's labels, and 定量 (the comparator says it). */
const FORM_WORDS = [
  '业务股室审核',
  '绩效股室审核',
  '填表人',
  '联系电话',
  '填报日期',
  '单位负责人签字',
  '单位负责人',
  '定量',
];

/** How the fixtures write a comparator before a number, as the YAML has it (`不低于95%` → `≥95%`). */
const COMPARATOR_WORDS: Array<[string, string]> = [['不低于', '≥']];

/**
 * The fixture's texts that the YAMLs do not hold: neither in their data (any string or number, the
 * printed duties and goals, a target as type + value + unit, a structured rule's sentence) nor in their
 * comments. A text of the form's own words need not reappear; a cell holding a label and its content
 * (`部门名称：某局`, `填表人：王小林 联系电话：…`), or a numbered list, counts when each part does.
 */
export function lostTexts(e: Expected, yamls: string[]): string[] {
  const pieces: string[] = [];
  for (const y of yamls) {
    const comments = y
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .map((l) => l.replace(/^#\s?/, ''));
    pieces.push(comments.join(''));
    const data = parse(y) as DepartmentTargets;
    const walk = (v: unknown): void => {
      if (typeof v === 'string' || typeof v === 'number') pieces.push(String(v));
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(data);
    pieces.push(data.duties.map((d, k) => `${k + 1}、${d}`).join(''));
    pieces.push(data.goals.map((g, k) => `目标${k + 1}：${g}`).join(''));
    // A target in one piece, and the scoring sentence the form prints for a structured rule.
    for (const i of data.indicators)
      pieces.push(`${i.type}${i.value}${i.unit ?? ''}`, `${i.value}${i.unit ?? ''}`, scoringSentence(i, i.scoring));
  }
  const hay = squash(pieces.join('\n'));
  const labels = new Set([...e.labels, ...FORM_WORDS].map(squash));
  const there = (t: string): boolean => {
    if (!t || labels.has(t) || hay.includes(t) || hay.includes(iso(t))) return true;
    for (const [w, sign] of COMPARATOR_WORDS)
      if (t.startsWith(w) && hay.includes(sign + t.slice(w.length))) return true;
    return false;
  };
  /** Whether a squashed text is kept: whole, as a numbered list's items, or as the content after a label. */
  const kept = (t: string): boolean => {
    if (there(t)) return true;
    // A numbered list (1、… 2、…, 1.… 2.…, 目标1：…): each item.
    const items = t.split(/(?:^|(?<=[。；;]))(?:\d+[、.．]|目标\d+：)/).filter(Boolean);
    if (items.length > 1 && items.every(there)) return true;
    // A label and its content in one cell (`部门（单位）名称：会同县林业局`).
    const label = [...labels].find((l) => t.startsWith(l) && t.length > l.length);
    return label !== undefined && kept(t.slice(label.length).replace(/^[：:]/, ''));
  };
  return e.texts.filter((text) => {
    if (kept(squash(text))) return false;
    // Several labelled values in one line (`填表人：张敏 联系电话：…`).
    const parts = text.split(/[：:\s]+/).filter(Boolean);
    return !(parts.length > 1 && parts.every((p) => there(squash(p))));
  });
}

/**
 * The tests of one fixture: the forms found, each form's department, duties, goals and signoff, every
 * indicator field by field (a message naming the layout, indicator and field), placed/total = 100%, the
 * diagnostics the fixture deserves, and nothing lost.
 */
export function layoutSuite(e: Expected): void {
  describe(`${e.layout} (${e.file})`, () => {
    let got: Imported;
    beforeAll(async () => {
      got = await importLayout(e.file);
    }, 120_000);
    const at = (k: number): string => `${e.file}${e.forms.length > 1 ? ` form ${k + 1}` : ''}`;

    it(`finds ${e.forms.length} form(s)`, () => {
      expect(got.fileDiagnostics, e.file).toEqual([]);
      expect(got.forms.map((f) => f.parsed!.data.department.name)).toEqual(e.forms.map((f) => f.department.name));
    });

    e.forms.forEach((want, k) => {
      it(`${at(k)}: department name, duties, goals and signoff`, () => {
        const d = got.forms[k]?.parsed?.data;
        expect.soft(d?.department.name, `${at(k)} department.name`).toBe(want.department.name);
        expect.soft(d?.duties, `${at(k)} duties`).toEqual(want.duties);
        expect.soft(d?.goals, `${at(k)} goals`).toEqual(want.goals);
        expect.soft(d?.signoff, `${at(k)} signoff`).toEqual(want.signoff);
      });

      it(`${at(k)}: ${want.indicators.length} indicators, no more`, () => {
        const inds = got.forms[k]?.parsed?.data.indicators ?? [];
        expect(
          inds.map((i) => i.name),
          `${at(k)} indicator names`,
        ).toEqual(want.indicators.map((i) => i.name));
      });

      want.indicators.forEach((w, i) => {
        it(`${at(k)}: indicator ${i + 1} ${w.name}, field by field`, () => {
          const g = got.forms[k]?.parsed?.data.indicators[i];
          expect(g, `${at(k)} indicator ${i + 1} ${w.name}: missing`).toBeDefined();
          for (const f of INDICATOR_FIELDS) {
            const [a, b] = [fieldOf(g!, f), fieldOf(w, f)];
            const msg = `${e.layout}: ${at(k)} indicator ${i + 1} ${w.name}, field ${f}`;
            expect.soft(same(a, b) ? b : a, msg).toEqual(b);
          }
        });
      });

      it(`${at(k)}: reports ${want.diagnostics.length} findings, as the fixture deserves`, () => {
        expect(got.forms[k] && diagnosticCodes(got.forms[k]), `${at(k)} diagnostics`).toEqual(want.diagnostics);
      });
    });

    it('places every indicator right: placed/total = 100%', () => {
      const p = placed(e, got);
      expect(p.total).toBeGreaterThanOrEqual(6 * e.forms.length);
      expect(`${p.placed}/${p.total}`, e.layout).toBe(`${p.total}/${p.total}`);
    });

    it('loses nothing: every text of the fixture is in the YAML, as data or a kept comment', () => {
      expect(lostTexts(e, got.yamls), e.file).toEqual([]);
    });
  });
}
