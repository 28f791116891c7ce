/** The YAML writer: plain scalars where YAML reads them back unchanged, double quotes everywhere else. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scalar } from '../../scripts/import/emit-yaml.ts';

describe('scalar', () => {
  it('plain where plain reads back as the same string', () => {
    for (const s of [
      '效果明显',
      '2025-12-08',
      '≥',
      '≤',
      '按实际值/计划值*指标分值计分。',
      '目标1（任务）：1、工业',
      '吴 红霞',
    ])
      expect(scalar(s)).toBe(s);
  });
  it('quoted where YAML would read something else', () => {
    const cases: Record<string, string> = {
      '%': '"%"',
      '13789290210': '"13789290210"',
      '>': '">"',
      '<': '"<"',
      '=': '"="',
      true: '"true"',
      null: '"null"',
      '- 项': '"- 项"',
      'a: b': '"a: b"',
      '说明 #1': '"说明 #1"',
      '': '""',
      ' 前导空格': '" 前导空格"',
      '第一行\n第二行': '"第一行\\n第二行"',
      '"引号"开头': '"\\"引号\\"开头"',
      '@考核': '"@考核"',
    };
    for (const [s, q] of Object.entries(cases)) {
      expect(scalar(s)).toBe(q);
      expect((parse(`k: ${scalar(s)}`) as { k: unknown }).k).toBe(s);
    }
  });
  it('in a flow mapping, commas and brackets are quoted too', () => {
    expect(scalar('甲,乙', true)).toBe('"甲,乙"');
    expect(scalar('甲,乙')).toBe('甲,乙');
    expect((parse(`{ k: ${scalar('[x]', true)} }`) as { k: unknown }).k).toBe('[x]');
  });
  it('numbers as JavaScript writes them: 8.5, 934.41, 0.5, 1000', () => {
    expect([8.5, 934.41, 0.5, 1000].map((n) => scalar(n))).toEqual(['8.5', '934.41', '0.5', '1000']);
  });
});
