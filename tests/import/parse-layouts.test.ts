/**
 * Layouts other than the reference, read by meaning: other wordings and column orders, required marks,
 * targets written 定量 + `≥120`, a separate 分值 column, rows that are not whole, a 填报单位 line, unknown
 * columns, two-row headers, section rows. Each checked field by field, and nothing lost.
 */
import { describe, expect, it } from 'vitest';
import { parseForm, type ParseOptions } from '../../scripts/import/parse-form.ts';
import { readTsv } from '../../scripts/import/read-tsv.ts';
import { addr, expectAllKept, found, gridOf } from './_grid.ts';

const opts: ParseOptions = { pointsTotal: 90 };
const FOOTER = [
  '业务股室审核：\t2025.12.14',
  '绩效股室审核：\t2025.12.14',
  '填表人：张三 联系电话：13700000000 填报日期：2025.12.8 单位负责人签字：李四',
];
const FOOTER_LABELS = ['业务股室审核：', '绩效股室审核：'];
const ratio = (p: number): string => `按计划完成得${p}分，否则按实际值/计划值*指标分值计分。`;

/** The issue's workbook: required marks, 指标性质/度量单位, and 分值 between 单位 and 解释. */
const ISSUE = [
  '2025年度部门整体支出绩效目标表',
  '填报单位：某县商务局\t\t\t\t\t\t金额单位：万元',
  '*部门（单位）名称\t某县商务局',
  '*部门职责\t1、负责商务。2、负责招商。',
  '*年度绩效目标\t目标1：完成任务。目标2：服务企业。',
  '一级指标\t二级指标\t三级指标\t指标性质\t*指标值\t度量单位\t分值\t*指标解释\t*评（扣）分标准\t备注',
  `产出指标\t数量指标\t新增企业\t定量\t≥3\t家\t10\t考核新增企业情况。\t${ratio(10)}\t`,
  `\t\t培训人次\t定量\t≥120\t人次\t10\t考核培训情况。\t${ratio(10)}`,
  '\t质量指标\t验收合格率\t定量\t=100%\t%\t10\t考核验收情况。\t达到目标得10分，否则不得分。',
  '\t时效指标\t完成时间\t定性\t2026年12月31日前\t\t10\t考核完成时间。\t2026年12月31日前完成，得10分，每推迟10天扣1分，扣完为止。',
  `效益指标\t社会效益指标\t带动就业\t定量\t不少于50人\t人\t10\t考核就业情况。\t${ratio(10)}`,
  '\t可持续影响指标\t长效机制\t定性\t效果明显\t\t10\t考核机制情况。\t效果明显得10分，效果一般得5分，否则不得分。',
  '满意度指标\t服务对象满意度指标\t企业满意度\t定量\t≥90%\t%\t10\t考核满意度。\t满意度大于等于90%的得10分，满意度大于等于80%的得8分，否则不得分。',
  '成本指标\t经济成本指标\t预算支出\t定量\t1286.5\t万元\t20\t考核预算控制情况。\t部门预算总额控制在总成本范围内，得20分，每超出1%，扣2分。',
  ...FOOTER,
];
const ISSUE_LABELS = [
  '2025年度部门整体支出绩效目标表',
  ...'一级指标 二级指标 三级指标 指标性质 *指标值 度量单位 分值 *指标解释 *评（扣）分标准 备注'.split(' '),
  '*部门（单位）名称',
  '*部门职责',
  '*年度绩效目标',
  '填报单位',
  ...FOOTER_LABELS,
];

describe('the issue’s layout: other wordings, required marks, 分值 between 单位 and 解释', () => {
  const grid = gridOf(ISSUE);
  const p = parseForm(grid, opts);
  const inds = p.data.indicators;

  it('labels with required marks give the name, duties and goals', () => {
    expect(p.titleYear).toBe(2025);
    expect(p.data.department.name).toBe('某县商务局');
    expect(p.data.duties).toEqual(['负责商务。', '负责招商。']);
    expect(p.data.goals).toEqual(['完成任务。', '服务企业。']);
  });
  it('all 8 indicators, levels continuing merged runs', () => {
    expect(inds.map((i) => [i.level1, i.level2, i.name])).toEqual([
      ['产出指标', '数量指标', '新增企业'],
      ['产出指标', '数量指标', '培训人次'],
      ['产出指标', '质量指标', '验收合格率'],
      ['产出指标', '时效指标', '完成时间'],
      ['效益指标', '社会效益指标', '带动就业'],
      ['效益指标', '可持续影响指标', '长效机制'],
      ['满意度指标', '服务对象满意度指标', '企业满意度'],
      ['成本指标', '经济成本指标', '预算支出'],
    ]);
  });
  it('targets split into type, value and unit', () => {
    expect(inds.map((i) => [i.type, i.value, i.unit])).toEqual([
      ['≥', 3, '家'],
      ['≥', 120, '人次'],
      ['=', 100, '%'],
      ['定性', '2026年12月31日前', undefined],
      ['≥', 50, '人'],
      ['定性', '效果明显', undefined],
      ['≥', 90, '%'],
      ['≤', 1286.5, '万元'],
    ]);
  });
  it('分值 is not read as 指标解释, nor 指标解释 as the scoring sentence', () => {
    expect(inds.map((i) => i.explanation)).toEqual([
      '考核新增企业情况。',
      '考核培训情况。',
      '考核验收情况。',
      '考核完成时间。',
      '考核就业情况。',
      '考核机制情况。',
      '考核满意度。',
      '考核预算控制情况。',
    ]);
    expect(inds.map((i) => [i.scoring.kind, i.scoring.points])).toEqual([
      ['ratio', 10],
      ['ratio', 10],
      ['direct', 10],
      ['deadline', 10],
      ['ratio', 10],
      ['grades', 10],
      ['bands', 10],
      ['overrun', 20],
    ]);
    expect(inds.every((i) => i.note === undefined)).toBe(true);
  });
  it('only the guessed comparator (at the value cell) and the 金额单位 line are reported', () => {
    expect(found(p)).toEqual([['IMPORT_COMPARATOR_GUESSED', 'E14']]);
    expect(p.diagnostics.find((d) => d.code === 'IMPORT_COMPARATOR_GUESSED')!.args).toMatchObject({
      guessed: '≤',
      why: 'cost',
    });
    expect(p.unplaced.map((u) => [u.where, u.text])).toEqual([['Sheet1!G2', '金额单位：万元']]);
  });
  it('nothing lost', () => expectAllKept(grid, p, ISSUE_LABELS));
  it('(the check fails when a text is lost: a comment dropped, a note emptied)', () => {
    expect(() => expectAllKept(grid, { ...p, unplaced: [] }, ISSUE_LABELS)).toThrow(/G2 金额单位：万元/);
    const lost = structuredClone(p.data);
    lost.indicators[1]!.explanation = '';
    expect(() => expectAllKept(grid, { ...p, data: lost }, ISSUE_LABELS)).toThrow(/H8 考核培训情况/);
  });
});

describe('a published tab-separated export with 指标值类型 and 定量 rows', () => {
  const text = [
    '部门整体绩效目标表',
    '（2025）年度',
    '单位名称：\t某局',
    '主要职能\t负责。',
    '年度总体绩效目标\t完成。',
    '一级指标\t二级指标\t指标名称\t指标值类型\t年度指标值\t计量单位\t指标说明\t评分标准\t备注',
    `产出指标\t数量指标\t甲\t定量\t>=120\t个\t说明甲\t${ratio(15)}\t`,
    `\t\t乙\t定量\t不低于95%\t\t说明乙\t${ratio(15)}\t`,
    `\t质量指标\t丙\t定量\t≥ 98 %\t%\t说明丙\t${ratio(15)}\t`,
    `效益指标\t社会效益指标\t丁\t定量\t28.8万元\t万元\t说明丁\t${ratio(15)}\t`,
    `满意度指标\t服务对象满意度指标\t戊\t定量\t≥90%\t%\t说明戊\t${ratio(15)}\t`,
    `成本指标\t经济成本指标\t己\t定量\t≤1.50\t万元\t说明己\t${ratio(15)}\t`,
    ...FOOTER,
  ].join('\n');
  const p = parseForm(readTsv(text), opts);
  it('6 of 6 indicators, each target split', () => {
    expect(p.data.department.name).toBe('某局');
    expect(p.data.duties).toEqual(['负责。']);
    expect(p.data.goals).toEqual(['完成。']);
    expect(p.data.indicators.map((i) => [i.name, i.type, i.value, i.unit, i.explanation])).toEqual([
      ['甲', '≥', 120, '个', '说明甲'],
      ['乙', '≥', 95, '%', '说明乙'],
      ['丙', '≥', 98, '%', '说明丙'],
      ['丁', '≥', 28.8, '万元', '说明丁'],
      ['戊', '≥', 90, '%', '说明戊'],
      ['己', '≤', 1.5, '万元', '说明己'],
    ]);
    expect(p.numberTexts?.get('/indicators/5/value')).toBe('1.50');
  });
  it('the guess for 28.8万元 is reported at its line:column', () => {
    expect(p.diagnostics.map((d) => d.code)).toEqual(['IMPORT_COMPARATOR_GUESSED']);
    const at = p.diagnostics[0]!.at!;
    expect(at.kind === 'text' && text.slice(at.start, at.end)).toBe('28.8万元');
  });
});

/** A small form around indicator rows, for the tests below. */
const form = (header: string, rows: string[], head: string[] = []): string[] => [
  '部门（单位）整体绩效目标表',
  '（2025）年度',
  ...head,
  '部门（单位）名称\t某局',
  '部门（单位）职责\t负责。',
  '年度总体目标\t完成。',
  header,
  ...rows,
  ...FOOTER,
];
const HEADER = '一级指标\t二级指标\t三级指标\t指标类型\t指标值\t计量单位\t分值\t指标解释\t评（扣）分标准\t备注';
const LABELS = [
  '部门（单位）整体绩效目标表',
  '（2025）年度',
  '部门（单位）名称',
  '部门（单位）职责',
  '年度总体目标',
  ...HEADER.split('\t'),
  ...FOOTER_LABELS,
];

describe('targets and units', () => {
  it('a 定量 value without comparator: ≥ guessed outside costs, with a warning at the value cell', () => {
    const p = parseForm(gridOf(form(HEADER, [`产出指标\t数量指标\t甲\t定量\t120\t个\t90\t解释\t${ratio(90)}`])), opts);
    expect([p.data.indicators[0]!.type, p.data.indicators[0]!.value]).toEqual(['≥', 120]);
    expect(found(p)).toEqual([['IMPORT_COMPARATOR_GUESSED', 'E7']]);
    expect(p.diagnostics[0]!.args).toMatchObject({ guessed: '≥', why: 'default', value: '120' });
  });
  it('a numeric workbook cell under 定量 is the number (no text to parse), the comparator guessed', () => {
    const rows = form(HEADER, []);
    const grid = gridOf([
      ...rows.slice(0, 6),
      ['产出指标', '数量指标', '甲', '定量', 120, '个', 90, '解释', ratio(90)],
    ]);
    const p = parseForm(grid, opts);
    expect([p.data.indicators[0]!.type, p.data.indicators[0]!.value, p.data.indicators[0]!.unit]).toEqual([
      '≥',
      120,
      '个',
    ]);
  });
  it('a unit in the value that disagrees with the unit column: warned at the value, both kept', () => {
    const grid = gridOf(form(HEADER, [`产出指标\t数量指标\t甲\t定量\t≥120件\t个\t90\t解释\t${ratio(90)}`]));
    const p = parseForm(grid, opts);
    const i = p.data.indicators[0]!;
    expect([i.type, i.value, i.unit, i.note]).toEqual(['≥', 120, '个', '指标值原文：≥120件']);
    expect(found(p)).toEqual([['IMPORT_UNIT_CONFLICT', 'E7']]);
    expect(p.diagnostics[0]!.args).toEqual({ inValue: '件', inColumn: '个' });
    expectAllKept(grid, p, LABELS);
  });
  it('a comparator in the value that disagrees with the type column: the column wins, warned', () => {
    const grid = gridOf(form(HEADER, [`产出指标\t数量指标\t甲\t≥\t≤120\t个\t90\t解释\t${ratio(90)}`]));
    const p = parseForm(grid, opts);
    expect([p.data.indicators[0]!.type, p.data.indicators[0]!.note]).toEqual(['≥', '指标值原文：≤120']);
    expect(found(p)).toEqual([['IMPORT_COMPARATOR_CONFLICT', 'E7']]);
  });
  it('定量 with a value that is no number becomes 定性, warned', () => {
    const grid = gridOf(form(HEADER, [`产出指标\t时效指标\t甲\t定量\t年底前\t\t90\t解释\t${ratio(90)}`]));
    const p = parseForm(grid, opts);
    expect([p.data.indicators[0]!.type, p.data.indicators[0]!.value]).toEqual(['定性', '年底前']);
    expect(found(p)).toEqual([['IMPORT_COMPARATOR_GUESSED', 'E7']]);
    expect(p.diagnostics[0]!.args).toMatchObject({ guessed: '定性', why: 'text' });
  });
  it('a table without a type column: the value says (≥120, 效果明显), a bare number is guessed', () => {
    const header = '一级指标\t二级指标\t三级指标\t指标值\t计量单位\t分值\t指标解释\t评分标准';
    const grid = gridOf(
      form(header, [
        `产出指标\t数量指标\t甲\t≥120\t个\t30\t解释\t${ratio(30)}`,
        '\t\t乙\t效果明显\t\t30\t解释\t效果明显得30分，否则不得分。',
        `成本指标\t经济成本指标\t丙\t50\t万元\t30\t解释\t${ratio(30)}`,
      ]),
    );
    const p = parseForm(grid, opts);
    expect(p.data.indicators.map((i) => [i.type, i.value, i.unit])).toEqual([
      ['≥', 120, '个'],
      ['定性', '效果明显', undefined],
      ['≤', 50, '万元'],
    ]);
    expect(found(p)).toEqual([['IMPORT_COMPARATOR_GUESSED', 'D9']]);
  });
});

describe('the 分值 column', () => {
  it('gives the points of a sentence that states none (kept as text with them)', () => {
    const grid = gridOf(form(HEADER, ['产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t按完成比例计分。']));
    const p = parseForm(grid, opts);
    expect(p.data.indicators[0]!.scoring).toEqual({ kind: 'text', points: 90, text: '按完成比例计分。' });
    expect(found(p)).toEqual([]);
  });
  it('completes the pass-mark sentence (no points in it) as a ratio rule', () => {
    const pass = '完成率小于60%不得分；大于等于60%的，得分=（实际完成率-60%）/（1-60%）×指标分值。';
    const p = parseForm(gridOf(form(HEADER, [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${pass}`])), opts);
    expect(p.data.indicators[0]!.scoring).toEqual({ kind: 'ratio', points: 90, pass_rate: 0.6 });
    expect(found(p)).toEqual([]);
  });
  it('wins over a sentence stating other points: the sentence kept as text, warned at the 分值 cell', () => {
    const grid = gridOf(form(HEADER, [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(80)}`]));
    const p = parseForm(grid, opts);
    expect(p.data.indicators[0]!.scoring).toEqual({ kind: 'text', points: 90, text: ratio(80) });
    expect(found(p)).toEqual([['IMPORT_POINTS_CONFLICT', 'G7']]);
    expect(p.diagnostics[0]!.args).toEqual({ column: 90, sentence: 80 });
  });
});

describe('county wordings: 考核内容, 标准分, 权重（%）, 绩效指标值, 评分细则, bracketed hints', () => {
  const header = '一级指标\t二级指标\t考核内容\t权重（%）\t指标类型\t绩效指标值\t计量（单位）\t指标解释\t评分细则';
  it('each heading names its column, read field by field', () => {
    const grid = gridOf(form(header, [`产出指标\t数量指标\t甲\t90\t≥\t3\t个\t解释甲\t${ratio(90)}`]));
    const p = parseForm(grid, opts);
    const i = p.data.indicators[0]!;
    expect([i.level1, i.level2, i.name, i.type, i.value, i.unit, i.explanation]).toEqual([
      '产出指标',
      '数量指标',
      '甲',
      '≥',
      3,
      '个',
      '解释甲',
    ]);
    expect(i.scoring).toEqual({ kind: 'ratio', points: 90 });
    expect(p.diagnostics).toEqual([]);
  });
  it('标准分 and 三级指标（指标名称） too', () => {
    const h = '一级指标\t二级指标\t三级指标（指标名称）\t指标类型\t指标值\t计量单位\t标准分\t指标解释\t评分标准';
    const p = parseForm(gridOf(form(h, ['产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t按完成比例计分。'])), opts);
    expect(p.data.indicators.map((i) => [i.name, i.value, i.scoring.points])).toEqual([['甲', 3, 90]]);
    expect(p.diagnostics).toEqual([]);
  });
  it('a missing name is reported at the name column, not at the 权重 column beside the type', () => {
    const grid = gridOf(form(header, [`产出指标\t数量指标\t\t90\t≥\t3\t个\t解释\t${ratio(90)}`]));
    expect(found(parseForm(grid, opts))).toEqual([['IMPORT_MISSING', 'C7']]);
  });
  it('under a heading no synonym knows, the missing name is reported in that column', () => {
    const h = header.replace('考核内容', '工作事项');
    const grid = gridOf(form(h, [`产出指标\t数量指标\t\t90\t≥\t3\t个\t解释\t${ratio(90)}`]));
    expect(found(parseForm(grid, opts), 'IMPORT_MISSING')).toEqual([['IMPORT_MISSING', 'C7']]);
  });
  it('with no column left for the name, the row is named (its first cell), not a neighbour', () => {
    const h = '一级指标\t二级指标\t权重\t指标类型\t指标值\t计量单位\t指标解释\t评分标准';
    const grid = gridOf(form(h, [`产出指标\t数量指标\t90\t≥\t3\t个\t解释\t${ratio(90)}`]));
    expect(found(parseForm(grid, opts), 'IMPORT_MISSING')).toEqual([['IMPORT_MISSING', 'A7']]);
  });
});

describe('labels merged down several rows, one duty or goal per row', () => {
  const body = [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(90)}`];
  const rows = (labels: string[]): string[] => [
    '部门（单位）整体绩效目标表',
    '（2025）年度',
    '部门（单位）名称\t某局',
    ...labels,
    HEADER,
    ...body,
    ...FOOTER,
  ];
  it('every row under a merged 部门职责 or 年度目标 is one of its items, numbering dropped', () => {
    const grid = gridOf(
      rows(['部门职责\t（1）负责甲；', '\t（2）负责乙；', '\t（3）负责丙。', '年度目标\t1.完成甲。', '\t2.完成乙。']),
    );
    const p = parseForm(grid, opts);
    expect(p.data.duties).toEqual(['负责甲；', '负责乙；', '负责丙。']);
    expect(p.data.goals).toEqual(['完成甲。', '完成乙。']);
    expect(p.data.indicators.map((i) => i.name)).toEqual(['甲']);
    expect(p.diagnostics).toEqual([]);
    expect(p.unplaced).toEqual([]);
    const src = (k: string): string[] =>
      p.sources.filter((x) => x.path[0] === k).map((x) => (x.ref.kind === 'cell' ? x.ref.address : ''));
    expect([src('duties'), src('goals')]).toEqual([
      ['B4', 'B5', 'B6'],
      ['B7', 'B8'],
    ]);
  });
  it('a row holding several numbered items is split too, each row on its own numbering', () => {
    const grid = gridOf(rows(['部门职责\t1、负责甲；2、负责乙。', '\t3、负责丙；4、负责丁。', '年度目标\t完成。']));
    const p = parseForm(grid, opts);
    expect(p.data.duties).toEqual(['负责甲；', '负责乙。', '负责丙；', '负责丁。']);
    expect(p.data.goals).toEqual(['完成。']);
  });
  it('a merged label whose first row is empty takes the rows below, and is not reported missing', () => {
    const grid = gridOf(rows(['部门职责', '\t①负责甲', '\t②负责乙', '年度目标\t完成。']));
    const p = parseForm(grid, opts);
    expect(p.data.duties).toEqual(['负责甲', '负责乙']);
    expect(found(p)).toEqual([]);
  });
  it('a row with its own label, or text in another column, is not the label’s', () => {
    const grid = gridOf(rows(['部门职责\t负责甲。', '\t\t金额单位：万元', '年度目标\t完成。']));
    const p = parseForm(grid, opts);
    expect([p.data.duties, p.data.goals]).toEqual([['负责甲。'], ['完成。']]);
    expect(p.unplaced.map((u) => [u.where, u.text])).toEqual([['Sheet1!C5', '金额单位：万元']]);
  });
});

describe('a 合计 row and a signoff reported missing once', () => {
  const total = (row: string): string[] =>
    form(HEADER, [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(90)}`, row]);
  it('合计 in the 一级 column, its number in the 分值 column: the total, kept without a warning', () => {
    const p = parseForm(gridOf(total('合计\t\t\t\t\t\t90')), opts);
    expect(p.data.indicators.map((i) => [i.name, i.scoring.points])).toEqual([['甲', 90]]);
    expect(p.diagnostics).toEqual([]);
    expect(p.unplaced.map((u) => [u.where, u.text])).toEqual([
      ['Sheet1!A8', '合计'],
      ['Sheet1!G8', '90'],
    ]);
  });
  it('a total that differs: one IMPORT_TOTAL_MISMATCH at its number, nothing else', () => {
    const p = parseForm(gridOf(total('合 计\t\t\t\t\t\t80分')), opts);
    expect(p.diagnostics.map((d) => [d.code, addr(d)])).toEqual([['IMPORT_TOTAL_MISMATCH', 'G8']]);
    expect(p.diagnostics[0]!.args).toEqual({ stated: 80, sum: 90 });
  });
  it('other text in a 合计 row is still reported where it is', () => {
    const p = parseForm(gridOf(total('合计\t\t\t\t\t\t90\t\t\t另附说明')), opts);
    expect(p.diagnostics.map((d) => [d.code, addr(d), d.args.text])).toEqual([['IMPORT_UNPLACED', 'J8', '另附说明']]);
  });
  it('signoff labels without values, two in one cell: each missing at the cell, each listed as missing', () => {
    const rows = form(HEADER, [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(90)}`]);
    rows[rows.length - 1] = '填表人：张三 联系电话： 填报日期： 单位负责人签字：李四';
    const p = parseForm(gridOf(rows), opts);
    expect(p.diagnostics.map((d) => [d.code, addr(d), d.args.what])).toEqual([
      ['IMPORT_MISSING', 'A10', '联系电话'],
      ['IMPORT_MISSING', 'A10', '填报日期'],
    ]);
    expect([p.data.signoff.phone, p.data.signoff.filed, p.data.signoff.head]).toEqual(['', '', '李四']);
    expect(p.missing).toEqual([
      ['signoff', 'phone'],
      ['signoff', 'filed'],
    ]);
  });
});

describe('sentences beside a 分值 column: deductions are no points, per-percent rules read', () => {
  it('扣N分 is not the points; 得满分，每降低1个百分点扣0.5分 is shortfall with the column’s points', () => {
    const grid = gridOf(
      form(HEADER, [
        '产出指标\t时效指标\t甲\t定性\t年底前\t\t80\t解释\t按时完成，每推迟1天扣3分，扣完为止。',
        '满意度指标\t服务对象满意度指标\t乙\t≥\t90\t%\t10\t解释\t满意度≥90%得满分，每降低1个百分点扣0.5分',
      ]),
    );
    const p = parseForm(grid, opts);
    expect(p.data.indicators.map((i) => i.scoring)).toEqual([
      { kind: 'text', points: 80, text: '按时完成，每推迟1天扣3分，扣完为止。' },
      {
        kind: 'shortfall',
        points: 10,
        every_percent: 1,
        deduct: 0.5,
        text: '满意度≥90%得满分，每降低1个百分点扣0.5分',
      },
    ]);
    expect(p.diagnostics).toEqual([]);
  });
});

describe('rows that are not whole', () => {
  it('a row without a name is kept, with an error at the name cell', () => {
    const grid = gridOf(
      form(HEADER, [
        `产出指标\t数量指标\t甲\t≥\t3\t个\t45\t解释甲\t${ratio(45)}`,
        `\t\t\t≥\t4\t个\t45\t解释乙\t${ratio(45)}`,
      ]),
    );
    const p = parseForm(grid, opts);
    expect(p.data.indicators.map((i) => [i.name, i.value, i.explanation])).toEqual([
      ['甲', 3, '解释甲'],
      ['', 4, '解释乙'],
    ]);
    expect(found(p)).toEqual([['IMPORT_MISSING', 'C8']]);
  });
  it('text alone in the 指标解释 or 评分 column continues the indicator above, warned there', () => {
    const grid = gridOf(
      form(HEADER, [
        `产出指标\t数量指标\t甲\t≥\t3\t个\t45\t考核新增企业\t按计划完成得45分，`,
        '\t\t\t\t\t\t\t情况。\t否则按实际值/计划值*指标分值计分。',
        `\t\t乙\t≥\t4\t个\t45\t解释乙\t${ratio(45)}`,
      ]),
    );
    const p = parseForm(grid, opts);
    expect(p.data.indicators).toHaveLength(2);
    expect(p.data.indicators[0]!.explanation).toBe('考核新增企业情况。');
    expect(p.data.indicators[0]!.scoring).toEqual({ kind: 'ratio', points: 45 });
    expect(found(p)).toEqual([
      ['IMPORT_CONTINUATION', 'H8'],
      ['IMPORT_CONTINUATION', 'I8'],
    ]);
    expect(p.diagnostics[0]!.args).toEqual({ field: '指标解释', name: '甲' });
  });
  it('a continued empty sentence is no longer reported missing', () => {
    const grid = gridOf(form(HEADER, [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t`, `\t\t\t\t\t\t\t\t${ratio(90)}`]));
    const p = parseForm(grid, opts);
    expect(p.data.indicators[0]!.scoring).toEqual({ kind: 'ratio', points: 90 });
    expect(found(p)).toEqual([['IMPORT_CONTINUATION', 'I8']]);
  });
  it('a 合计 row is no indicator; its points are compared with the sum', () => {
    const rows = [
      `产出指标\t数量指标\t甲\t≥\t3\t个\t45\t解释\t${ratio(45)}`,
      `\t\t乙\t≥\t4\t个\t45\t解释\t${ratio(45)}`,
    ];
    const same = parseForm(gridOf(form(HEADER, [...rows, '合计\t\t\t\t\t\t90\t\t'])), opts);
    expect(same.data.indicators).toHaveLength(2);
    expect(found(same)).toEqual([]);
    expect(same.unplaced.map((u) => u.text)).toEqual(['合计', '90']);
    const other = parseForm(gridOf(form(HEADER, [...rows, '合  计\t\t\t\t\t\t100\t\t'])), opts);
    expect(found(other)).toEqual([['IMPORT_TOTAL_MISMATCH', 'G9']]);
    expect(other.diagnostics.find((d) => d.code === 'IMPORT_TOTAL_MISMATCH')!.args).toEqual({ stated: 100, sum: 90 });
  });
  it('a section row names the 一级/二级 of the rows below it', () => {
    const grid = gridOf(
      form(HEADER, [
        '产出指标\t数量指标',
        `\t\t甲\t≥\t3\t个\t45\t解释\t${ratio(45)}`,
        '效益指标',
        `\t社会效益指标\t乙\t定性\t明显\t\t45\t解释\t明显得45分，否则不得分。`,
      ]),
    );
    const p = parseForm(grid, opts);
    expect(p.data.indicators.map((i) => [i.level1, i.level2, i.name])).toEqual([
      ['产出指标', '数量指标', '甲'],
      ['效益指标', '社会效益指标', '乙'],
    ]);
    expect(found(p)).toEqual([]);
    expect(p.unplaced).toEqual([]);
  });
});

describe('the lines around the table', () => {
  it('填报单位 names the department only where no name row does, with a warning', () => {
    const rows = form(
      HEADER,
      [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(90)}`],
      ['填报单位：某局    单位：万元'],
    );
    const grid = gridOf(rows.filter((r) => !r.startsWith('部门（单位）名称')));
    const p = parseForm(grid, opts);
    expect(p.data.department.name).toBe('某局');
    expect(found(p)).toEqual([['IMPORT_NAME_FROM_FILER', 'A3']]);
    expect(p.unplaced.map((u) => u.text)).toEqual(['单位：万元']);
    expectAllKept(grid, p, [...LABELS, '填报单位']);
  });
  it('a 填报单位 other than the name row is kept as a comment; the same name is simply placed', () => {
    const row = `产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(90)}`;
    const other = parseForm(gridOf(form(HEADER, [row], ['填报单位（盖章）：\t某局办公室'])), opts);
    expect(other.data.department.name).toBe('某局');
    expect(other.unplaced.map((u) => [u.where, u.text])).toEqual([['Sheet1!B3', '填报单位（盖章）：某局办公室']]);
    const same = parseForm(gridOf(form(HEADER, [row], ['填报单位：某局'])), opts);
    expect(same.unplaced).toEqual([]);
    expect(same.diagnostics).toEqual([]);
  });
  it('a 填报日期 on the 填报单位 line goes to the signoff, not to the table', () => {
    const rows = form(
      HEADER,
      [`产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(90)}`],
      ['填报单位：某局\t填报日期：2025.12.1'],
    );
    const p = parseForm(
      gridOf(rows.slice(0, -1).concat('填表人：张三 联系电话：13700000000 单位负责人签字：李四')),
      opts,
    );
    expect(p.data.signoff.filed).toBe('2025-12-01');
    expect(p.data.indicators).toHaveLength(1);
    expect(found(p)).toEqual([]);
  });
});

describe('headers', () => {
  it('an unknown column is reported once at its heading; its cells go to the note', () => {
    const header = `${HEADER}\t责任科室`;
    const grid = gridOf(
      form(header, [
        `产出指标\t数量指标\t甲\t≥\t3\t个\t45\t解释\t${ratio(45)}\t\t办公室`,
        `\t\t乙\t≥\t4\t个\t45\t解释\t${ratio(45)}\t另附\t财务股`,
      ]),
    );
    const p = parseForm(grid, opts);
    expect(p.data.indicators.map((i) => i.note)).toEqual(['责任科室：办公室', '另附；责任科室：财务股']);
    expect(found(p)).toEqual([['IMPORT_UNKNOWN_COLUMN', 'K6']]);
    expectAllKept(grid, p, [...LABELS, '责任科室']);
  });
  it('a two-row header: a 绩效指标 band over 一级/二级/三级, a 序号 column', () => {
    const grid = gridOf([
      '部门（单位）整体绩效目标表',
      '（2025）年度',
      '部门（单位）名称\t某局',
      '部门（单位）职责\t负责。',
      '年度总体目标\t完成。',
      '序号\t绩效指标\t\t\t指标类型\t指标值\t计量单位\t分值\t指标解释\t评（扣）分标准',
      '\t一级指标\t二级指标\t三级指标',
      `1\t产出指标\t数量指标\t甲\t≥\t3\t个\t45\t解释甲\t${ratio(45)}`,
      `2\t\t\t乙\t≥\t4\t个\t45\t解释乙\t${ratio(45)}`,
      ...FOOTER,
    ]);
    const p = parseForm(grid, opts);
    expect(p.data.indicators.map((i) => [i.level1, i.level2, i.name, i.type, i.value, i.unit, i.explanation])).toEqual([
      ['产出指标', '数量指标', '甲', '≥', 3, '个', '解释甲'],
      ['产出指标', '数量指标', '乙', '≥', 4, '个', '解释乙'],
    ]);
    expect(p.data.indicators.map((i) => i.scoring.points)).toEqual([45, 45]);
    expect(p.diagnostics).toEqual([]);
  });
  it('full-width brackets, spaces and ★ in headings and labels', () => {
    const grid = gridOf(
      form('一级指标\t二级指标\t三 级 指 标\t★指标类型\t指标值\t计量单位\t分值(分)\t指标解释\t评(扣)分标准：\t备注', [
        `产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t${ratio(90)}`,
      ]).map((r) => r.replace('部门（单位）名称', '★部门(单位) 名称：')),
    );
    const p = parseForm(grid, opts);
    expect(p.data.department.name).toBe('某局');
    expect(p.data.indicators.map((i) => [i.name, i.explanation, i.scoring.points])).toEqual([['甲', '解释', 90]]);
    expect(p.diagnostics).toEqual([]);
  });
  it('the settings’ synonyms extend the tables: 工作任务 and 赋分', () => {
    const header = '一级指标\t二级指标\t工作任务\t指标类型\t指标值\t计量单位\t赋分\t指标解释\t评分标准';
    const grid = gridOf(form(header, ['产出指标\t数量指标\t甲\t≥\t3\t个\t90\t解释\t按完成比例计分。']));
    const plain = parseForm(grid, opts);
    expect(found(plain, 'IMPORT_UNKNOWN_COLUMN')).toEqual([
      ['IMPORT_UNKNOWN_COLUMN', 'C6'],
      ['IMPORT_UNKNOWN_COLUMN', 'G6'],
    ]);
    const p = parseForm(grid, { ...opts, synonyms: { name: ['工作任务'], points: ['赋分'] } });
    expect(p.data.indicators.map((i) => [i.name, i.scoring.points])).toEqual([['甲', 90]]);
    expect(p.diagnostics).toEqual([]);
  });
});
