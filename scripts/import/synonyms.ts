/**
 * The words tables use for the form's columns and labels, as data: a bureau's new wording is one more
 * string in a list here (or, without changing the code, in jxmb.settings.yaml under `import.synonyms`).
 * Words are compared after `normKey`, so required marks, spaces, bracket widths and trailing colons never
 * need listing. Pure.
 */

/** The indicator table's columns. `band` is the 绩效指标 heading over the three levels; `seq` a 序号 column. */
export const HEADER_FIELDS = [
  'band',
  'seq',
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
export type HeaderField = (typeof HEADER_FIELDS)[number];

/**
 * The labelled rows above the table. `filer` is the 填报单位 line many templates print between the title
 * and the table: not a label of the form itself (see parse-form: it names the department only where the
 * form has no 名称 row, with a warning).
 */
export const LABEL_FIELDS = ['department_name', 'duties', 'goals', 'filer'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

/** A row summing the points (合计…): not an indicator. */
export type SynonymKey = HeaderField | LabelField | 'total';
export const SYNONYM_KEYS: readonly SynonymKey[] = [...HEADER_FIELDS, ...LABEL_FIELDS, 'total'];

/** The built-in wordings, each as a person writes it (normalised when compared). One line per field. */
export const SYNONYMS: Readonly<Record<SynonymKey, readonly string[]>> = {
  band: ['绩效指标', '绩效指标名称'],
  seq: ['序号', '编号', '行次'],
  level1: ['一级指标', '一级指标名称'],
  level2: ['二级指标', '二级指标名称'],
  name: ['三级指标', '三级指标名称', '指标名称', '指标内容', '具体指标', '考核内容', '考核指标', '三级指标内容'],
  type: ['指标类型', '指标值类型', '指标性质', '值类型', '指标属性'],
  value: [
    '指标值',
    '年度指标值',
    '目标值',
    '指标目标值',
    '年度目标值',
    '绩效指标值',
    '绩效目标值',
    '指标标准',
    '目标值标准',
  ],
  unit: ['计量单位', '度量单位', '单位', '指标单位', '指标值单位'],
  points: ['分值', '权重', '指标分值', '分数', '指标权重', '权重分值', '标准分', '标准分值', '分值权重', '满分'],
  explanation: ['指标解释', '指标说明', '指标定义', '指标解释说明', '指标含义', '指标内涵'],
  scoring: [
    '评（扣）分标准',
    '评分标准',
    '评分规则',
    '评分方法',
    '计分方法',
    '扣分标准',
    '评（扣）分方法',
    '评分办法',
    '评分标准及方法',
    '评分细则',
    '评（扣）分细则',
    '扣分细则',
    '计分标准',
    '评分依据',
  ],
  // 说明 only as a column's header: a row starting with 说明 below the table is the template's notes.
  note: ['备注', '说明'],
  department_name: ['部门（单位）名称', '单位名称', '部门名称', '预算单位', '预算单位名称'],
  duties: [
    '部门（单位）职责',
    '部门职责',
    '主要职能',
    '单位职责',
    '职能职责',
    '职责',
    '主要职责',
    '部门（单位）主要职责',
  ],
  goals: [
    '年度总体目标',
    '年度绩效目标',
    '年度总体绩效目标',
    '绩效目标',
    '整体绩效目标',
    '总体目标',
    '年度目标',
    '部门整体绩效目标',
  ],
  filer: ['填报单位', '填报单位（盖章）', '填报部门', '申报单位', '申报单位（盖章）', '编制单位'],
  total: ['合计', '总计', '小计', '总分', '分值合计', '合计分值'],
};

/** A bureau's own wordings, added to the built-in ones (`import.synonyms` in the settings). */
export type ExtraSynonyms = Partial<Record<SynonymKey, readonly string[]>>;

const MARKS = /[*＊★☆※✱✲⁎]/g;
const SPACES = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g;
const OPEN = /[（【〔［[｛{《〈]/g;
const CLOSE = /[）】〕］\]｝}》〉]/g;
const EDGE_PUNCT = /^[：:，,。.．;；、!！?？\-—_~·•…]+|[：:，,。.．;；、!！?？\-—_~·•…]+$/g;
const NUMBERING = /^(?:[一二三四五六七八九十]+|\d+)[、.．]/;

/**
 * The canonical form words are compared in: no required marks (* ＊ ★ ☆ ※), no whitespace of any width,
 * brackets as `(` `)`, no leading numbering (一、 1.) and no punctuation at either end (a trailing colon).
 */
export function normKey(s: string): string {
  return s
    .replace(MARKS, '')
    .replace(SPACES, '')
    .replace(OPEN, '(')
    .replace(CLOSE, ')')
    .replace(EDGE_PUNCT, '')
    .replace(NUMBERING, '')
    .replace(EDGE_PUNCT, '');
}

/**
 * The ways a header cell's key may name a field, tried in order: as it is (`评(扣)分标准`), without a
 * bracketed hint at its end (`分值(分)`, `权重(%)`, `三级指标(指标名称)`), without any bracketed part
 * (`(计量)单位(个)`), and with the brackets dropped but their words kept (`计量(单位)`).
 */
function headerVariants(k: string): string[] {
  const out = [k, k.replace(/\([^()]*\)$/, ''), k.replace(/\([^()]*\)/g, ''), k.replace(/[()]/g, '')];
  return out.filter((v, i) => v !== '' && out.indexOf(v) === i);
}

/** Word → field lookups for one set of extra wordings. */
export interface Synonyms {
  /**
   * The column a header cell names, if any (`分值（分）` is 分值: a bracketed hint is ignored, and
   * `计量（单位）` read without its brackets).
   */
  header(text: string): HeaderField | undefined;
  /** Whether a cell is a 合计/总计/小计 cell. */
  isTotal(text: string): boolean;
  /**
   * The label a cell starts with, and what follows it in the same cell (`部门名称：芷江县…` → the name
   * and `芷江县…`), or undefined. The longest label wins.
   */
  label(text: string): { field: LabelField; rest: string } | undefined;
}

const cache = new WeakMap<ExtraSynonyms, Synonyms>();
let defaults: Synonyms | undefined;

/** The lookups for the built-in wordings plus `extra` (cached per object). */
export function synonyms(extra?: ExtraSynonyms): Synonyms {
  if (!extra) return (defaults ??= build({}));
  let s = cache.get(extra);
  if (!s) cache.set(extra, (s = build(extra)));
  return s;
}

function build(extra: ExtraSynonyms): Synonyms {
  const words = (k: SynonymKey): string[] => [...SYNONYMS[k], ...(extra[k] ?? [])].map(normKey).filter(Boolean);
  const headers = new Map<string, HeaderField>();
  for (const f of HEADER_FIELDS) for (const w of words(f)) if (!headers.has(w)) headers.set(w, f);
  const labels = new Map<string, LabelField>();
  for (const f of LABEL_FIELDS) for (const w of words(f)) if (!labels.has(w)) labels.set(w, f);
  const totals = new Set(words('total'));
  const longestLabel = Math.max(0, ...[...labels.keys()].map((w) => w.length));
  return {
    header(text) {
      const k = normKey(text);
      for (const v of headerVariants(k)) {
        const f = headers.get(v);
        if (f) return f;
      }
      return undefined;
    },
    isTotal: (text) => totals.has(normKey(text)),
    label(text) {
      // The longest prefix of the raw text whose canonical form is a label: marks, spaces and colons
      // around the label then belong to it, and what follows is its content.
      let best: { field: LabelField; end: number } | undefined;
      for (let end = 1; end <= text.length; end++) {
        const k = normKey(text.slice(0, end));
        if (k.length > longestLabel + 4) break;
        const f = labels.get(k);
        if (f) best = { field: f, end };
      }
      return best ? { field: best.field, rest: text.slice(best.end).trim() } : undefined;
    },
  };
}
