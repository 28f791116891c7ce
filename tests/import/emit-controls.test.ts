/** Imported text with control, bidi or invisible characters: the emitted YAML spells them as escapes. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scalar } from '../../scripts/import/emit-yaml.ts';
import { runCli, SEED_TXT, SEED_YAML } from '../helpers.ts';

const RAW =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]|\u{e0001}/u;

describe('emitYaml scalars', () => {
  const values = ['a\u202eb', 'x\u009by', 'p\u200bq\u{e0001}', 'tab\tnl\nesc\u001b', 'x\u2028y', '\ufeffbom'];
  it.each(values)('%j is escaped and reads back the same', (v) => {
    const y = scalar(v);
    expect(y).not.toMatch(RAW);
    expect(y.startsWith('"')).toBe(true);
    expect((parse(`k: ${y}`) as { k: unknown }).k).toBe(v);
  });
  it('U+202E is written as \\u202e; an astral one as \\U', () => {
    expect(scalar('a\u202eb')).toBe('"a\\u202eb"');
    expect(scalar('p\u{e0001}')).toBe('"p\\U000e0001"');
  });
  it('ordinary text, full-width spaces included, stays plain', () => {
    expect(scalar('芷江\u3000局')).toBe('芷江\u3000局');
  });
});

describe('jxmb import finds the code by the department name, normalised', () => {
  it('an existing table whose name has a full-width space and a zero-width one gives the code', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-import-name-'));
    mkdirSync(path.join(dir, 'data/2024'), { recursive: true });
    const seed = readFileSync(SEED_YAML, 'utf8').replace('fiscal_year: 2025', 'fiscal_year: 2024');
    const name = 'name: 芷江侗族自治县商务科技和工业和信息化局';
    const odd = 'name: "芷江侗族自治县\u3000商务科技和工业和信息化局\u200b"';
    writeFileSync(path.join(dir, 'data/2024/zhijiang-swkjgxj.yaml'), seed.replace(name, odd));
    copyFileSync(SEED_TXT, path.join(dir, '导出.txt'));
    const r = await runCli(['import', '导出.txt'], dir);
    expect(r.out).not.toContain('IMPORT_NO_CODE');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'))).toBe(true);
  });
});
