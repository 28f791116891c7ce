/**
 * jxmb's entry point: picks a command, parses its arguments, and turns errors into exit codes.
 * Exit codes (EXIT in _command.ts): 0 fine, 1 problems in the input or differences found, 2 the command
 * line was wrong, 69 the environment failed (no browser, a missing tool), 70 a bug in jxmb.
 * Commands load lazily, so `jxmb validate` never pays for the browser or Excel code.
 */
import {
  type CommandDef,
  EnvironmentError,
  EXIT,
  parseCommandArgs,
  unknownName,
  usageText,
  UsageError,
} from './_command.ts';
import { takeColorFlag, useColor } from './io/color.ts';
import { escapeControls } from './check/characters.ts';

// Each command has its own argument shape; the table holds them all, and cli parses each against its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an existential type: CommandDef<A> for some A
type Loader = () => Promise<{ default: CommandDef<any> }>;

export const COMMANDS: Record<string, { description: string; load: Loader }> = {
  validate: {
    description: '检查数据文件 check data files against the schema and the form’s rules',
    load: () => import('./commands/validate.ts'),
  },
  build: {
    description: '生成 PDF、HTML、Excel 和索引 render PDF, HTML, Excel and the index',
    load: () => import('./commands/build.ts'),
  },
  index: {
    description: '由各分片的输出重建索引 rebuild index and manifest from built outputs',
    load: () => import('./commands/index.ts'),
  },
  diff: {
    description: '比较两个年度或一次修改 compare fiscal years or a change',
    load: () => import('./commands/diff.ts'),
  },
  comment: {
    description: '在拉取请求中发布或更新一条评论 post or update one pull-request comment (CI)',
    load: () => import('./commands/comment.ts'),
  },
  import: {
    description: '把已有的 xlsx 或导出文本转成 YAML import an xlsx or exported text as YAML',
    load: () => import('./commands/import.ts'),
  },
  dev: {
    description: '边改边看：监视、重建、浏览器自动刷新 watch, rebuild and live-reload in the browser',
    load: () => import('./commands/dev.ts'),
  },
  bench: {
    description: '性能基准 benchmark the build against the browser’s limit',
    load: () => import('./commands/bench.ts'),
  },
  doctor: {
    description: '检查环境（浏览器、字体） check the environment: browser and fonts',
    load: () => import('./commands/doctor.ts'),
  },
  'gen-types': {
    description: '由 JSON Schema 生成 TypeScript 类型 generate TypeScript types from the schema',
    load: () => import('./commands/gen-types.ts'),
  },
  'gen-docs': {
    description: '由代码和 schema 生成 docs/ 中的诊断代码表和键的说明 generate the code list and key tables in docs/',
    load: () => import('./commands/gen-docs.ts'),
  },
  score: {
    description: '计算年终自评的得分和等级 score year-end self-evaluations under the filed rules',
    load: () => import('./commands/score.ts'),
  },
  'self-eval': {
    description: '生成年终自评的骨架 write skeleton self-evaluations (init)',
    load: () => import('./commands/self-eval.ts'),
  },
};

export function mainUsage(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'jxmb — 部门（单位）整体绩效目标表 as code',
    '',
    '用法 Usage: jxmb <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(w)}  ${c.description}`),
    '',
    '`jxmb <command> --help` 查看每个命令的选项 shows each command’s options.',
    '',
    '颜色 Colour: --color / --no-color, else NO_COLOR, FORCE_COLOR, TERM=dumb, else only on a terminal.',
    '',
    '退出码 Exit codes:',
    `  ${EXIT.ok}   成功 success`,
    `  ${EXIT.problems}   输入有问题或有差异 problems found in the input, or differences found`,
    `  ${EXIT.usage}   命令行有误 usage error`,
    `  ${EXIT.environment}  环境有问题 environment error (no browser, a missing tool, disk)`,
    `  ${EXIT.internal}  jxmb 内部错误 internal error (a bug in jxmb)`,
  ].join('\n');
}

/**
 * The last guard before a terminal: jxmb's own colour codes pass, any other control, bidi or invisible
 * character (from a table, a file name, git's output) is shown as an escape. Only on a terminal: a file
 * or a pipe gets JSON, Markdown or YAML byte for byte.
 */
export function terminalSafe(s: string): string {
  return s
    .split(/(\x1b\[[0-9;]*m)/)
    .map((part, i) => (i % 2 ? part : escapeControls(part)))
    .join('');
}

export interface MainIO {
  out?: (s: string) => void;
  err?: (s: string) => void;
  isTTY?: boolean;
  cwd?: string;
}

export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const out = io.out ?? ((s: string) => void process.stdout.write((process.stdout.isTTY ? terminalSafe(s) : s) + '\n'));
  const err = io.err ?? ((s: string) => void process.stderr.write((process.stderr.isTTY ? terminalSafe(s) : s) + '\n'));
  const [name, ...rest] = argv;
  // `jxmb` alone is asking what jxmb does: the help, and success.
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(mainUsage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    const { TOOL_VERSION } = await import('./io/version.ts');
    out(TOOL_VERSION);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    const e = name.startsWith('-')
      ? unknownName(name, ['help', 'version'], 'option')
      : unknownName(name, Object.keys(COMMANDS), 'command');
    const lang = await usageLang(rest, io.cwd ?? process.cwd());
    const more = lang === 'en' ? '`jxmb --help` lists the commands' : '`jxmb --help` 列出全部命令';
    err(`jxmb: ${e.in(lang)}\n\n${e.usage ? mainUsage() : more}`);
    return EXIT.usage;
  }
  const def = (await entry.load()).default;
  const { flag, rest: argvRest } = takeColorFlag(rest);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(usageText(def));
    return 0;
  }
  try {
    const { args, positionals } = parseCommandArgs(def, argvRest);
    const isTTY = io.isTTY ?? Boolean(process.stdout.isTTY);
    const colorFor = (tty: boolean): boolean => useColor({ flag, env: process.env, isTTY: tty });
    return await def.run({
      args,
      positionals,
      out,
      err,
      isTTY,
      color: colorFor(isTTY),
      colorFor,
      cwd: io.cwd ?? process.cwd(),
    });
  } catch (e) {
    if (e instanceof UsageError) {
      const lang = await usageLang(argvRest, io.cwd ?? process.cwd());
      const more = lang === 'en' ? `\`jxmb ${name} --help\` lists its options` : `\`jxmb ${name} --help\` 列出全部选项`;
      err(`jxmb ${name}: ${e.in(lang)}\n\n${e.usage ? usageText(def) : more}`);
      return EXIT.usage;
    }
    if (e instanceof EnvironmentError) {
      err(`jxmb ${name}: ${e.message}`);
      return EXIT.environment;
    }
    // Anything else is a bug in jxmb: say so plainly; the stack only on request.
    const error = e as Error;
    err(
      `jxmb ${name}: 内部错误 internal error: ${error.message}\n` +
        '这是 jxmb 的缺陷，请附上命令和输入报告。This is a bug in jxmb; please report it with the command and input.' +
        (process.env.JXMB_DEBUG ? `\n${error.stack}` : ' (JXMB_DEBUG=1 shows the stack)'),
    );
    return EXIT.internal;
  }
}

/**
 * The language of a command-line complaint: `--lang` on the command line when it names one, else the
 * project's settings (`lang:` in jxmb.settings.yaml), else Chinese. Read only when something went wrong.
 */
export async function usageLang(argv: string[], cwd: string): Promise<'zh' | 'en'> {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice('--lang='.length) : undefined;
    if (v === 'en' || v === 'zh') return v;
  }
  try {
    const { findProjectRoot, loadSettings } = await import('./io/project.ts');
    return (await loadSettings(findProjectRoot(cwd))).settings.lang === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}
