/**
 * The words of a diff in Chinese (default) and English: change kinds, fields, flags, headings.
 * The form's own terms (一级指标, indicator names) stay Chinese in both: they are what is printed.
 */
import type { Lang } from '../check/messages.ts';
import type { Change, ChangeFlag, ChangeKind, DepartmentDiff } from './changes.ts';
import { SIGNOFF_TITLES } from '../model/titles.ts';
import { plural } from '../model/plural.ts';

interface Words {
  kind: Record<ChangeKind, string>;
  field: Record<string, string>;
  flag: Record<ChangeFlag, string>;
  status: Record<DepartmentDiff['status'], string>;
  duty: (n: number) => string;
  goal: (n: number) => string;
  row: (n: number) => string;
  none: string;
  workingTree: string;
  noDifferences: string;
  summary: {
    department: string;
    years: string;
    added: string;
    removed: string;
    renamed: string;
    moved: string;
    modified: string;
    info: string;
    weakened: string;
    points: string;
  };
  heading: string;
  compared: (from: string, to: string) => string;
  baseline: (file: string) => string;
  newTable: (n: number, points: string) => string;
  goneTable: (n: number, points: string) => string;
  indicators: string;
  departmentInfo: string;
  col: { flag: string; indicator: string; change: string; from: string; to: string };
  weakenedBox: (n: number) => string;
  truncated: (n: number) => string;
  detailsOf: string;
  points: (p: string) => string;
  comma: string;
}

const zh: Words = {
  kind: {
    department: '部门',
    duty: '部门职责',
    goal: '年度总体目标',
    signoff: '审核与签字',
    'indicator-added': '新增指标',
    'indicator-removed': '删除指标',
    renamed: '改名',
    moved: '移动',
    type: '指标类型',
    value: '指标值',
    unit: '计量单位',
    explanation: '指标解释',
    scoring: '评（扣）分标准',
    points: '分值',
    note: '备注',
    'points-total': '分值合计',
    'group-added': '新增指标组',
    'group-removed': '删除指标组',
  },
  field: {
    code: '部门代码',
    name: '部门（单位）名称',
    ...SIGNOFF_TITLES,
    group: '移到其他指标组',
    order: '调整顺序',
    level1: '一级指标',
    level2: '二级指标',
    kind: '规则类型',
    pass_rate: '及格门槛',
    every_days: '每推迟天数',
    every_percent: '每变动百分点',
    deduct: '扣分',
    grades: '分档',
    bands: '区间',
    text: '评分句子',
  },
  flag: {
    weakened: '目标降低',
    strengthened: '目标提高',
    'points-total-changed': '分值合计变化',
    'group-dropped': '整组删除',
  },
  status: { changed: '有变化', unchanged: '无变化', added: '新增', removed: '删除' },
  duty: (n) => `职责${n}`,
  goal: (n) => `目标${n}`,
  row: (n) => `第${n}行`,
  none: '（无）',
  workingTree: '工作区',
  noDifferences: '没有差异。',
  summary: {
    department: '部门',
    years: '年度',
    added: '新增',
    removed: '删除',
    renamed: '改名',
    moved: '移动',
    modified: '修改',
    info: '部门信息',
    weakened: '⚠ 目标降低',
    points: '分值合计',
  },
  heading: '绩效目标变化',
  compared: (f, t) => `比较 \`${f}\` → \`${t}\``,
  baseline: (file) => `新增的年度表，与 ${file} 比较`,
  newTable: (n, p) => `新增的表：${n} 个指标，分值合计 ${p}`,
  goneTable: (n, p) => `删除的表：原有 ${n} 个指标，分值合计 ${p}`,
  indicators: '绩效指标',
  departmentInfo: '部门信息',
  col: { flag: '', indicator: '指标', change: '变化', from: '原', to: '新' },
  weakenedBox: (n) => `**目标降低 ${n} 处**，请审核：`,
  truncated: (n) =>
    `差异太长，已省略 ${n} 行（评论上限 65536 字符）。完整内容请在本地运行 \`jxmb diff\`，或下载构建产物。`,
  detailsOf: '详情',
  points: (p) => `${p}分`,
  comma: '，',
};

const en: Words = {
  kind: {
    department: 'department',
    duty: 'duty',
    goal: 'goal',
    signoff: 'sign-off',
    'indicator-added': 'indicator added',
    'indicator-removed': 'indicator removed',
    renamed: 'renamed',
    moved: 'moved',
    type: 'type',
    value: 'value',
    unit: 'unit',
    explanation: 'explanation',
    scoring: 'scoring',
    points: 'points',
    note: 'note',
    'points-total': 'points total',
    'group-added': 'group added',
    'group-removed': 'group removed',
  },
  field: {
    code: 'code',
    name: 'name',
    business_review: 'business review',
    performance_review: 'performance review',
    preparer: 'preparer',
    phone: 'phone',
    filed: 'filed',
    head: 'head',
    group: 'to another group',
    order: 'order',
    level1: '一级指标',
    level2: '二级指标',
    kind: 'kind',
    pass_rate: 'pass_rate',
    every_days: 'every_days',
    every_percent: 'every_percent',
    deduct: 'deduct',
    grades: 'grades',
    bands: 'bands',
    text: 'text',
  },
  flag: {
    weakened: 'target weakened',
    strengthened: 'target raised',
    'points-total-changed': 'points total changed',
    'group-dropped': 'whole group dropped',
  },
  status: { changed: 'changed', unchanged: 'unchanged', added: 'new', removed: 'gone' },
  duty: (n) => `duty ${n}`,
  goal: (n) => `goal ${n}`,
  row: (n) => `row ${n}`,
  none: '(none)',
  workingTree: 'working tree',
  noDifferences: 'No differences.',
  summary: {
    department: 'Department',
    years: 'Years',
    added: 'Added',
    removed: 'Removed',
    renamed: 'Renamed',
    moved: 'Moved',
    modified: 'Modified',
    info: 'Dept. info',
    weakened: '⚠ Weakened',
    points: 'Points total',
  },
  heading: 'Performance target changes',
  compared: (f, t) => `Comparing \`${f}\` → \`${t}\``,
  baseline: (file) => `a new year's table, compared with ${file}`,
  newTable: (n, p) => `new table: ${plural(n, 'indicator')}, ${p === '1' ? '1 point' : `${p} points`}`,
  goneTable: (n, p) => `table removed: it had ${plural(n, 'indicator')}, ${p === '1' ? '1 point' : `${p} points`}`,
  indicators: 'Indicators',
  departmentInfo: 'Department',
  col: { flag: '', indicator: 'Indicator', change: 'Change', from: 'Before', to: 'After' },
  weakenedBox: (n) => `**${n} weakened target${n === 1 ? '' : 's'}** to review:`,
  truncated: (n) =>
    `The diff is too long: ${n} lines left out (comment limit 65536 characters). Run \`jxmb diff\` ` +
    'locally or download the build artifact for all of it.',
  detailsOf: 'Details',
  points: (p) => `${p} pts`,
  comma: ', ',
};

export const words = (lang: Lang): Words => (lang === 'en' ? en : zh);

/** `产出指标/数量指标/新增规模工业企业` */
export const indicatorPath = (c: Change): string =>
  c.indicator ? `${c.indicator.level1}/${c.indicator.level2}/${c.indicator.name}` : '';

/** What changed, in a few words: `指标值`, `评（扣）分标准（规则类型、及格门槛）`, `职责3`. */
export function changeLabel(c: Change, lang: Lang): string {
  const w = words(lang);
  switch (c.kind) {
    case 'duty':
    case 'goal': {
      const n = (c.item?.to ?? c.item?.from)!;
      const what = c.kind === 'duty' ? w.duty(n) : w.goal(n);
      const how = c.from === null ? w.summary.added : c.to === null ? w.summary.removed : w.summary.modified;
      return `${what} ${lang === 'en' ? how.toLowerCase() : how}`;
    }
    case 'department':
    case 'signoff':
      return c.field ? (w.field[c.field] ?? c.field) : w.kind[c.kind];
    case 'moved':
      return `${w.kind.moved}${lang === 'en' ? ': ' : '（'}${w.field[c.field ?? ''] ?? ''}${lang === 'en' ? '' : '）'}`;
    case 'scoring':
      return c.fields?.length
        ? `${w.kind.scoring}${lang === 'en' ? ' (' : '（'}` +
            c.fields.map((f) => w.field[f] ?? f).join(lang === 'en' ? ', ' : '、') +
            (lang === 'en' ? ')' : '）')
        : w.kind.scoring;
    case 'group-added':
    case 'group-removed':
      return (
        `${w.kind[c.kind]}${lang === 'en' ? ' (' : '（'}${w.field[c.field ?? ''] ?? ''}` +
        `${lang === 'en' ? ')' : '）'}`
      );
    default:
      return w.kind[c.kind];
  }
}
