/**
 * Schema stage: validates plain data against schema/department-targets.schema.json (the one source of
 * truth for the format) and maps every ajv error back to the YAML node it concerns.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import ajvI18n from 'ajv-i18n';
import { type Document, isScalar } from 'yaml';
import { headOf, locate, type Path, rangeOf } from '../load/positions.ts';
import schemaJson from '../../schema/department-targets.schema.json' with { type: 'json' };
import settingsSchemaJson from '../../schema/settings.schema.json' with { type: 'json' };
import selfEvaluationSchemaJson from '../../schema/self-evaluation.schema.json' with { type: 'json' };
import { diag, type Diagnostic, type DiagnosticArgs, type DiagnosticCode } from './diagnostic.ts';
import { closest } from './suggest.ts';

/** The JSON Schema keywords jxmb and its tests read (ajv reads the files whole). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  pattern?: string;
  items?: JsonSchema;
  required?: string[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  title?: string;
  description?: string;
  errorMessage?: unknown;
  markdownEnumDescriptions?: string[];
}
// Through unknown: TypeScript's type of a JSON import is too literal to compare with JsonSchema.
export const departmentSchema = schemaJson as unknown as JsonSchema;
export const settingsSchema = settingsSchemaJson as unknown as JsonSchema;
export const selfEvaluationSchema = selfEvaluationSchemaJson as unknown as JsonSchema;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const localizeZh = (ajvI18n as unknown as Record<string, (errors: ErrorObject[]) => void>).zh!;
/**
 * Keywords only editors read (yaml-language-server): the message for a slip, value descriptions, and
 * snippets. Known to ajv as annotations, so strict mode accepts them and the CLI keeps its own
 * diagnostics (one per slip, with its code) instead of the editor's fixed sentence.
 */
export const editorKeywords = ['errorMessage', 'markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets'];
let compiled: { department: ValidateFunction; settings: ValidateFunction } | undefined;

function validators(): { department: ValidateFunction; settings: ValidateFunction } {
  if (!compiled) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    });
    addFormats(ajv);
    ajv.addVocabulary(editorKeywords);
    compiled = { department: ajv.compile(departmentSchema), settings: ajv.compile(settingsSchema) };
  }
  return compiled;
}

const parsePointer = (p: string): Path =>
  p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** The subschema at a data path (following properties, items and $ref; conditionals ignored). */
export function schemaAt(root: JsonSchema, path: Path): JsonSchema | undefined {
  let s: JsonSchema | undefined = root;
  const deref = (x: JsonSchema | undefined): JsonSchema | undefined =>
    x?.$ref ? { ...root.$defs?.[x.$ref.replace('#/$defs/', '')], ...x, $ref: undefined } : x;
  s = deref(s);
  for (const seg of path) {
    if (!s) return undefined;
    s = deref(typeof seg === 'number' ? s.items : s.properties?.[seg]);
  }
  return s;
}

/** A human name for a data path: `indicators[3].level2（二级指标）`. */
export function fieldName(root: JsonSchema, path: Path): string {
  const p = path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg + 1}]` : acc ? `${acc}.${seg}` : seg),
    '',
  );
  const title = schemaAt(root, path)?.title;
  return title ? `${p}（${title}）` : p || '（根）';
}

/**
 * A data path in the clerk's terms, in Chinese and English: an indicator by its number and name
 * (`第 2 个指标“新增省级专精特新小巨人企业”的 level2（二级指标）`), other paths as fieldName says them.
 */
export function clerkFieldName(root: JsonSchema, path: Path, data: unknown): { zh: string; en: string } {
  if (path[0] !== 'indicators' || typeof path[1] !== 'number') {
    const f = fieldName(root, path);
    return { zh: f, en: f };
  }
  const n = path[1] + 1;
  const name = (data as { indicators?: { name?: unknown }[] } | null)?.indicators?.[n - 1]?.name;
  const named = typeof name === 'string' && name.trim() ? name.trim() : undefined;
  const rest = path.slice(2);
  const sub = rest.length ? fieldName(root, path).replace(/^indicators\[\d+\]\.?/, '') : '';
  return {
    zh: `第 ${n} 个指标${named ? `“${named}”` : ''}${sub ? `的 ${sub}` : ''}`,
    en: `${sub ? `${sub.replace(/（(.*)）$/, ' ($1)')} of ` : ''}indicator ${n}${named ? ` (“${named}”)` : ''}`,
  };
}

const typeZh: Record<string, string> = {
  string: '文字',
  number: '数字',
  integer: '整数',
  array: '列表',
  object: '映射（键: 值）',
  boolean: '是/否',
  null: '空值',
};
const jsType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;

const scoringKeys: Record<string, string[]> = {
  ratio: ['pass_rate', 'text'],
  deadline: ['every_days', 'deduct', 'text'],
  grades: ['grades', 'text'],
  shortfall: ['every_percent', 'deduct', 'text'],
  overrun: ['every_percent', 'deduct', 'text'],
  direct: ['text'],
  bands: ['bands', 'text'],
  text: ['text'],
};

/** Validates data and returns diagnostics positioned in the YAML source. */
export function checkSchema(data: unknown, doc: Document.Parsed, text: string): Diagnostic[] {
  const validate = validators().department;
  if (validate(data)) return [];
  return mapErrors(validate.errors ?? [], data, doc, text, departmentSchema);
}

/** Validates settings data; positions as for department files. */
export function checkSettingsSchema(data: unknown, doc: Document.Parsed, text: string): Diagnostic[] {
  const validate = validators().settings;
  if (validate(data)) return [];
  return mapErrors(validate.errors ?? [], data, doc, text, settingsSchema).map((d) => ({
    ...d,
    code: 'SETTINGS_INVALID' as const,
    args: { detail: `${d.args.field ?? ''} ${d.code}`.trim() },
  }));
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path) v = (v as Record<string | number, unknown> | null | undefined)?.[seg];
  return v;
}

/** A scalar at a data path as text; anything else (absent, an object) as ''. */
function scalarAt(data: unknown, path: Path): string {
  const v = valueAt(data, path);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function mapErrors(
  errors: ErrorObject[],
  data: unknown,
  doc: Document.Parsed,
  text: string,
  root: JsonSchema,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // Errors of a more specific kind at the same spot make the generic ones redundant.
  const specificPaths = new Set(
    errors
      .filter((e) => /\/(then|else)\//.test(e.schemaPath) || e.keyword === 'false schema')
      .map((e) => e.instancePath),
  );
  // A misspelled key is one slip: its UNKNOWN_KEY suggests the key, so that key's MISSING_KEY is not said.
  const suggested = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
        return `${e.instancePath}/${closest(key, allowed) ?? ''}`;
      }),
  );
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (
      e.keyword === 'required' &&
      suggested.has(`${e.instancePath}/${String((e.params as { missingProperty: string }).missingProperty)}`)
    )
      continue;
    if (
      specificPaths.has(e.instancePath) &&
      !/\/(then|else)\//.test(e.schemaPath) &&
      e.keyword !== 'false schema' &&
      e.keyword !== 'type'
    )
      continue;
    const path = parsePointer(e.instancePath);
    const d = mapError(e, path, data, doc, text, root);
    if (!d) continue;
    const id = `${d.code}@${d.pos[0]}@${String(d.args.key ?? '')}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  return out;
}

function mapError(
  e: ErrorObject,
  path: Path,
  data: unknown,
  doc: Document.Parsed,
  text: string,
  root: JsonSchema,
): Diagnostic | undefined {
  const here = locate(doc, path);
  const valuePos = rangeOf(here.node) ?? rangeOf(here.key) ?? headOf(here.parent, text) ?? [0, 1];
  const { zh: field, en: fieldEn } = clerkFieldName(root, path, data);
  const value = valueAt(data, path);
  const mk = (code: DiagnosticCode, args: DiagnosticArgs, pos: [number, number] = valuePos): Diagnostic =>
    diag(code, 'error', pos, { field, fieldEn, ...args });
  const last = path[path.length - 1];

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const at = locate(doc, [...path, key]);
      const allowed = Object.keys(
        (e.parentSchema as JsonSchema | undefined)?.properties ?? schemaAt(root, path)?.properties ?? {},
      );
      return mk(
        'UNKNOWN_KEY',
        { key, allowed: allowed.join(', '), ...(closest(key, allowed) ? { suggestion: closest(key, allowed)! } : {}) },
        rangeOf(at.key) ?? valuePos,
      );
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      const sub = schemaAt(root, [...path, key]);
      const pos = headOf(here.key, text) ?? headOf(here.node, text) ?? [0, 1];
      return mk(
        'MISSING_KEY',
        {
          key,
          title: sub?.title ?? key,
          where: path.length ? ` ${field}中` : '文件顶层',
          whereEn: path.length ? `under ${fieldEn}` : 'at the top level',
        },
        pos,
      );
    }
    case 'false schema': {
      const parentPath = path.slice(0, -1);
      const kind = scalarAt(data, [...parentPath, 'kind']);
      const at = locate(doc, path);
      return mk(
        'SCORING_FIELD',
        { key: String(last), kind, allowed: (scoringKeys[kind] ?? []).join(', ') },
        rangeOf(at.key) ?? valuePos,
      );
    }
    case 'type': {
      const expected = String((e.params as { type: string | string[] }).type);
      if (last === 'value' && /\/(then|else)\//.test(e.schemaPath)) {
        const type = scalarAt(data, [...path.slice(0, -1), 'type']);
        if (type === '定性') return mk('QUALITATIVE_VALUE', { value: String(value) });
        const m = /^\s*([-+]?\d+(?:\.\d+)?)\s*(.*)$/.exec(String(value));
        return mk('QUANTITATIVE_VALUE', {
          type,
          value: String(value),
          ...(m ? { number: m[1]!, unit: m[2]!.trim() } : {}),
        });
      }
      const actual = jsType(value);
      const expectedKey = expected.includes(',') ? expected.split(',')[0]! : expected;
      return mk('WRONG_TYPE', {
        expected: expectedKey,
        actual,
        expectedZh: expected
          .split(',')
          .map((t) => typeZh[t] ?? t)
          .join('或'),
        actualZh: typeZh[actual] ?? actual,
        text:
          typeof value === 'number'
            ? here.node && isScalar(here.node) && here.node.source !== undefined
              ? text.slice(...rangeOf(here.node)!).trim()
              : String(value)
            : '',
      });
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      if (last === 'level2' && /\/then\//.test(e.schemaPath)) {
        const level1 = String(valueAt(data, [...path.slice(0, -1), 'level1']));
        return mk('LEVEL2_MISMATCH', { value: String(value), level1, allowed: allowed.join('、') });
      }
      const suggestion = suggestEnum(String(value), allowed);
      return mk('INVALID_ENUM', {
        value: String(value),
        allowed: allowed.join(' '),
        ...(suggestion ? { suggestion } : {}),
      });
    }
    case 'maxLength':
      if (last === 'unit' && /\/then\//.test(e.schemaPath)) return mk('QUALITATIVE_UNIT', { value: String(value) });
      return mk('TOO_LONG', { length: [...String(value)].length, limit: (e.params as { limit: number }).limit });
    case 'minLength':
    case 'minItems':
      return mk('EMPTY_VALUE', {});
    case 'pattern': {
      const v = String(value);
      const suggestion = v
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
      return mk('INVALID_CODE', { value: v, ...(suggestion && suggestion !== v ? { suggestion } : {}) });
    }
    case 'format':
      return mk('DATE_INVALID', { value: String(value) });
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const p = e.params as { comparison: string; limit: number };
      // A rate written as a percentage (`pass_rate: 60`): the fraction it means.
      const asFraction: DiagnosticArgs =
        last === 'pass_rate' && typeof value === 'number' && value >= 5 && value < 100
          ? { suggestion: String(Number((value / 100).toFixed(6))) }
          : {};
      return mk('OUT_OF_RANGE', { value: String(value), limit: `${p.comparison} ${p.limit}`, ...asFraction });
    }
    default: {
      // Keywords this format does not use today: ajv's own words, localised.
      const zh = { ...e };
      localizeZh([zh]);
      return mk('SCHEMA', { detail: e.message ?? e.keyword, detailZh: zh.message ?? e.keyword });
    }
  }
}

/** Common ways people type an enum value, mapped to the value they meant. */
const enumAliases: Record<string, string> = {
  '>=': '≥',
  '=>': '≥',
  '≧': '≥',
  '＞＝': '≥',
  大于等于: '≥',
  不低于: '≥',
  不少于: '≥',
  '<=': '≤',
  '=<': '≤',
  '≦': '≤',
  '＜＝': '≤',
  小于等于: '≤',
  不高于: '≤',
  不超过: '≤',
  '＞': '>',
  大于: '>',
  '＜': '<',
  小于: '<',
  '＝': '=',
  等于: '=',
  '==': '=',
  定量: '≥',
  定性指标: '定性',
};

function suggestEnum(value: string, allowed: string[]): string | undefined {
  const alias = enumAliases[value.trim()];
  if (alias && allowed.includes(alias)) return alias;
  const withSuffix = allowed.find((a) => a === `${value}指标` || a.startsWith(value));
  if (withSuffix) return withSuffix;
  return closest(value, allowed);
}

let selfEvaluationValidator: ValidateFunction | undefined;

/** Validates a self-evaluation (schema/self-evaluation.schema.json); positions as for department files. */
export function checkSelfEvaluationSchema(data: unknown, doc: Document.Parsed, text: string): Diagnostic[] {
  if (!selfEvaluationValidator) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    });
    addFormats(ajv);
    ajv.addVocabulary(editorKeywords);
    selfEvaluationValidator = ajv.compile(selfEvaluationSchema);
  }
  if (selfEvaluationValidator(data)) return [];
  return mapErrors(selfEvaluationValidator.errors ?? [], data, doc, text, selfEvaluationSchema);
}
