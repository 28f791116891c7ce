/**
 * Every kind of change, one fixture folder each (a folder tests/fixtures/diff-NAME with old.yaml and new.yaml): the
 * changes found, their flags, and the Markdown and JSON they give (golden files beside the fixture).
 */
import { describe, expect, it } from 'vitest';
import type { Change, ChangeKind } from '../../scripts/diff/changes.ts';
import { formatJson } from '../../scripts/diff/format-json.ts';
import { formatMarkdown } from '../../scripts/diff/format-md.ts';
import { expectFile, fixtureDiff, PAIR_FIXTURES } from './_fixtures.ts';

/** A change in a few words for assertions: `value 新建厂房面积 1000→800 [weakened]`. */
const brief = (c: Change): string =>
  (
    `${c.kind}${c.field ? `:${c.field}` : ''} ${c.indicator?.name ?? ''}` +
    `${c.item ? `#${c.item.from ?? ''}>${c.item.to ?? ''}` : ''} ${String(c.from)}→${String(c.to)}` +
    `${c.flags.length ? ` [${c.flags.join(',')}]` : ''}`
  ).replace(/\s+/g, ' ');
const kinds = (cs: Change[]): ChangeKind[] => cs.map((c) => c.kind);
const changes = (name: string): Change[] => fixtureDiff(name).diff.changes;
const flagged = (cs: Change[], flag: string): string[] => cs.filter((c) => c.flags.includes(flag as never)).map(brief);

describe('what each kind of edit is reported as', () => {
  it('normalised-no-change: >= and ≥, <= and ≤, 95.0 and 95 are one target (each prints as written): no change', () => {
    const { diff } = fixtureDiff('diff-normalised-no-change');
    expect(diff.status).toBe('unchanged');
    expect(diff.changes).toEqual([]);
  });

  it('department-fields: name, duties item by item, goals, sign-off', () => {
    expect(changes('diff-department-fields').map(brief)).toEqual([
      'department:name 测试县示范局→测试县示范项目管理局',
      'duty #2>2 负责项目资金的管理和监督。→负责项目资金和资产的管理和监督。',
      'duty #>3 null→负责项目档案的收集和整理。',
      'goal #2> 项目验收合格率达到95%以上，带动就业200人。→null',
      'signoff:preparer 张三→王五',
      'signoff:filed 2025.3.8→2025.3.9',
    ]);
  });

  it('indicator-added-removed: an unrelated indicator in the same place is not a rename', () => {
    expect(changes('diff-indicator-added-removed').map(brief)).toEqual([
      'indicator-removed 培训人次 ≥500人次→null',
      'indicator-added 新增设备数量 null→≥5台',
    ]);
  });

  it('renamed-similar: similar name, same target, same 二级 → renamed', () => {
    const { diff } = fixtureDiff('diff-renamed-similar');
    expect(diff.changes.map(brief)).toEqual(['renamed 带动新增就业人数 带动就业人数→带动新增就业人数']);
    expect(diff.match!.pairs.find((p) => p.by === 'similar')).toBeDefined();
  });

  it('renamed-by-id: the id pins identity even when the names share nothing', () => {
    const { diff } = fixtureDiff('diff-renamed-by-id');
    expect(kinds(diff.changes)).toEqual(['renamed', 'explanation']);
    expect(diff.changes[0]!.indicator).toMatchObject({ name: '吸纳劳动力', id: 'jobs', row: { from: 5, to: 5 } });
    expect(diff.match!.pairs.filter((p) => p.by === 'id')).toHaveLength(1);
  });

  it('moved-group: the same name under another 一级/二级 is a move, not a removal and an addition', () => {
    expect(changes('diff-moved-group').map(brief)).toEqual([
      'moved:group 培训人次 产出指标/数量指标→效益指标/社会效益指标',
    ]);
  });

  it('moved-order: two neighbours swapped is one move', () => {
    const cs = changes('diff-moved-order');
    expect(cs).toHaveLength(1);
    expect(cs[0]).toMatchObject({ kind: 'moved', field: 'order' });
  });

  it('weakened: ≥ lowered, ≤ raised, 定量 → 定性, points taken away, a more lenient rule', () => {
    const cs = changes('diff-weakened');
    expect(flagged(cs, 'weakened')).toEqual([
      'value 新建厂房面积 1000→800 [weakened]',
      'points 培训人次 10→8 [weakened]',
      'type 验收合格率 ≥→定性 [weakened]',
      'scoring 服务对象满意度 服务对象满意度达90%以上得10分，每下降1%，扣0.5分，扣完为止。→服务对象满意度达90%以上得10分，每下降1%，扣0.25分，扣完为止。 [weakened]',
      'value 项目总成本 500→550 [weakened]',
    ]);
    // Points given to an indicator are not a weakening; a unit dropped with 定性 is reported plainly.
    expect(cs.map(brief)).toContain('points 带动就业人数 10→12');
    expect(cs.map(brief)).toContain('unit 验收合格率 %→null');
    expect(cs.find((c) => c.kind === 'scoring')!.fields).toEqual(['deduct']);
    expect(flagged(cs, 'strengthened')).toEqual([]);
  });

  it('strengthened: ≥ raised, ≤ lowered, ≥ made strict, a stricter deadline rule — nothing weakened', () => {
    const cs = changes('diff-strengthened');
    expect(flagged(cs, 'weakened')).toEqual([]);
    expect(flagged(cs, 'strengthened')).toEqual([
      'value 新建厂房面积 1000→1200 [strengthened]',
      'type 培训人次 ≥→> [strengthened]',
      'scoring 完成时间 2025年12月31日前完成，得10分，每推迟10天扣1分，扣完为止。→2025年12月31日前完成，得10分，每推迟5天扣1分，扣完为止。 [strengthened]',
      'value 项目总成本 500→450 [strengthened]',
    ]);
  });

  it('strict-loosened: > loosened to ≥ at the same value is weakened', () => {
    expect(changes('diff-strict-loosened').map(brief)).toEqual(['type 培训人次 >→≥ [weakened]']);
  });

  it('fields-changed: unit, value across units (no verdict), explanation, note, 定性 value, scoring kind, grades', () => {
    const cs = changes('diff-fields-changed');
    expect(kinds(cs)).toEqual(['value', 'unit', 'explanation', 'note', 'scoring', 'value', 'scoring']);
    expect(cs.every((c) => c.flags.length === 0)).toBe(true);
    const scoring = cs.filter((c) => c.kind === 'scoring');
    expect(scoring.map((c) => [c.indicator!.name, c.fields])).toEqual([
      ['带动就业人数', ['kind']],
      ['长效机制建设', ['grades']],
    ]);
    expect(cs.find((c) => c.kind === 'note')).toMatchObject({ from: null, to: '含配套用房' });
  });

  it('duplicates-in-order: duplicated names pair in order; only the second one changed', () => {
    expect(changes('diff-duplicates-in-order').map(brief)).toEqual(['value 培训人次 100→150 [strengthened]']);
    expect(changes('diff-duplicates-in-order')[0]!.indicator!.row).toEqual({ from: 3, to: 3 });
  });

  it('group-dropped-level2: a whole 二级 dropped is flagged', () => {
    const cs = changes('diff-group-dropped-level2');
    expect(flagged(cs, 'group-dropped')).toEqual(['group-removed:level2 产出指标/时效指标→null [group-dropped]']);
    expect(kinds(cs)).toContain('indicator-removed');
  });

  it('group-dropped-level1: a whole 一级 dropped is flagged once (not again for its 二级)', () => {
    expect(flagged(changes('diff-group-dropped-level1'), 'group-dropped')).toEqual([
      'group-removed:level1 成本指标→null [group-dropped]',
    ]);
  });

  it('group-added: a new 二级 group is reported (no flag)', () => {
    expect(changes('diff-group-added').map(brief)).toEqual([
      'indicator-added 带动增收 null→≥100万元',
      'points 项目总成本 20→15 [weakened]',
      'group-added:level2 null→效益指标/经济效益指标',
    ]);
  });

  it('points-total: the sum of points changed', () => {
    expect(flagged(changes('diff-points-total'), 'points-total-changed')).toEqual([
      'points-total 90→100 [points-total-changed]',
    ]);
  });
});

describe('golden Markdown and JSON for every fixture (UPDATE_GOLDEN=1 rewrites)', () => {
  for (const name of PAIR_FIXTURES) {
    it(name, () => {
      const { report } = fixtureDiff(name);
      expectFile(`tests/fixtures/${name}/expected.md`, formatMarkdown(report, { lang: 'zh' }));
      expectFile(`tests/fixtures/${name}/expected.json`, formatJson(report) + '\n');
    });
  }

  it('covers every change kind and flag', async () => {
    const { CHANGE_KINDS, CHANGE_FLAGS } = await import('../../scripts/diff/changes.ts');
    const all = PAIR_FIXTURES.flatMap((n) => fixtureDiff(n).diff.changes);
    const seen = new Set(all.map((c) => c.kind));
    expect(CHANGE_KINDS.filter((k) => !seen.has(k))).toEqual([]);
    expect(CHANGE_FLAGS.filter((f) => !all.some((c) => c.flags.includes(f)))).toEqual([]);
  });
});
