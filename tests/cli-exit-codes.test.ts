import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineCommand, EnvironmentError, EXIT, UsageError } from '../scripts/_command.ts';
import { COMMANDS, main, mainUsage } from '../scripts/cli.ts';
import { runCli } from './helpers.ts';

/** A stand-in command whose run() is the test's: the CLI's error mapping and colour wiring, nothing else. */
function fake(run: (ctx: { color: boolean }) => Promise<number>): void {
  COMMANDS['x-test'] = {
    description: 'test',
    load: async () => ({
      default: defineCommand({
        meta: { name: 'x-test', description: 'test' },
        args: { color: { type: 'boolean', description: 'colour' } },
        run,
      }),
    }),
  };
}

afterEach(() => {
  delete COMMANDS['x-test'];
  vi.unstubAllEnvs();
});

describe('exit codes', () => {
  it('are distinct and documented in jxmb --help', () => {
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
    for (const code of Object.values(EXIT)) expect(mainUsage()).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });
  it('a bug in jxmb exits 70 without a stack', async () => {
    fake(async () => {
      throw new TypeError('boom');
    });
    const r = await runCli(['x-test']);
    expect(r.code).toBe(70);
    expect(r.err).toContain('internal error: boom');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
  it('an environment error exits 69', async () => {
    fake(async () => {
      throw new EnvironmentError('no browser');
    });
    const r = await runCli(['x-test']);
    expect(r).toMatchObject({ code: 69, err: 'jxmb x-test: no browser' });
  });
  it('a usage error exits 2, problems 1, success 0', async () => {
    fake(async () => {
      throw new UsageError('bad');
    });
    expect((await runCli(['x-test'])).code).toBe(2);
    expect((await runCli(['x-test', '--bogus'])).code).toBe(2);
    expect((await runCli(['no-such-command'])).code).toBe(2);
    fake(async () => 1);
    expect((await runCli(['x-test'])).code).toBe(1);
    fake(async () => 0);
    expect((await runCli(['x-test'])).code).toBe(0);
  });
});

describe('the colour a command is given', () => {
  let seen: boolean[] = [];
  beforeEach(() => {
    seen = [];
    for (const k of ['NO_COLOR', 'FORCE_COLOR', 'TERM']) vi.stubEnv(k, undefined);
    fake(async ({ color }) => (seen.push(color), 0));
  });
  const run = (argv: string[], isTTY: boolean) => main(['x-test', ...argv], { out: () => {}, err: () => {}, isTTY });

  it('follows the terminal, the flags and the environment', async () => {
    await run([], true);
    await run([], false);
    await run(['--color'], false);
    await run(['--no-color'], true);
    await run(['--color', '--no-color'], true);
    vi.stubEnv('NO_COLOR', '1');
    await run([], true);
    await run(['--color'], true);
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', '1');
    await run([], false);
    vi.stubEnv('FORCE_COLOR', undefined);
    vi.stubEnv('TERM', 'dumb');
    await run([], true);
    expect(seen).toEqual([true, false, true, false, false, false, true, true, false]);
  });
});
