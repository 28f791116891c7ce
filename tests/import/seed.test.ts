/**
 * The reference export imports as exactly data/2025's seed file, byte for byte, and the command shows
 * the seed's three known flaws at once.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitYaml } from '../../scripts/import/emit-yaml.ts';
import { importForm } from '../../scripts/import/import-form.ts';
import { runCli, SEED_TXT, SEED_YAML } from '../helpers.ts';

describe('importing the reference export', () => {
  it('emit(import(seed-2025.tsv)) is data/2025/zhijiang-swkjgxj.yaml, byte for byte', async () => {
    const r = await importForm(readFileSync(SEED_TXT), { pointsTotal: 90 });
    expect(r.diagnostics).toEqual([]);
    expect(r.parsed!.titleYear).toBe(2025);
    expect(r.parsed!.unplaced).toEqual([]);
    const data = r.parsed!.data;
    data.fiscal_year = r.parsed!.titleYear!;
    data.department.code = 'zhijiang-swkjgxj';
    expect(emitYaml(data)).toBe(readFileSync(SEED_YAML, 'utf8'));
  });

  it('jxmb import writes the same file and shows the 3 known warnings', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-import-seed-'));
    const r = await runCli(['import', SEED_TXT, '--code', 'zhijiang-swkjgxj'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const written = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
    expect(readFileSync(written, 'utf8')).toBe(readFileSync(SEED_YAML, 'utf8'));
    const codes = [...r.out.matchAll(/^\S+:(\d+):\d+ {2}warning {2}([A-Z_0-9]+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(codes).toEqual(['17 YEAR_IN_TEXT', '78 DUPLICATE_INDICATOR', '104 DEADLINE_AFTER_YEAR']);
    // …each also placed in the source: the goals cell, the second 引进高中层次人才, the 2026 deadline's value.
    expect([...r.out.matchAll(/源文件位置: .*seed-2025\.tsv:(\d+:\d+)/g)].map((m) => m[1])).toEqual([
      '9:8',
      '18:4',
      '21:17',
    ]);
    expect(r.out).toContain('18 个指标');
    expect(r.out).toContain('0 个错误，3 个警告');
  });
});
