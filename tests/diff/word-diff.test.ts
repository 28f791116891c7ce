/** The word-level diff of Chinese text: ICU word segmentation, edit scripts that rebuild both texts. */
import { describe, expect, it } from 'vitest';
import { diffWords, newText, oldText, segmentWords, similarity, trimContext } from '../../scripts/diff/word-diff.ts';

describe('segmentWords', () => {
  it('splits Chinese into words with Intl.Segmenter (Node with full ICU)', () => {
    expect(segmentWords('考核新增规模工业企业情况')).toEqual(['考核', '新增', '规模', '工业', '企业', '情况']);
  });
  it('joins back to the text, punctuation and numbers included', () => {
    const s = '目标1：1、规模工业增加值增速，增长8.5%。2023年 ok!';
    expect(segmentWords(s).join('')).toBe(s);
  });
});

describe('diffWords', () => {
  const pairs: Array<[string, string]> = [
    ['负责安全生产监督管理工作。', '负责全县工业和商贸领域安全生产监督管理工作。'],
    ['2023年预计完成外贸进出口总额比上年增长20%。', '2026年预计完成外贸进出口总额比上年增长15%。'],
    ['引进高中层次人才', '引进高层次人才'],
    ['', '新的一条'],
    ['删掉的一条', ''],
    ['完全一样', '完全一样'],
    [
      '按计划完成得2分，否则按实际值/计划值*指标分值计分。',
      '完成率小于60%不得分；大于等于60%的，得分=（实际完成率-60%）/（1-60%）×指标分值。',
    ],
  ];
  it.each(pairs)('rebuilds both sides: %s → %s', (a, b) => {
    const ops = diffWords(a, b);
    expect(oldText(ops)).toBe(a);
    expect(newText(ops)).toBe(b);
  });
  it('marks whole words, not characters', () => {
    expect(diffWords('负责安全生产监督管理工作。', '负责全县工业和商贸领域安全生产监督管理工作。')).toEqual([
      { op: 'equal', text: '负责' },
      { op: 'insert', text: '全县工业和商贸领域' },
      { op: 'equal', text: '安全生产监督管理工作。' },
    ]);
    expect(diffWords('增长20%', '增长15%')).toEqual([
      { op: 'equal', text: '增长' },
      { op: 'delete', text: '20' },
      { op: 'insert', text: '15' },
      { op: 'equal', text: '%' },
    ]);
  });
  it('shows a rewrite as one replacement instead of scattered shared words', () => {
    const ops = diffWords(
      '按计划完成得2分，否则按实际值/计划值*指标分值计分。',
      '完成率小于60%不得分；大于等于60%的，得分=（实际完成率-60%）/（1-60%）×指标分值。',
    );
    expect(ops.map((o) => o.op)).toEqual(['delete', 'insert']);
  });
  it('puts deletions before insertions and folds a lone shared character into the change', () => {
    const ops = diffWords('甲方，乙方', '丙方，丁方');
    for (let i = 1; i < ops.length; i++) expect(ops[i - 1]!.op === 'insert' && ops[i]!.op === 'delete').toBe(false);
    expect(ops.filter((o) => o.op === 'equal' && o.text === '，')).toEqual([]);
  });
});

describe('trimContext', () => {
  it('shortens long unchanged text around a change', () => {
    const long = '考核新增规模工业企业情况，'.repeat(5);
    const ops = trimContext(diffWords(`${long}增长20%，${long}`, `${long}增长15%，${long}`), 4);
    expect(ops[0]).toEqual({ op: 'equal', text: '…况，增长' });
    expect(ops.filter((o) => o.op !== 'equal')).toEqual([
      { op: 'delete', text: '20' },
      { op: 'insert', text: '15' },
    ]);
    expect(ops.at(-1)).toEqual({ op: 'equal', text: '%，考核…' });
  });
});

describe('similarity', () => {
  it('is 1 for equal text, 0 for nothing shared, in between for renames', () => {
    expect(similarity('服务企业满意度', '服务企业满意度')).toBe(1);
    expect(similarity('甲乙', '丙丁')).toBe(0);
    expect(similarity('带动就业人数', '带动新增就业人数')).toBeGreaterThan(0.8);
  });
});
