/**
 * Commands are data: `defineCommand({ meta, args, run })`. The CLI parses argv against `args`,
 * prints usage, and maps usage errors to exit code 2.
 */
import { parseArgs } from 'node:util';

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

/** Raised for bad command lines; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
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
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
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
