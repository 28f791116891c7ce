/**
 * Data → YAML text in the project's hand-written style (data/2025/zhijiang-swkjgxj.yaml): the schema
 * line first, keys in the form's order, block style with one-line `{ … }` scoring rules, strings plain
 * unless YAML would read them otherwise. Pure and deterministic: same data, same bytes.
 */
import { parse } from 'yaml';
import { characterKind } from '../check/characters.ts';
import { isPlainDecimal } from '../model/scoring.ts';
import type { DepartmentTargets, Indicator, Scoring } from '../model/types.generated.ts';

export const SCHEMA_LINE = '# yaml-language-server: $schema=../../schema/department-targets.schema.json';

export interface EmitOptions {
  /** Comment lines (without `#`) placed right after the schema line, e.g. content the import could not place. */
  comments?: string[];
  /** Decimal values written as the table shows them (`/indicators/3/value` → `1.50`): ParsedForm.numberTexts. */
  numberTexts?: ReadonlyMap<string, string>;
}

const INDICATOR_KEYS = [
  'level1',
  'level2',
  'name',
  'type',
  'value',
  'unit',
  'explanation',
  'scoring',
  'note',
  'id',
] as const;
const SCORING_KEYS = [
  'kind',
  'points',
  'pass_rate',
  'every_days',
  'every_percent',
  'deduct',
  'grades',
  'bands',
  'text',
] as const;
const SIGNOFF_KEYS = ['business_review', 'performance_review', 'preparer', 'phone', 'filed', 'head'] as const;

/** Serialises a department's targets as the project writes them by hand. */
export function emitYaml(data: DepartmentTargets, opts: EmitOptions = {}): string {
  const out: string[] = [SCHEMA_LINE];
  for (const c of opts.comments ?? []) for (const line of c.split(/\r?\n|\r/)) out.push(line ? `# ${line}` : '#');
  out.push(`fiscal_year: ${scalar(data.fiscal_year)}`);
  out.push('department:', `  code: ${scalar(data.department.code)}`, `  name: ${scalar(data.department.name)}`);
  list(out, 'duties', data.duties);
  list(out, 'goals', data.goals);
  if (!data.indicators.length) out.push('indicators: []');
  else {
    out.push('indicators:');
    data.indicators.forEach((ind, i) => indicator(out, ind, opts.numberTexts?.get(`/indicators/${i}/value`)));
  }
  out.push('signoff:');
  for (const k of SIGNOFF_KEYS) out.push(`  ${k}: ${scalar(data.signoff[k])}`);
  return out.join('\n') + '\n';
}

function list(out: string[], key: string, items: readonly string[]): void {
  if (!items.length) return void out.push(`${key}: []`);
  out.push(`${key}:`);
  for (const s of items) out.push(`  - ${scalar(s)}`);
}

function indicator(out: string[], ind: Indicator, valueWritten?: string): void {
  let first = true;
  const line = (s: string): void => {
    out.push(`${first ? '  - ' : '    '}${s}`);
    first = false;
  };
  for (const k of INDICATOR_KEYS) {
    const v = ind[k];
    if (v === undefined) continue;
    if (k === 'scoring') {
      const s = v as Scoring;
      if (s.text === undefined && !s.grades && !s.bands) line(`scoring: ${flowMap(scoringEntries(s))}`);
      else {
        line('scoring:');
        for (const [sk, sv] of scoringEntries(s)) {
          if (Array.isArray(sv)) {
            out.push(`      ${sk}:`);
            for (const item of sv as Array<Record<string, string | number>>)
              out.push(`        - ${flowMap(Object.entries(item))}`);
          } else out.push(`      ${sk}: ${scalar(sv as string | number)}`);
        }
      }
    } else if (
      k === 'value' &&
      typeof v === 'number' &&
      valueWritten !== undefined &&
      isPlainDecimal(valueWritten, v)
    ) {
      // A plain decimal reads back as the same number; jxmb prints it as written (1.50).
      line(`value: ${valueWritten}`);
    } else line(`${k}: ${scalar(v as string | number)}`);
  }
}

function scoringEntries(s: Scoring): Array<[string, unknown]> {
  const known = SCORING_KEYS.filter((k) => s[k] !== undefined).map((k) => [k, s[k]] as [string, unknown]);
  // Keys the format does not know (none today) still survive, after the known ones.
  const rest = Object.entries(s).filter(
    ([k, v]) => v !== undefined && !(SCORING_KEYS as readonly string[]).includes(k),
  );
  return [...known, ...rest];
}

const flowMap = (entries: Array<[string, unknown]>): string =>
  `{ ${entries.map(([k, v]) => `${k}: ${scalar(v as string | number, true)}`).join(', ')} }`;

/** A scalar as YAML: numbers as written, strings plain when that reads back as the same string, else double-quoted. */
export function scalar(v: string | number | boolean, flow = false): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'boolean') return String(v);
  return plainSafe(v, flow) ? v : quoted(v);
}

/**
 * Double-quoted, with every control, bidi control and invisible character as an escape (JSON's escapes
 * are YAML's; it leaves C1, U+202E, U+200B … raw): the YAML printed or written shows them, and
 * `jxmb validate` then points at each escape.
 */
function quoted(s: string): string {
  let out = '';
  for (const ch of JSON.stringify(s)) {
    const cp = ch.codePointAt(0)!;
    if (characterKind(cp) === undefined) out += ch;
    else out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** YAML indicators, plus `<` and `=` so the comparison types read the same in YAML 1.1 tools (`=` is a tag there). */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`<=]/;

function plainSafe(s: string, flow: boolean): boolean {
  if (s === '' || s !== s.trim() || [...s].some((ch) => characterKind(ch.codePointAt(0)!) !== undefined)) return false;
  if (INDICATOR_START.test(s) || s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (flow && /[,[\]{}]/.test(s)) return false;
  try {
    // Whatever YAML would read as a number, boolean, null… must be quoted.
    return (parse(flow ? `{ k: ${s} }` : `k: ${s}`) as { k?: unknown } | null | undefined)?.k === s;
  } catch {
    return false;
  }
}
