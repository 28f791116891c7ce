/**
 * The one place that decides whether output is coloured. Every command gets the answer from the CLI
 * (`CommandContext.color`); none reads NO_COLOR or isTTY itself, so the rules below hold everywhere.
 */

/** What the decision looks at. `flag` is the last of `--color` (true) / `--no-color` (false), if any. */
export interface ColorInputs {
  flag?: boolean | undefined;
  env: Record<string, string | undefined>;
  /** Whether the stream the coloured text goes to is a terminal. */
  isTTY: boolean;
}

/**
 * Colour on or off, first rule that applies wins: the command-line flag; `NO_COLOR` set and non-empty
 * (no-color.org) → off; `FORCE_COLOR` set (`0` or `false` → off, anything else → on); `TERM=dumb` → off;
 * otherwise on only for a terminal.
 */
export function useColor({ flag, env, isTTY }: ColorInputs): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/**
 * Takes `--color` / `--no-color` out of a command line: returns the flag (the last one given wins) and
 * the arguments with `--no-color` removed, and `--color` removed too when `--no-color` overrides it,
 * so a command's own `color` option is true exactly when colour was forced on.
 */
export function takeColorFlag(argv: string[]): { flag: boolean | undefined; rest: string[] } {
  let flag: boolean | undefined;
  for (const a of argv) {
    if (a === '--') break;
    if (a === '--color') flag = true;
    else if (a === '--no-color') flag = false;
  }
  if (flag === undefined) return { flag, rest: argv };
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const drop = flag ? ['--no-color'] : ['--no-color', '--color'];
  return { flag, rest: argv.filter((a, i) => i >= end || !drop.includes(a)) };
}
