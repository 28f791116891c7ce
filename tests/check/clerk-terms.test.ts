/**
 * Messages in the clerk's terms: an indicator by its number and name, the points total with its
 * subtotal per 一级指标, a rate written as a percentage, the line of a GBK file, one error for a
 * misspelled key — in Chinese and in English.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { locateDiagnostic } from '../../scripts/check/format-diagnostics.ts';
import type { Lang } from '../../scripts/check/messages.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');

function edit(text: string, from: string, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`fixture edit did not apply: ${from}`);
  return out;
}
function check(text: string | Uint8Array, lang: Lang = 'zh') {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const r = checkFile('x.yaml', bytes, { settings: DEFAULT_SETTINGS });
  const located = r.diagnostics
    .map((d) => locateDiagnostic('x.yaml', d, r.source.text, r.source.lineCounter, lang))
    .filter((d) => d.severity === 'error');
  return { errors: located.map((d) => `${d.line}:${d.column} ${d.code}`), messages: located.map((d) => d.message) };
}

describe('an indicator is named by its number (from 1) and its name', () => {
  it('in Chinese', () => {
    const bad = edit(seed, 'explanation: 考核新增省级专精特新小巨人企业情况。', 'explanation: 123');
    const r = check(bad);
    expect(r.errors).toEqual(['34:18 WRONG_TYPE']);
    expect(r.messages[0]).toMatch(/^第 2 个指标“新增省级专精特新小巨人企业”的 explanation（指标解释） 应为文字/);
  });
  it('in English', () => {
    const bad = edit(seed, 'explanation: 考核新增省级专精特新小巨人企业情况。', 'explanation: 123');
    expect(check(bad, 'en').messages[0]).toMatch(
      /^explanation \(指标解释\) of indicator 2 \(“新增省级专精特新小巨人企业”\)/,
    );
  });
  it('a missing key names the indicator it belongs in', () => {
    const r = check(edit(seed, '    explanation: 考核新增规模工业企业情况。\n', ''));
    expect(r.errors).toEqual(['20:5 MISSING_KEY']);
    expect(r.messages[0]).toContain('请在 第 1 个指标“新增规模工业企业”中补上');
    expect(check(edit(seed, '    explanation: 考核新增规模工业企业情况。\n', ''), 'en').messages[0]).toContain(
      'add it under indicator 1 (“新增规模工业企业”)',
    );
  });
});

describe('a wrong points total shows the subtotal per 一级指标', () => {
  it('so the wrong row can be found', () => {
    const r = check(edit(seed, '{ kind: ratio, points: 2 }', '{ kind: ratio, points: 3 }'));
    expect(r.errors).toEqual(['19:1 POINTS_TOTAL']);
    expect(r.messages[0]).toContain('各一级指标小计：产出指标 31 分、效益指标 30 分、满意度指标 10 分、成本指标 20 分');
    const en = check(edit(seed, '{ kind: ratio, points: 2 }', '{ kind: ratio, points: 3 }'), 'en').messages[0];
    expect(en).toContain('Subtotals per 一级指标: 产出指标 31, 效益指标 30, 满意度指标 10, 成本指标 20');
  });
});

describe('a pass rate written as a percentage', () => {
  it('pass_rate: 60 hints 0.6', () => {
    const t = edit(seed, '{ kind: ratio, points: 2 }', '{ kind: ratio, points: 2, pass_rate: 60 }');
    const r = check(t);
    expect(r.errors).toEqual(['27:51 OUT_OF_RANGE']);
    expect(r.messages[0]).toContain('60% 应写成 0.6');
    expect(check(t, 'en').messages[0]).toContain('write 60% as 0.6');
  });
  it('pass_rate: 1.5 has no percentage to read', () => {
    const t = edit(seed, '{ kind: ratio, points: 2 }', '{ kind: ratio, points: 2, pass_rate: 1.5 }');
    expect(check(t).messages[0]).not.toContain('应写成');
  });
});

describe('a misspelled key is one error, with its suggestion', () => {
  it('a required key misspelled is not also reported missing', () => {
    const r = check(edit(seed, 'explanation: 考核新增规模工业企业情况。', 'explanaton: 考核新增规模工业企业情况。'));
    expect(r.errors).toEqual(['26:5 UNKNOWN_KEY']);
    expect(r.messages[0]).toContain('是不是要写 “explanation”');
  });
  it('a key that is really missing is still reported', () => {
    const t = edit(seed, '    explanation: 考核新增规模工业企业情况。\n', '    remark: 考核新增规模工业企业情况。\n');
    expect(check(t).errors).toEqual(['20:5 MISSING_KEY', '26:5 UNKNOWN_KEY']);
  });
});

describe('a GBK file names the line of the first byte that is not UTF-8', () => {
  it('line and byte', () => {
    const head = new TextEncoder().encode('fiscal_year: 2025\ndepartment:\n  name: ');
    const gbk = Uint8Array.from([...head, 0xd6, 0xd0, 0xce, 0xc4, 0x0a]);
    const r = check(gbk);
    expect(r.errors).toEqual(['1:1 FILE_NOT_UTF8']);
    expect(r.messages[0]).toContain(`第 3 行，第 ${head.length + 1} 字节无法解码`);
    expect(check(gbk, 'en').messages[0]).toContain(`line 3, byte ${head.length + 1} cannot be decoded`);
  });
});
