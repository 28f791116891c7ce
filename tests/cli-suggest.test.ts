/**
 * A wrong command line gets one line saying what was wrong and what was probably meant, in the user's
 * language (`--lang`, else the settings' `lang`), exit 2; `jxmb` alone is the help; `--strict` says why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unknownName } from '../scripts/_command.ts';
import { COMMANDS, mainUsage } from '../scripts/cli.ts';
import { strictFailure } from '../scripts/commands/validate.ts';
import { words } from '../scripts/diff/labels.ts';
import { plural } from '../scripts/model/plural.ts';
import { runCli } from './helpers.ts';

/** A project whose settings say `lang: en` (and nothing else). */
const enProject = mkdtempSync(path.join(tmpdir(), 'jxmb-lang-en-'));
writeFileSync(path.join(enProject, 'jxmb.settings.yaml'), 'lang: en\n');
afterAll(() => rmSync(enProject, { recursive: true, force: true }));

describe('an unknown option', () => {
  it('names the closest option, in Chinese by default, exit 2', async () => {
    const r = await runCli(['validate', '--formt', 'json']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('jxmb validate: 未知选项 --formt；是不是要写 --format？');
    // The line and a pointer to the options, not the whole usage drowning the one line that matters.
    expect(r.err).toContain('`jxmb validate --help`');
    expect(r.err).not.toContain('用法 Usage');
    expect(r.out).toBe('');
  });
  it('in English under --lang en, wherever --lang is on the line', async () => {
    for (const argv of [
      ['validate', '--lang', 'en', '--formt', 'json'],
      ['validate', '--formt', 'json', '--lang=en'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')[0]).toBe('jxmb validate: unknown option --formt; did you mean --format?');
    }
  });
  it('in English when the settings say lang: en', async () => {
    const r = await runCli(['validate', '--stirct'], enProject);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('jxmb validate: unknown option --stirct; did you mean --strict?');
  });
  it('an option of another command, or a single dash, is suggested from this command’s options', async () => {
    const build = await runCli(['build', '--fail-fst']);
    expect(build.err.split('\n')[0]).toBe('jxmb build: 未知选项 --fail-fst；是不是要写 --fail-fast？');
    const dash = await runCli(['validate', '-format', 'json']);
    expect(dash.code).toBe(2);
    expect(dash.err.split('\n')[0]).toBe('jxmb validate: 未知选项 -format；是不是要写 --format？');
  });
  it('nothing close: the line, then the usage listing the options', async () => {
    const r = await runCli(['validate', '--zzzzzzzz']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('jxmb validate: 未知选项 --zzzzzzzz');
    expect(r.err).toContain('--strict');
  });
  it('a value after a string option is not taken for an option, nor one after --', async () => {
    // `--format --strikt`: the value of --format is missing, whatever follows.
    const r = await runCli(['validate', '--format', '--strikt']);
    expect([r.code, r.err.split('\n')[0]]).toEqual([2, 'jxmb validate: 选项 --format 需要一个值']);
    const after = await runCli(['validate', '--format', 'json', '--', '--formt']);
    expect(after.err).not.toContain('未知选项');
  });
  it('a missing value and a value given to a flag, in either language', async () => {
    const missing = await runCli(['validate', '--format']);
    expect([missing.code, missing.err.split('\n')[0]]).toEqual([2, 'jxmb validate: 选项 --format 需要一个值']);
    const flag = await runCli(['validate', '--strict=yes', '--lang', 'en']);
    expect([flag.code, flag.err.split('\n')[0]]).toEqual([2, 'jxmb validate: option --strict takes no value']);
  });
  it('every command refuses an unknown option with exit 2 before doing anything', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const r = await runCli([name, '--no-such-option-at-all']);
      expect([name, r.code]).toEqual([name, 2]);
      expect(r.err.split('\n')[0]).toBe(`jxmb ${name}: 未知选项 --no-such-option-at-all`);
    }
  });
  it('jxmb --formt: an unknown option before any command', async () => {
    const r = await runCli(['--verison']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('jxmb: 未知选项 --verison；是不是要写 --version？');
  });
});

describe('an unknown command', () => {
  it('jxmb biuld → build, exit 2', async () => {
    const r = await runCli(['biuld']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('jxmb: 未知命令 biuld；是不是要写 build？');
    expect(r.err).toContain('`jxmb --help`');
  });
  it('in English from the settings or --lang', async () => {
    expect((await runCli(['valdiate'], enProject)).err.split('\n')[0]).toBe(
      'jxmb: unknown command valdiate; did you mean validate?',
    );
    expect((await runCli(['gen-type', '--lang', 'en'])).err.split('\n')[0]).toBe(
      'jxmb: unknown command gen-type; did you mean gen-types?',
    );
  });
  it('nothing close: the list of commands follows', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`jxmb: 未知命令 frobnicate\n\n${mainUsage()}`);
  });
  it('the suggestion is only made when near: unknownName', () => {
    expect(unknownName('dif', Object.keys(COMMANDS), 'command').in('en')).toBe(
      'unknown command dif; did you mean diff?',
    );
    expect(unknownName('frobnicate', Object.keys(COMMANDS), 'command').usage).toBe(true);
  });
});

describe('jxmb with no arguments', () => {
  it('prints the help on stdout and exits 0', async () => {
    const r = await runCli([]);
    expect(r).toEqual({ code: 0, out: mainUsage(), err: '' });
  });
});

describe('validate --strict', () => {
  it('failing on warnings alone says that warnings count as errors', async () => {
    // How many warnings data/ has today, from validate itself (json on stdout, nothing else).
    const json = await runCli(['validate', '--format', 'json']);
    const warnings = (JSON.parse(json.out) as { severity: string }[]).filter((d) => d.severity === 'warning');
    const errors = (JSON.parse(json.out) as { severity: string }[]).length - warnings.length;
    expect(errors).toBe(0);
    expect(warnings.length).toBeGreaterThan(0);
    expect(json.code).toBe(0);
    const strict = await runCli(['validate', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.err).toBe(strictFailure(warnings.length, 'zh'));
    expect(strict.err).toContain(`${warnings.length} 个警告`);
    const en = await runCli(['validate', '--strict', '--lang', 'en', '--format', 'json']);
    expect(en.code).toBe(1);
    expect(() => void JSON.parse(en.out)).not.toThrow();
    expect(en.err).toBe(
      `--strict: warnings count as errors; ${warnings.length} warning${warnings.length === 1 ? '' : 's'} found, ` +
        'so the check fails (exit code 1)',
    );
  });
  it('says nothing when it did not change the outcome', async () => {
    const r = await runCli(['validate']);
    expect([r.code, r.err]).toEqual([0, '']);
  });
});

describe('English counts', () => {
  it('plural: one and many', () => {
    expect([plural(0, 'file'), plural(1, 'file'), plural(2, 'file')]).toEqual(['0 files', '1 file', '2 files']);
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });
  it('strictFailure in English pluralises', () => {
    expect(strictFailure(1, 'en')).toContain('; 1 warning found');
    expect(strictFailure(2, 'en')).toContain('; 2 warnings found');
  });
  it('a diff of a new or removed table', () => {
    const en = words('en');
    expect(en.newTable(1, '1')).toBe('new table: 1 indicator, 1 point');
    expect(en.newTable(2, '90')).toBe('new table: 2 indicators, 90 points');
    expect(en.goneTable(1, '90')).toBe('table removed: it had 1 indicator, 90 points');
  });
});
