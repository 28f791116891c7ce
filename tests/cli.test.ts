/** The command line itself: usage texts are part of the interface, so they are golden files. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../scripts/cli.ts';
import { expectGolden, runCli } from './helpers.ts';

describe('jxmb usage', () => {
  it('jxmb --help lists every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(r.out).toContain(`  ${name}`);
    await expectGolden('usage/jxmb.txt', r.out + '\n');
  });
  it('no command: usage on stdout, exit 0', async () => {
    expect((await runCli([])).code).toBe(0);
  });
  it('jxmb validate --help', async () => {
    const r = await runCli(['validate', '--help']);
    expect(r.code).toBe(0);
    await expectGolden('usage/validate.txt', r.out + '\n');
  });
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('an unknown command names itself and exits 2', async () => {
    const r = await runCli(['bulid']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('未知命令 bulid');
  });
});
