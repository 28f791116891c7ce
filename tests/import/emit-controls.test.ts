/** Imported text with control, bidi or invisible characters: the emitted YAML spells them as escapes. */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scalar } from '../../scripts/import/emit-yaml.ts';

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]|\u{e0001}/u;

describe('emitYaml scalars', () => {
  it.each(['a\u202eb', 'x\u009by', 'p\u200bq\u{e0001}', 'tab\tnl\nesc\u001b', 'x\u2028y', '\ufeffbom'])('%j is escaped and reads back the same', (v) => {
    const y = scalar(v);
    expect(y).not.toMatch(RAW);
    expect(y.startsWith('"')).toBe(true);
    expect(parse(`k: ${y}`).k).toBe(v);
  });
  it('U+202E is written as \\u202e; an astral one as \\U', () => {
    expect(scalar('a\u202eb')).toBe('"a\\u202eb"');
    expect(scalar('p\u{e0001}')).toBe('"p\\U000e0001"');
  });
  it('ordinary text, full-width spaces included, stays plain', () => {
    expect(scalar('芷江\u3000局')).toBe('芷江\u3000局');
  });
});
