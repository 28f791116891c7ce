/**
 * Commands are data: `defineCommand({ meta, args, run })`. The CLI parses argv against `args`,
 * prints usage, and maps usage errors to exit code 2.
 */
import { parseArgs } from 'node:util';
import { closest } from './check/suggest.ts';

export interface ArgDef {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
  default?: string | boolean;
  /** Value placeholder in usage text, e.g. `DIR`. */
  valueHint?: string;
  /** The option may be given several times (string[]). */
  multiple?: boolean;
}

export interface CommandContext<A> {
  args: A;
  positionals: string[];
  /** Where output goes; commands never write to process.stdout directly (tests capture this). */
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  /** Whether to colour what goes to `out` (scripts/io/color.ts decides, from flags, env and isTTY). */
  color: boolean;
  /** The same decision for another stream, e.g. a file (`isTTY` false) or git's pager. */
  colorFor: (isTTY: boolean) => boolean;
  cwd: string;
}

export interface CommandDef<A extends Record<string, ArgDef> = Record<string, ArgDef>> {
  meta: { name: string; description: string; usage?: string; examples?: string[] };
  args: A;
  run: (ctx: CommandContext<ArgValues<A>>) => Promise<number>;
}

export type ArgValues<A extends Record<string, ArgDef>> = {
  [K in keyof A]: A[K]['multiple'] extends true
    ? string[]
    : A[K]['type'] extends 'boolean'
      ? boolean
      : A[K]['default'] extends string
        ? string
        : string | undefined;
};

export const defineCommand = <A extends Record<string, ArgDef>>(c: CommandDef<A>): CommandDef<A> => c;

/**
 * Raised for bad command lines; the CLI prints it (in English when `--lang en` or the settings say so and
 * `en` is given) with the usage, or only with a pointer to `--help` when `usage` is false, and exits 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly en: string | undefined;
  readonly usage: boolean;
  constructor(message: string, opts: { en?: string; usage?: boolean } = {}) {
    super(message);
    this.en = opts.en;
    this.usage = opts.usage ?? true;
  }
  /** The message in the user's language (the Chinese one when there is no English). */
  in(lang: 'zh' | 'en'): string {
    return lang === 'en' && this.en !== undefined ? this.en : this.message;
  }
}

/**
 * `未知选项 --formt；是不是要写 --format？`: an option (or, with `what: 'command'`, a command) not among
 * `known`, with the closest one when it is near enough to be a typo. Without a suggestion the usage follows.
 */
export function unknownName(given: string, known: readonly string[], what: 'option' | 'command'): UsageError {
  const dashes = what === 'option' ? (given.match(/^-*/)?.[0] ?? '') : '';
  const bare = given.slice(dashes.length);
  const near = closest(bare, known);
  const shownNear = near === undefined ? undefined : what === 'option' ? `--${near}` : near;
  const zhWhat = what === 'option' ? '未知选项' : '未知命令';
  return new UsageError(`${zhWhat} ${given}${shownNear ? `；是不是要写 ${shownNear}？` : ''}`, {
    en: `unknown ${what} ${given}${shownNear ? `; did you mean ${shownNear}?` : ''}`,
    usage: !shownNear,
  });
}

/** The first option in `argv` the command does not know (long, `-x` short, or a single-dash long name). */
function findUnknownOption(def: CommandDef<Record<string, ArgDef>>, argv: string[]): UsageError | undefined {
  const byName = new Map(Object.entries(def.args).map(([k, a]) => [kebab(k), a] as const));
  // --color / --no-color are taken by the CLI before parsing; --help / -h never reach here.
  const names = [...byName.keys(), 'help', 'color', 'no-color'];
  const shorts = new Map(Object.values(def.args).flatMap((a) => (a.short ? [[a.short, a] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      const known = byName.get(name);
      if (!known && !names.includes(name)) return unknownName(`--${name}`, names, 'option');
      if (known?.type === 'string' && !arg.includes('=')) i++;
    } else if (arg.length > 1 && arg.startsWith('-')) {
      const known = shorts.get(arg[1]!);
      // `-formt`: a long name with one dash; suggest the long option it is closest to.
      if (!known) return unknownName(arg.length > 2 ? arg : `-${arg[1]}`, names, 'option');
      if (known.type === 'string' && arg.length === 2) i++;
    }
  }
  return undefined;
}

/** node:util's complaints about a value, in Chinese and English. */
function valueProblem(message: string): UsageError {
  const opt = message.match(/'(-[^' ]+)/)?.[1] ?? '';
  // `--format --strict`: node calls the option "ambiguous"; it is a value left out.
  if (/argument missing|argument is ambiguous/.test(message))
    return new UsageError(`选项 ${opt} 需要一个值`, { en: `option ${opt} needs a value` });
  if (/does not take an argument/.test(message))
    return new UsageError(`选项 ${opt} 不带值`, { en: `option ${opt} takes no value` });
  return new UsageError(message);
}

/**
 * jxmb's exit codes. 0 and 1 are what scripts test for; the others tell a caller whose fault a failure
 * is: the command line (2), the machine (69, sysexits' EX_UNAVAILABLE) or jxmb itself (70, EX_SOFTWARE).
 */
export const EXIT = {
  ok: 0,
  /** Problems found in the input, or differences found (`diff --exit-code`). */
  problems: 1,
  usage: 2,
  /** The environment failed: no browser, a missing tool, a disk that cannot be written. */
  environment: 69,
  /** A bug in jxmb: an error nobody anticipated. */
  internal: 70,
} as const;

export { EnvironmentError } from './io/errors.ts';

const kebab = (k: string): string => k.replace(/_/g, '-');

export function parseCommandArgs<A extends Record<string, ArgDef>>(
  def: CommandDef<A>,
  argv: string[],
): { args: ArgValues<A>; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [k, a] of Object.entries(def.args)) {
    options[kebab(k)] = {
      type: a.type,
      ...(a.short ? { short: a.short } : {}),
      ...(a.multiple ? { multiple: true } : {}),
    };
  }
  const unknown = findUnknownOption(def as unknown as CommandDef<Record<string, ArgDef>>, argv);
  if (unknown) throw unknown;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw valueProblem((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const args: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(def.args)) {
    const v = (parsed.values as Record<string, unknown>)[kebab(k)];
    args[k] = v ?? (a.multiple ? [] : (a.default ?? (a.type === 'boolean' ? false : undefined)));
  }
  return { args: args as ArgValues<A>, positionals: parsed.positionals };
}

export function usageText<A extends Record<string, ArgDef>>(def: CommandDef<A>): string {
  const lines = [
    `用法 Usage: jxmb ${def.meta.name} ${def.meta.usage ?? '[options]'}`,
    '',
    def.meta.description,
    '',
    'Options:',
  ];
  const rows = Object.entries(def.args as Record<string, ArgDef>).map(([k, a]) => {
    const value = a.type === 'string' ? ` ${a.valueHint ?? 'VALUE'}` : '';
    const flag = `${a.short ? `-${a.short}, ` : '    '}--${kebab(k)}${value}`;
    const dflt = a.default !== undefined && a.default !== false ? ` (default: ${String(a.default)})` : '';
    return [flag, `${a.description}${dflt}`] as const;
  });
  rows.push(['-h, --help', '显示帮助 show this help']);
  const w = Math.max(...rows.map((r) => r[0].length));
  lines.push(...rows.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`));
  if (def.meta.examples?.length) lines.push('', 'Examples:', ...def.meta.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
