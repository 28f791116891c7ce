/**
 * Rules stage: the form's own rules and the bureau's, beyond what the schema can say.
 * Runs on schema-valid data only. Pure: data + document + context → diagnostics.
 */
import type { Document } from 'yaml';
import { keyPositionOf, positionOf, substringPosition, type Path } from '../load/positions.ts';
import { isRealDate } from '../model/dates.ts';
import { buildFormModel, INDICATOR_HEADER, LABELS, normalizeType } from '../model/form-model.ts';
import { formatNumber } from '../model/scoring.ts';
import { type ResolvedSettings, settingsForYear, windowDate } from '../model/settings.ts';
import type { DepartmentTargets } from '../model/types.generated.ts';
import { excelOverflows, MAX_ROW_PT } from '../render/xlsx.ts';
import { normalizeName } from './characters.ts';
import { diag, type Diagnostic } from './diagnostic.ts';

export interface RuleContext {
  settings: ResolvedSettings;
  /** The file's path relative to the data folder (`2025/zhijiang-swkjgxj.yaml`), when it lives in one. */
  dataPath?: string;
}

interface Src {
  doc: Document.Parsed;
  text: string;
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;
const group = (l1: string, l2: string): string => `${l1}/${l2}`;

/** All rules on one file. */
export function checkRules(data: DepartmentTargets, src: Src, context: RuleContext): Diagnostic[] {
  const ctx = { ...context, settings: settingsForYear(context.settings, data.fiscal_year) };
  return [
    ...checkLocation(data, src, ctx),
    ...checkPoints(data, src, ctx),
    ...checkRequiredLevel1(data, src, ctx),
    ...checkGroups(data, src),
    ...checkYears(data, src),
    ...checkValues(data, src),
    ...checkScoring(data, src),
    ...checkSignoff(data, src),
    ...checkSignoffDates(data, src, ctx),
    ...checkNumbering(data, src),
    ...checkExcelRows(data, src, ctx),
    ...checkSchemaComment(src, ctx),
  ];
}

export const SCHEMA_COMMENT = '# yaml-language-server: $schema=../../schema/department-targets.schema.json';

/** The editor hint line: without it a YAML language server neither completes nor checks the file. */
function checkSchemaComment({ text }: Src, ctx: RuleContext): Diagnostic[] {
  if (!ctx.dataPath) return [];
  const first = text.split('\n', 1)[0]!.replace(/\r$/, '');
  return /^#\s*yaml-language-server:\s*\$schema=\S*department-targets\.schema\.json\s*$/.test(first)
    ? []
    : [diag('SCHEMA_COMMENT', 'warning', [0, first.length || 1], { line: SCHEMA_COMMENT })];
}

function checkLocation(data: DepartmentTargets, { doc, text }: Src, ctx: RuleContext): Diagnostic[] {
  if (!ctx.dataPath) return [];
  const out: Diagnostic[] = [];
  const parts = ctx.dataPath.split(/[\\/]/);
  const file = parts[parts.length - 1]!.replace(/\.ya?ml$/i, '');
  const folder = parts[parts.length - 2];
  if (folder !== undefined && /^\d{4}$/.test(folder) && Number(folder) !== data.fiscal_year) {
    out.push(
      diag('YEAR_FOLDER_MISMATCH', 'error', positionOf(doc, text, ['fiscal_year']), { year: data.fiscal_year, folder }),
    );
  }
  if (file !== data.department.code) {
    out.push(
      diag('CODE_FILENAME_MISMATCH', 'error', positionOf(doc, text, ['department', 'code']), {
        code: data.department.code,
        file: `${file}.yaml`,
      }),
    );
  }
  return out;
}

function checkPoints(data: DepartmentTargets, { doc, text }: Src, ctx: RuleContext): Diagnostic[] {
  const sum = Number(data.indicators.reduce((a, i) => a + i.scoring.points, 0).toFixed(6));
  const total = ctx.settings.points_total;
  if (Math.abs(sum - total) < 1e-9) return [];
  const by = new Map<string, number>();
  for (const i of data.indicators) by.set(i.level1, Number(((by.get(i.level1) ?? 0) + i.scoring.points).toFixed(6)));
  const subtotals = [...by];
  return [
    diag('POINTS_TOTAL', 'error', keyPositionOf(doc, text, ['indicators']), {
      sum: formatNumber(sum),
      total: formatNumber(total),
      diff: formatNumber(Math.abs(Number((sum - total).toFixed(6)))),
      // Per 一级指标, in the table's order, so the wrong row can be found.
      subtotals: subtotals.map(([l1, p]) => `${l1} ${formatNumber(p)} 分`).join('、'),
      subtotalsEn: subtotals.map(([l1, p]) => `${l1} ${formatNumber(p)}`).join(', '),
    }),
  ];
}

function checkRequiredLevel1(data: DepartmentTargets, { doc, text }: Src, ctx: RuleContext): Diagnostic[] {
  const present = new Set(data.indicators.map((i) => i.level1));
  return ctx.settings.required_level1
    .filter((l) => !present.has(l))
    .map((level1) =>
      diag('REQUIRED_LEVEL1', 'error', keyPositionOf(doc, text, ['indicators']), {
        level1,
        required: ctx.settings.required_level1.join('、'),
      }),
    );
}

function checkGroups(data: DepartmentTargets, { doc, text }: Src): Diagnostic[] {
  const out: Diagnostic[] = [];
  const firstOf = new Map<string, number>();
  data.indicators.forEach((ind, i) => {
    // Compared as a reader sees them: a zero-width space or a full-width blank does not make a new name.
    const key = `${ind.level1}\u0000${ind.level2}\u0000${normalizeName(ind.name)}`;
    const first = firstOf.get(key);
    if (first === undefined) return void firstOf.set(key, i);
    const firstName = data.indicators[first]!.name;
    out.push(
      diag('DUPLICATE_INDICATOR', 'warning', positionOf(doc, text, ['indicators', i, 'name']), {
        name: ind.name,
        group: group(ind.level1, ind.level2),
        firstLine: lineAt(text, positionOf(doc, text, ['indicators', first, 'name'])[0]),
        ...(firstName !== ind.name ? { firstName } : {}),
      }),
    );
  });
  // A group that comes back after other rows would print as two merged cells: report where it returns.
  const split = (field: 'level1' | 'level2', keyOf: (i: number) => string, skip: Set<number>): Set<number> => {
    const runStart = new Map<string, number>();
    const at = new Set<number>();
    data.indicators.forEach((ind, i) => {
      const k = keyOf(i);
      if (i > 0 && keyOf(i - 1) === k) return;
      const earlier = runStart.get(k);
      runStart.set(k, i);
      if (earlier === undefined || skip.has(i)) return;
      at.add(i);
      out.push(
        diag('GROUP_SPLIT', 'error', positionOf(doc, text, ['indicators', i, field]), {
          group: field === 'level1' ? ind.level1 : group(ind.level1, ind.level2),
          firstLine: lineAt(text, positionOf(doc, text, ['indicators', earlier, field])[0]),
        }),
      );
    });
    return at;
  };
  const inds = data.indicators;
  const l1 = split('level1', (i) => inds[i]!.level1, new Set());
  split('level2', (i) => `${inds[i]!.level1}\u0000${inds[i]!.level2}`, l1);
  return out;
}

const YEAR_RE = /(\d{4})年/g;

/** Years in free text that are not the fiscal year (a table copied from an older one), and late deadlines. */
function checkYears(data: DepartmentTargets, { doc, text }: Src): Diagnostic[] {
  const out: Diagnostic[] = [];
  const fy = data.fiscal_year;
  const scan = (path: Path, s: string): void => {
    const counts = new Map<string, number>();
    for (const m of s.matchAll(YEAR_RE)) {
      const n = counts.get(m[0]) ?? 0;
      counts.set(m[0], n + 1);
      if (Number(m[1]) !== fy) {
        out.push(
          diag('YEAR_IN_TEXT', 'warning', substringPosition(doc, text, path, m[0], n), { year: m[1]!, fiscalYear: fy }),
        );
      }
    }
  };
  data.duties.forEach((s, i) => scan(['duties', i], s));
  data.goals.forEach((s, i) => scan(['goals', i], s));
  data.indicators.forEach((ind, i) => {
    scan(['indicators', i, 'name'], ind.name);
    scan(['indicators', i, 'explanation'], ind.explanation);
    if (ind.note) scan(['indicators', i, 'note'], ind.note);
    if (typeof ind.value !== 'string') return;
    const isDeadline = ind.scoring.kind === 'deadline' || ind.level2 === '时效指标';
    if (!isDeadline) {
      scan(['indicators', i, 'value'], ind.value);
      return;
    }
    const m = /(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?/.exec(ind.value);
    if (!m) return;
    const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : 12, m[3] ? Number(m[3]) : 1];
    if (!isRealDate(y, mo, d)) {
      out.push(
        diag('DATE_INVALID', 'error', substringPosition(doc, text, ['indicators', i, 'value'], m[0]), { value: m[0] }),
      );
    } else if (y > fy) {
      out.push(
        diag('DEADLINE_AFTER_YEAR', 'warning', substringPosition(doc, text, ['indicators', i, 'value'], m[0]), {
          text: ind.value,
          fiscalYear: fy,
        }),
      );
    } else if (y < fy) {
      out.push(
        diag('DEADLINE_BEFORE_YEAR', 'warning', substringPosition(doc, text, ['indicators', i, 'value'], m[0]), {
          text: m[0],
          fiscalYear: fy,
        }),
      );
    }
  });
  // A hand-written scoring sentence: a deadline's year before the fiscal year is a copied table's; any
  // other year that is not the fiscal year is worth a look, as in the other texts.
  data.indicators.forEach((ind, i) => {
    const t = ind.scoring.text;
    if (!t) return;
    const path: Path = ['indicators', i, 'scoring', 'text'];
    const isDeadline = ind.scoring.kind === 'deadline' || ind.level2 === '时效指标';
    if (!isDeadline) return scan(path, t);
    const counts = new Map<string, number>();
    for (const m of t.matchAll(/(\d{4})年(?:\d{1,2}月(?:\d{1,2}日)?)?/g)) {
      const n = counts.get(m[0]) ?? 0;
      counts.set(m[0], n + 1);
      if (Number(m[1]) < fy)
        out.push(
          diag('DEADLINE_BEFORE_YEAR', 'warning', substringPosition(doc, text, path, m[0], n), {
            text: m[0],
            fiscalYear: fy,
          }),
        );
    }
  });
  return out;
}

/**
 * Sign-off dates far from the filing season (settings: filing_window): last year's dates left in a
 * table copied forward, or a year mistyped.
 */
function checkSignoffDates(data: DepartmentTargets, { doc, text }: Src, ctx: RuleContext): Diagnostic[] {
  const fy = data.fiscal_year;
  const from = windowDate(ctx.settings.filing_window.from, fy);
  const to = windowDate(ctx.settings.filing_window.to, fy);
  const fields = ['business_review', 'performance_review', 'filed'] as const;
  return fields.flatMap((k) => {
    const date = String(data.signoff[k]);
    if (date >= from && date <= to) return [];
    return [
      diag('SIGNOFF_DATE_OUTSIDE', 'warning', positionOf(doc, text, ['signoff', k]), {
        field: k,
        date,
        from,
        to,
        fiscalYear: fy,
        side: date < from ? 'before' : 'after',
      }),
    ];
  });
}

function checkValues(data: DepartmentTargets, { doc, text }: Src): Diagnostic[] {
  return data.indicators.flatMap((ind, i) =>
    normalizeType(ind.type) !== '定性' && ind.unit === '%' && typeof ind.value === 'number' && ind.value > 100
      ? [
          diag('PERCENT_OVER_100', 'warning', positionOf(doc, text, ['indicators', i, 'value']), {
            value: formatNumber(ind.value),
          }),
        ]
      : [],
  );
}

/** A hand-written scoring sentence must agree with the structured fields it stands in for. */
function checkScoring(data: DepartmentTargets, { doc, text }: Src): Diagnostic[] {
  const out: Diagnostic[] = [];
  data.indicators.forEach((ind, i) => {
    const s = ind.scoring;
    const base: Path = ['indicators', i, 'scoring'];
    const top = s.kind === 'grades' ? s.grades?.[0]?.points : s.kind === 'bands' ? s.bands?.[0]?.points : undefined;
    if (top !== undefined && top !== s.points) {
      out.push(
        diag('SCORING_TOP_POINTS', 'error', positionOf(doc, text, [...base, 'points']), {
          top: formatNumber(top),
          points: formatNumber(s.points),
        }),
      );
    }
    if (!s.text) return;
    const t = s.text;
    const check = (
      re: RegExp,
      field: string,
      expected: number | undefined,
      pick: (nums: number[]) => number | undefined,
    ): void => {
      if (expected === undefined) return;
      const found = [...t.matchAll(re)];
      const nums = found.map((m) => Number(m[1]));
      const v = pick(nums);
      if (v === undefined || Math.abs(v - expected) < 1e-9) return;
      const m = found[nums.indexOf(v)]!;
      out.push(
        diag('SCORING_TEXT_MISMATCH', 'error', substringPosition(doc, text, [...base, 'text'], m[0]), {
          found: m[0],
          field,
          expected: formatNumber(expected),
        }),
      );
    };
    const max = (ns: number[]): number | undefined => (ns.length ? Math.max(...ns) : undefined);
    const first = (ns: number[]): number | undefined => ns[0];
    check(/得(\d+(?:\.\d+)?)分/g, 'points', s.points, max);
    check(/扣(\d+(?:\.\d+)?)分/g, 'deduct', s.deduct, first);
    check(/每(?:超出|下降|降低|超过)(\d+(?:\.\d+)?)(?:%|个百分点)/g, 'every_percent', s.every_percent, first);
    check(/每(?:推迟|延迟|逾期)(\d+)天/g, 'every_days', s.every_days, first);
  });
  return out;
}

const PHONE_RE = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|[（(]0\d{2,3}[）)]\d{7,8}|\d{7,8})$/;

function checkSignoff(data: DepartmentTargets, { doc, text }: Src): Diagnostic[] {
  const phone = data.signoff.phone.trim();
  return PHONE_RE.test(phone)
    ? []
    : [diag('PHONE_FORMAT', 'error', positionOf(doc, text, ['signoff', 'phone']), { value: data.signoff.phone })];
}

/** A duty's own number: `1、` `1.` `1．` `（1）` `(1)` `①` (not the `1.5` of a decimal). */
const HAND_NUMBER_RE = /^\s*(?:\d+\s*[、．]|\d+\.(?!\d)|[（(]\s*\d+\s*[）)]|[\u2460-\u2473])/;

/** Items numbered by hand would print twice numbered (`1、1、…`). */
function checkNumbering(data: DepartmentTargets, { doc, text }: Src): Diagnostic[] {
  const out: Diagnostic[] = [];
  data.duties.forEach((d, i) => {
    const m = HAND_NUMBER_RE.exec(d);
    if (m)
      out.push(
        diag('NUMBERED_ITEM', 'warning', substringPosition(doc, text, ['duties', i], m[0]), {
          prefix: m[0].trim(),
          auto: `${i + 1}、`,
        }),
      );
  });
  data.goals.forEach((g, i) => {
    const m = /^\s*目标\s*\d+\s*[：:]/.exec(g);
    if (m)
      out.push(
        diag('NUMBERED_ITEM', 'warning', substringPosition(doc, text, ['goals', i], m[0]), {
          prefix: m[0].trim(),
          auto: `目标${i + 1}：`,
        }),
      );
  });
  return out;
}

/**
 * Text the Excel workbook cannot show whole: a row taller than Excel's 409 pt. The PDF and HTML print
 * it all (over several pages if need be); the .xlsx keeps the whole text in the cell but shows only
 * what 409 pt hold, so the reviewer is told where (render/xlsx.ts excelOverflows estimates as it lays out).
 */
function checkExcelRows(data: DepartmentTargets, { doc, text }: Src, ctx: RuleContext): Diagnostic[] {
  let overflows;
  try {
    overflows = excelOverflows(buildFormModel(data, ctx.settings));
  } catch {
    // Data the model cannot be built from is reported by the other rules.
    return [];
  }
  const header = { name: 2, value: 4, unit: 5, explanation: 6, scoring: 7, note: 8 } as const;
  return overflows.map(({ field, need }) => {
    const args = { need: Math.ceil(need), limit: MAX_ROW_PT };
    if (field === 'name') {
      const at = positionOf(doc, text, ['department', 'name']);
      return diag('XLSX_ROW_TOO_TALL', 'warning', at, { ...args, field: LABELS.name });
    }
    if (field === 'duties' || field === 'goals') {
      return diag('XLSX_ROW_TOO_TALL', 'warning', keyPositionOf(doc, text, [field]), { ...args, field: LABELS[field] });
    }
    const ind = data.indicators[field.row]!;
    // A hand-written scoring sentence is pointed at itself, a generated one at its scoring rule.
    const path: Path =
      field.key === 'scoring'
        ? ['indicators', field.row, 'scoring', ...(ind.scoring.text ? ['text'] : [])]
        : ['indicators', field.row, field.key];
    const name = `${ind.name}（${INDICATOR_HEADER[header[field.key]]}）`;
    return diag('XLSX_ROW_TOO_TALL', 'warning', positionOf(doc, text, path), { ...args, field: name });
  });
}
