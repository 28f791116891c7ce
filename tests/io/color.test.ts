import { describe, expect, it } from 'vitest';
import { takeColorFlag, useColor } from '../../scripts/io/color.ts';

describe('useColor: one precedence for every command', () => {
  const cases: [string, Parameters<typeof useColor>[0], boolean][] = [
    ['a terminal', { env: {}, isTTY: true }, true],
    ['a pipe', { env: {}, isTTY: false }, false],
    ['--color beats NO_COLOR on a pipe', { flag: true, env: { NO_COLOR: '1' }, isTTY: false }, true],
    ['--no-color beats FORCE_COLOR on a terminal', { flag: false, env: { FORCE_COLOR: '1' }, isTTY: true }, false],
    ['NO_COLOR beats FORCE_COLOR', { env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: true }, false],
    ['an empty NO_COLOR is not set', { env: { NO_COLOR: '' }, isTTY: true }, true],
    ['FORCE_COLOR=1 on a pipe', { env: { FORCE_COLOR: '1' }, isTTY: false }, true],
    ['FORCE_COLOR beats TERM=dumb', { env: { FORCE_COLOR: '3', TERM: 'dumb' }, isTTY: false }, true],
    ['FORCE_COLOR=0 on a terminal', { env: { FORCE_COLOR: '0' }, isTTY: true }, false],
    ['FORCE_COLOR=false on a terminal', { env: { FORCE_COLOR: 'false' }, isTTY: true }, false],
    ['TERM=dumb on a terminal', { env: { TERM: 'dumb' }, isTTY: true }, false],
    ['TERM=xterm on a terminal', { env: { TERM: 'xterm-256color' }, isTTY: true }, true],
  ];
  it.each(cases)('%s', (_, inputs, expected) => expect(useColor(inputs)).toBe(expected));
});

describe('takeColorFlag', () => {
  it('the last flag wins; --no-color is taken out, and --color with it when overridden', () => {
    expect(takeColorFlag(['a.yaml'])).toEqual({ flag: undefined, rest: ['a.yaml'] });
    expect(takeColorFlag(['--color', 'a.yaml'])).toEqual({ flag: true, rest: ['--color', 'a.yaml'] });
    expect(takeColorFlag(['--color', '--no-color', 'a'])).toEqual({ flag: false, rest: ['a'] });
    expect(takeColorFlag(['--no-color', '--color', 'a'])).toEqual({ flag: true, rest: ['--color', 'a'] });
  });
  it('leaves arguments after -- alone', () => {
    expect(takeColorFlag(['--', '--no-color'])).toEqual({ flag: undefined, rest: ['--', '--no-color'] });
    expect(takeColorFlag(['--no-color', '--', '--color'])).toEqual({ flag: false, rest: ['--', '--color'] });
  });
});
