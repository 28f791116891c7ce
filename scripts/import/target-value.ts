/**
 * An indicator's target as tables write it → the form's `type`, `value` and `unit`. The official template
 * puts the comparator in 指标类型 and a bare number in 指标值; many others say only 定量/定性 there (or
 * have no such column) and write `≥120`, `不低于95%`, `28.8万元` in the value. Both are read; what the
 * fields cannot show (a unit that disagrees with the unit column) is kept for the note and reported. Pure.
 */
import type { DiagnosticArgs, DiagnosticCode } from '../check/diagnostic.ts';
import { isPlainDecimal } from '../model/scoring.ts';
import type { Indicator } from '../model/types.generated.ts';

export type Comparator = '≥' | '>' | '=' | '≤' | '<';

/**
 * How a comparator is written before the number, as data (one line per comparator): signs typed in
 * either width, and the words of Chinese templates.
 */
export const COMPARATOR_WORDS: Readonly<Record<Comparator, readonly string[]>> = {
  '≥': [
    '≥',
    '≧',
    '⩾',
    '>=',
    '=>',
    '不低于',
    '不少于',
    '不小于',
    '不得低于',
    '不得少于',
    '大于等于',
    '大于或等于',
    '至少',
    '达到',
    '达',
  ],
  '≤': [
    '≤',
    '≦',
    '⩽',
    '<=',
    '=<',
    '不高于',
    '不超过',
    '不大于',
    '不多于',
    '不得高于',
    '不得超过',
    '小于等于',
    '小于或等于',
    '控制在',
    '至多',
    '最多',
  ],
  '>': ['>', '大于', '高于', '超过', '多于'],
  '<': ['<', '小于', '低于', '少于'],
  '=': ['=', '等于', '为'],
};

/** How a comparator is written after the number and unit (`95%以上`, `100万元以内`). */
export const COMPARATOR_SUFFIXES: Readonly<Partial<Record<Comparator, readonly string[]>>> = {
  '≥': ['及以上', '或以上', '以上'],
  '≤': ['及以下', '或以下', '以下', '以内', '之内'],
};

/** What 指标类型 says. */
export type TypeWord = Comparator | '定性' | '定量';

/** Full-width digits, signs and the ideographic space as their ASCII forms; other characters unchanged. */
const halfWidth = (s: string): string =>
  s.replace(/[\uff01-\uff5e]/g, (c) =>
    /[０-９．，％＋－＜＞＝]/.test(c) ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : c,
  );

const SIGNS: Readonly<Record<string, Comparator>> = Object.fromEntries(
  (Object.keys(COMPARATOR_WORDS) as Comparator[]).flatMap((k) =>
    COMPARATOR_WORDS[k].filter((w) => !/[\u4e00-\u9fff]/.test(w)).map((w) => [w, k]),
  ),
);

/** 指标类型 as written → what it says: a comparator sign (either width), 定性, 定量 (`定量指标`, `定量（≥）`). */
export function typeWord(text: string): TypeWord | undefined {
  const s = halfWidth(text).replace(/\s+/g, '');
  if (SIGNS[s]) return SIGNS[s];
  if (s === '定性' || s === '定性指标') return '定性';
  if (s === '定量' || s === '定量指标') return '定量';
  // `定量（≥）`, `≥（定量）`: the sign says more than the word.
  const sign = /^(?:定量(?:指标)?[(（]?([^()（）]+)[)）]?|([^()（）]+)[(（]定量(?:指标)?[)）])$/.exec(s);
  const inner = sign?.[1] ?? sign?.[2];
  return inner ? SIGNS[inner] : undefined;
}

export interface Target {
  comparator?: Comparator;
  value: number;
  /** The number as written, without thousands separators (`1.50`, `1286.5`). */
  numberText: string;
  /** Whatever follows the number (`%`, `万元`, `人次`), `''` when nothing does. */
  unit: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (words: string[]): string =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
const PREFIXES = (Object.keys(COMPARATOR_WORDS) as Comparator[]).flatMap((k) => COMPARATOR_WORDS[k].map((w) => [w, k]));
const SUFFIXES = (Object.keys(COMPARATOR_SUFFIXES) as Comparator[]).flatMap((k) =>
  (COMPARATOR_SUFFIXES[k] ?? []).map((w) => [w, k]),
);
const TARGET_RE = new RegExp(
  `^(${alternatives(PREFIXES.map(([w]) => w!))})?\\s*` +
    '([+-]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d*)?|[+-]?\\.\\d+)' +
    `\\s*(.*?)\\s*(${alternatives(SUFFIXES.map(([w]) => w!))})?$`,
  's',
);
const byWord = new Map<string, Comparator>([...PREFIXES, ...SUFFIXES] as Array<[string, Comparator]>);

/**
 * A value cell holding a comparator, a number and a unit (`≥120`, `不低于95%`, `≥ 98 %`, `28.8万元`,
 * `100%以上`) → its parts; undefined when it is not that (text, a date, a range, a sentence). A unit is
 * short and holds no digits or sentence punctuation.
 */
export function parseTarget(text: string): Target | undefined {
  const m = TARGET_RE.exec(halfWidth(text).trim());
  if (!m) return undefined;
  const [, before, numberText, unit, after] = m;
  if (unit!.length > 8 || /[\d，。；;,.:：]/.test(unit!)) return undefined;
  const cmpBefore = before ? byWord.get(before) : undefined;
  const cmpAfter = after ? byWord.get(after) : undefined;
  if (cmpBefore && cmpAfter && cmpBefore !== cmpAfter) return undefined;
  const comparator = cmpBefore ?? cmpAfter;
  const n = numberText!.replace(/,/g, '');
  return { ...(comparator ? { comparator } : {}), value: Number(n), numberText: n, unit: unit! };
}

/** One finding about a target, at the cell named. */
export interface TargetFinding {
  code: DiagnosticCode;
  at: 'type' | 'value';
  severity: 'error' | 'warning';
  args: DiagnosticArgs;
}

export interface TargetInput {
  /** The 指标类型 cell's text (`''` when the row or the table has none). */
  typeText: string;
  valueText: string;
  /** The value cell's number (a numeric workbook cell). */
  valueNum?: number;
  unitText: string;
  level1: string;
  level2: string;
}

export interface ResolvedTarget {
  type: Indicator['type'];
  value: number | string;
  unit: string;
  /** The value as written, when it is a decimal (`1.50`), for the YAML to keep. */
  written?: string;
  /** Text of the value cell the fields no longer show (a conflicting unit or comparator), for the note. */
  note?: string;
  findings: TargetFinding[];
}

const sameUnit = (a: string, b: string): boolean =>
  halfWidth(a).replace(/\s+/g, '') === halfWidth(b).replace(/\s+/g, '');

/**
 * The comparator a quantitative target without one most likely has: costs are kept under a ceiling
 * (成本指标: ≤), everything else is to be reached (≥).
 */
export const likelyComparator = (level1: string, level2: string): Comparator =>
  /成本/.test(level1) || /成本/.test(level2) ? '≤' : '≥';

/**
 * 指标类型 + 指标值 + 计量单位 as a row has them → `type`, `value`, `unit`. A comparator column wins over
 * a comparator in the value; the unit column over a unit in the value (each disagreement reported and the
 * value's text kept for the note). A 定性 value stays as written.
 */
export function resolveTarget(input: TargetInput): ResolvedTarget {
  const { typeText, valueText, valueNum, unitText } = input;
  const findings: TargetFinding[] = [];
  const word = typeWord(typeText);
  let note: string | undefined;
  const keepValueText = (): void => void (note = `指标值原文：${valueText}`);
  const target: Target | undefined =
    valueNum !== undefined ? { value: valueNum, numberText: valueText, unit: '' } : parseTarget(valueText);
  const written = (t: Target): string | undefined => (isPlainDecimal(t.numberText, t.value) ? t.numberText : undefined);
  const unitOf = (t: Target): string => {
    if (!t.unit) return unitText;
    if (!unitText || sameUnit(t.unit, unitText)) return unitText || t.unit;
    findings.push({
      code: 'IMPORT_UNIT_CONFLICT',
      at: 'value',
      severity: 'warning',
      args: { inValue: t.unit, inColumn: unitText },
    });
    keepValueText();
    return unitText;
  };
  const done = (type: Indicator['type'], value: number | string, unit: string, w?: string): ResolvedTarget => ({
    type,
    value,
    unit,
    ...(w !== undefined ? { written: w } : {}),
    ...(note !== undefined ? { note } : {}),
    findings,
  });

  if (word === '定性') return done('定性', valueText, unitText);
  if (word && word !== '定量') {
    if (!target) return done(word, valueText, unitText);
    if (target.comparator && target.comparator !== word) {
      const args = { inValue: valueText, inColumn: typeText.trim() };
      findings.push({ code: 'IMPORT_COMPARATOR_CONFLICT', at: 'value', severity: 'warning', args });
      keepValueText();
    }
    return done(word, target.value, unitOf(target), written(target));
  }
  if (typeText.trim() && !word) {
    // Something else in the type column: kept as written, for validation to explain.
    return done(typeText.trim() as Indicator['type'], valueText, unitText);
  }
  // 定量, or no type written: the value says.
  const guess = (value: string): Comparator => {
    const guessed = likelyComparator(input.level1, input.level2);
    const why = guessed === '≤' ? 'cost' : 'default';
    const args = {
      guessed,
      why,
      value,
      level: /成本/.test(input.level1) ? input.level1 : input.level2 || input.level1,
    };
    findings.push({ code: 'IMPORT_COMPARATOR_GUESSED', at: 'value', severity: 'warning', args });
    return guessed;
  };
  if (target) {
    const type = target.comparator ?? guess(valueText);
    return done(type, target.value, unitOf(target), written(target));
  }
  if (!valueText) {
    if (word === '定量') return done(guess(''), '', unitText);
    findings.push({ code: 'IMPORT_MISSING', at: 'type', severity: 'error', args: { what: '指标类型' } });
    return done('定性', '', unitText);
  }
  if (word === '定量') {
    const args = { guessed: '定性', why: 'text', value: valueText, level: input.level2 || input.level1 };
    findings.push({ code: 'IMPORT_COMPARATOR_GUESSED', at: 'value', severity: 'warning', args });
  }
  return done('定性', valueText, unitText);
}
