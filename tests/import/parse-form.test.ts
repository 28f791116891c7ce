/** Grid → data: placing every cell by what it says, and reporting (never dropping) what has no place. */
import { describe, expect, it } from 'vitest';
import { describeRef } from '../../scripts/import/grid.ts';
import { isoDate, parseForm, splitDuties, splitGoals } from '../../scripts/import/parse-form.ts';
import { readTsv } from '../../scripts/import/read-tsv.ts';
import { seedText } from '../helpers.ts';

const parseText = (text: string, pointsTotal = 90) => parseForm(readTsv(text), { pointsTotal });
/** The seed export with line `n` (1-based) replaced. */
const seedWith = (edits: Record<number, string>, insertBefore: Record<number, string[]> = {}): string =>
  seedText()
    .split('\n')
    .flatMap((l, i) => [...(insertBefore[i + 1] ?? []), edits[i + 1] ?? l])
    .join('\n');
const at = (p: ReturnType<typeof parseText>, text: string, code: string): string[] =>
  p.diagnostics.filter((d) => d.code === code).map((d) => (d.at ? describeRef(d.at, text) : '-'));

describe('numbered items', () => {
  it('duties: numbers removed, every other character kept', () => {
    expect(splitDuties('1、甲。2、乙；3、丙')).toEqual(['甲。', '乙；', '丙']);
  });
  it('goals: numbering inside a goal (1、…2、…) does not split it', () => {
    const g = '目标1：目标1（任务）：1、工业运行①、增长8.5%。 2、外贸指标。目标2：全面完成。';
    expect(splitGoals(g)).toEqual(['目标1（任务）：1、工业运行①、增长8.5%。 2、外贸指标。', '全面完成。']);
  });
  it('12、 is not 2、', () => {
    expect(splitDuties('1、第12、13项。2、乙')).toEqual(['第12、13项。', '乙']);
  });
  it('a marker after a sentence end wins over an earlier one inside a sentence', () => {
    expect(splitDuties('1、负责2、3号线。2、检查')).toEqual(['负责2、3号线。', '检查']);
  });
  it('text without a leading 1、 is one item', () => {
    expect(splitDuties('负责全县工业。')).toEqual(['负责全县工业。']);
    expect(splitGoals('全面完成任务。')).toEqual(['全面完成任务。']);
  });
  it.each([
    ['1.甲；2.乙；3.丙', ['甲；', '乙；', '丙']],
    ['1．甲；2．乙', ['甲；', '乙']],
    ['1. 甲\n2. 乙\n3. 丙\n', ['甲', '乙', '丙']],
    ['（1）甲（2）乙（3）丙', ['甲', '乙', '丙']],
    ['(1)甲。(2)乙。', ['甲。', '乙。']],
    ['① 甲；② 乙', ['甲；', '乙']],
    ['一、甲。二、乙。', ['甲。', '乙。']],
    ['（一）甲（二）乙', ['甲', '乙']],
    ['1 、甲 2 、乙', ['甲', '乙']],
  ])('duties numbered %j are split, markers dropped', (text, items) => expect(splitDuties(text)).toEqual(items));
  it('one item per line: no item keeps its line break or spaces', () => {
    expect(splitDuties('1、甲。\r\n2、乙。\r\n3、丙。\n')).toEqual(['甲。', '乙。', '丙。']);
    expect(splitGoals('目标1：甲。\n目标2：乙。\n')).toEqual(['甲。', '乙。']);
  });
  it('a decimal is no marker: 1.5万元, 2.5%', () => {
    expect(splitDuties('1.补贴1.5万元；2.增长2.5%；3.其他')).toEqual(['补贴1.5万元；', '增长2.5%；', '其他']);
    expect(splitDuties('1.5万元补贴发放')).toEqual(['1.5万元补贴发放']);
  });
  it('goals: 目标2: with a half-width colon, 目标一：, and goals numbered like duties', () => {
    expect(splitGoals('目标1:甲;目标2:乙')).toEqual(['甲;', '乙']);
    expect(splitGoals('目标1：甲。目标2:乙。')).toEqual(['甲。', '乙。']);
    expect(splitGoals('目标一：甲。目标二：乙。')).toEqual(['甲。', '乙。']);
    expect(splitGoals('（1）甲（2）乙')).toEqual(['甲', '乙']);
    expect(splitGoals('1.甲。2.乙。')).toEqual(['甲。', '乙。']);
  });
  it('a goal’s own sub-items (1、 1. ① inside 目标1：) stay in it', () => {
    expect(splitGoals('目标1：1.工业运行；2.外贸。目标2：1、完成；2、服务。')).toEqual([
      '1.工业运行；2.外贸。',
      '1、完成；2、服务。',
    ]);
  });
  it('a text starting at a later number (a row of a merged label) loses its marker too', () => {
    expect(splitDuties('（2）乙（3）丙')).toEqual(['乙', '丙']);
    expect(splitDuties('3、丙')).toEqual(['丙']);
    expect(splitDuties('12、第十二项')).toEqual(['第十二项']);
  });
});

describe('values', () => {
  it('dates as printed → ISO', () => {
    expect(['2025.12.8', '2025-12-08', '2025/12/8', '2025年12月8日', ' 2025.1.2 '].map(isoDate)).toEqual([
      '2025-12-08',
      '2025-12-08',
      '2025-12-08',
      '2025-12-08',
      '2025-01-02',
    ]);
    expect(isoDate('12月8日')).toBe('12月8日');
  });
  it('>= and <= typed by people become ≥ ≤; numbers stay as written (8.5, 934.41)', () => {
    const p = parseText(
      seedWith({
        11: '\t产出指标\t数量指标\t新增规模工业企业\t>=\t3\t家\t考核新增规模工业企业情况。\t按计划完成得2分，否则按实际值/计划值*指标分值计分。\t',
        28: '成本指标\t经济成本指标\t部门预算支出金额\t<=\t934.41\t万元\t考核部门预算支出的控制情况。\t部门预算总额控制在总成本范围内，得20分，每超出1%，扣2分。\t\t',
      }),
    );
    const inds = p.data.indicators;
    expect(inds[0]!.type).toBe('≥');
    expect(inds[17]!.type).toBe('≤');
    expect(inds[17]!.value).toBe(934.41);
    expect(inds[9]!.value).toBe(8.5);
  });
  it('a quantitative value holding its unit is split (8.5% → 8.5 and %); one that is no number stays text', () => {
    const row20 = (value: string): string =>
      `\t质量指标\t规模工业增加值增速\t≥\t${value}\t\t考核规模工业增加值增速情况。\t按计划完成得2分，否则按实际值/计划值*指标分值计分。\t\t`;
    const split = parseText(seedWith({ 20: row20('8.5%') }));
    expect([split.data.indicators[9]!.value, split.data.indicators[9]!.unit]).toEqual([8.5, '%']);
    expect(split.diagnostics).toEqual([]);
    const text = parseText(seedWith({ 20: row20('约8.5%') }));
    expect(text.data.indicators[9]!.value).toBe('约8.5%');
    expect(text.data.indicators[9]!.unit).toBeUndefined();
  });
});

describe('the seed export’s drifting columns', () => {
  const p = parseText(seedText());
  it('18 indicators with their 一级/二级 carried down merged runs', () => {
    expect(p.data.indicators.map((i) => `${i.level1}/${i.level2}`)).toEqual([
      ...Array<string>(9).fill('产出指标/数量指标'),
      '产出指标/质量指标',
      '产出指标/时效指标',
      ...Array<string>(3).fill('效益指标/经济效益指标'),
      '效益指标/社会效益指标',
      '效益指标/可持续影响指标',
      '满意度指标/服务对象满意度指标',
      '成本指标/经济成本指标',
    ]);
  });
  it('rows shifted left keep value, unit, explanation and scoring apart', () => {
    const social = p.data.indicators[14]!;
    expect([social.type, social.value, social.unit, social.explanation]).toEqual([
      '定性',
      '效果明显',
      undefined,
      '考核工作实施对社会效益所带来的直接或间接影响情况。',
    ]);
    const cost = p.data.indicators[17]!;
    expect([cost.name, cost.value, cost.unit]).toEqual(['部门预算支出金额', 934.41, '万元']);
  });
  it('the 说明 block is the template’s, not data: nothing unplaced, no diagnostics', () => {
    expect(p.unplaced).toEqual([]);
    expect(p.diagnostics).toEqual([]);
  });
});

describe('nothing is dropped silently', () => {
  it('an extra cell in an indicator row goes to its note, reported at line:col', () => {
    const text = seedWith({
      12: '\t\t\t新增省级专精特新小巨人企业\t≥\t1\t家\t考核新增省级专精特新小巨人企业情况。\t按计划完成得2分，否则按实际值/计划值*指标分值计分。\t已备案\t另附清单',
    });
    const p = parseText(text);
    expect(p.data.indicators[1]!.note).toBe('已备案；另附清单');
    const line = text.split('\n')[11]!;
    expect(at(p, text, 'IMPORT_UNPLACED')).toEqual([`12:${[...line.slice(0, line.lastIndexOf('\t') + 1)].length + 1}`]);
  });
  it('stray rows outside the table are kept as comments with their position', () => {
    const text = seedWith({ 1: '附件2', 6: '单位：万元' });
    const p = parseText(text);
    expect(p.unplaced.map((u) => [u.where, u.text])).toEqual([
      ['1:1', '附件2'],
      ['6:1', '单位：万元'],
    ]);
    expect(at(p, text, 'IMPORT_UNPLACED')).toEqual(['1:1', '6:1']);
    expect(p.data.indicators).toHaveLength(18);
  });
  it('a row in the table without a 指标类型 is kept aside, not taken for an indicator', () => {
    const text = seedWith({}, { 29: ['合计\t\t\t\t\t\t\t\t90\t'] });
    const p = parseText(text);
    expect(p.data.indicators).toHaveLength(18);
    expect(p.unplaced.map((u) => u.text)).toEqual(['合计', '90']);
  });
});

describe('missing parts are errors where they would be', () => {
  it('not a form: IMPORT_NO_TITLE', () => {
    const p = parseText('姓名\t电话\n张三\t123\n');
    expect(p.diagnostics.map((d) => d.code)).toEqual(['IMPORT_NO_TITLE']);
  });
  it('a project’s 项目支出绩效目标表 is not this form; a local variant of the title is', () => {
    expect(parseText(seedWith({ 3: '项目支出绩效目标表' })).diagnostics.map((d) => d.code)).toEqual([
      'IMPORT_NO_TITLE',
    ]);
    const p = parseText(seedWith({ 3: '部门整体支出绩效目标申报表' }));
    expect(p.diagnostics).toEqual([]);
    expect(p.data.indicators).toHaveLength(18);
  });
  it('a CSV export reads like the tab-separated one', () => {
    const csv = seedText()
      .split('\n')
      .map((l) =>
        l
          .split('\t')
          .map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
          .join(','),
      )
      .join('\n');
    expect(parseText(csv).data).toEqual(parseText(seedText()).data);
  });
  it('no year line: titleYear is undefined (the command then asks for --year)', () => {
    expect(parseText(seedWith({ 5: '' })).titleYear).toBeUndefined();
  });
  it('a missing name, a missing 一级 and a missing signature are each reported', () => {
    const text = seedWith({
      7: '部门（单位）名称\t\t\t',
      11: '\t\t数量指标\t新增规模工业企业\t≥\t3\t家\t考核新增规模工业企业情况。\t按计划完成得2分，否则按实际值/计划值*指标分值计分。\t',
      32: '',
    });
    const p = parseText(text);
    const what = p.diagnostics.filter((d) => d.code === 'IMPORT_MISSING').map((d) => d.args.what);
    expect(what).toEqual(['部门（单位）名称', '一级指标', '填表人', '联系电话', '填报日期', '单位负责人签字']);
    expect(p.data.signoff.preparer).toBe('');
  });
});

describe('points the sentence does not state', () => {
  const pass = '完成率小于60%不得分；大于等于60%的，得分=（实际完成率-60%）/（1-60%）×指标分值。';
  const row11 = `\t产出指标\t数量指标\t新增规模工业企业\t≥\t3\t家\t考核新增规模工业企业情况。\t${pass}\t`;
  it('one such indicator: what the total leaves, with a warning', () => {
    const text = seedWith({ 11: row11 });
    const p = parseText(text);
    expect(p.data.indicators[0]!.scoring).toEqual({ kind: 'ratio', points: 2, pass_rate: 0.6 });
    expect(at(p, text, 'IMPORT_POINTS_INFERRED')).toHaveLength(1);
  });
  it('two: each is an error (0 written)', () => {
    const text = seedWith({ 11: row11, 12: row11.replace('新增规模工业企业', '另一个') });
    const p = parseText(text);
    expect(at(p, text, 'IMPORT_NO_POINTS')).toHaveLength(2);
    expect(p.data.indicators[0]!.scoring.points).toBe(0);
  });
  it('a 分值 column in the header supplies them', () => {
    const lines = seedText().split('\n');
    const text = lines
      .map((l, i) => (i === 9 ? `${l}\t分值` : i === 10 ? `${row11.replace(/\t$/, '')}\t\t2` : l))
      .join('\n');
    const p = parseText(text);
    expect(p.data.indicators[0]!.scoring.points).toBe(2);
    expect(p.diagnostics).toEqual([]);
  });
});

describe('the footer in other shapes', () => {
  it('label and date in one cell; signature split over cells; dates written 年月日', () => {
    const text = seedWith({
      29: '业务股室审核：2025.12.14',
      30: '绩效股室审核：\t\t2025年12月15日',
      32: '填表人：\t吴红霞\t联系电话：13789290210\t填报日期：2025-12-08\t单位负责人签字：补红岩',
    });
    const p = parseText(text);
    expect(p.data.signoff).toEqual({
      business_review: '2025-12-14',
      performance_review: '2025-12-15',
      preparer: '吴红霞',
      phone: '13789290210',
      filed: '2025-12-08',
      head: '补红岩',
    });
    expect(p.diagnostics).toEqual([]);
  });
});

describe('a table without its header row', () => {
  it('rows are read by their 指标类型 cell alone, and that is said once', () => {
    const text = seedText()
      .split('\n')
      .filter((l) => !l.startsWith('绩效指标\t'))
      .join('\n');
    const p = parseText(text);
    expect(p.diagnostics.map((d) => [d.code, describeRef(d.at!, text)])).toEqual([['IMPORT_NO_HEADER', '10:2']]);
    expect(p.data).toEqual(parseText(seedText()).data);
  });
});

describe('the 说明 block', () => {
  it('the template’s lines are skipped however they are bulleted; a line of the department’s own is kept', () => {
    const text = seedText().replace('- 直接赋分。', '1. 直接赋分。').replace(/\n*$/, '\n\n本表由财务股汇总后报送。\n');
    const p = parseText(text);
    expect(p.unplaced.map((u) => u.text)).toEqual(['本表由财务股汇总后报送。']);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['IMPORT_UNPLACED']);
  });
});
