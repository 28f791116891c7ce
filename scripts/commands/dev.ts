/**
 * `jxmb dev`: watch, rebuild what changed, serve out/ on localhost, reload the open page. The loop
 * itself is scripts/dev/serve.ts; this file is the CLI: options, the URL, and a clean Ctrl-C.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, EnvironmentError, UsageError } from '../_command.ts';
import { PortInUseError, startDevServer } from '../dev/serve.ts';
import { findProjectRoot, loadSettings } from '../io/project.ts';
import { OUTPUT_FORMATS } from '../render/outputs.ts';
import { parseFormats, parseJobs } from './build.ts';

export const DEFAULT_PORT = 4173;
/** `--poll` alone: once a second. */
export const DEFAULT_POLL_MS = 1000;
/** Ports tried after the default one when it is taken (an explicit --port is never swapped). */
const PORT_ATTEMPTS = 20;

export default defineCommand({
  meta: {
    name: 'dev',
    usage: '[options] [--poll [MS]]',
    description:
      '边改边看：监视 data/、模板和 jxmb.settings.yaml，改动后只重新生成受影响的部门（浏览器常驻），在本机提供 out/ 并自动刷新打开的页面。\n' +
      '数据有错误时，终端和页面上都显示诊断（文件:行:列），页面保留上次成功生成的文档。按 Ctrl-C 停止。\n' +
      'Watch data/, the templates and jxmb.settings.yaml; re-render only what changed (one browser kept warm);' +
      ' serve out/ on localhost and reload the open page.' +
      ' Errors show in the terminal and over the last good document in the page. Ctrl-C stops.',
    examples: [
      'jxmb dev',
      'jxmb dev --port 8080',
      'jxmb dev --formats html',
      'jxmb dev --host 0.0.0.0 --port 4173 --allow-host dev.example.lan',
      'jxmb dev --poll 500',
    ],
  },
  args: {
    port: {
      type: 'string',
      description: `端口 port (default: ${DEFAULT_PORT}; if taken, the next free one)`,
      valueHint: 'N',
    },
    host: { type: 'string', description: '监听地址 address to listen on', valueHint: 'HOST', default: '127.0.0.1' },
    allow_host: {
      type: 'string',
      multiple: true,
      description:
        '另外允许的 Host 名称（如反向代理的域名；其余名称一律 403，防 DNS 重绑定） ' +
        'another name the server may be reached by',
      valueHint: 'NAME',
    },
    data: { type: 'string', description: '数据文件夹 data folder (default: <project>/data)', valueHint: 'DIR' },
    out: { type: 'string', description: '输出文件夹 output folder (default: <project>/out)', valueHint: 'DIR' },
    formats: {
      type: 'string',
      description: '输出格式 output formats',
      valueHint: 'LIST',
      default: OUTPUT_FORMATS.join(','),
    },
    jobs: { type: 'string', description: '同时生成的文档数 documents rendered at once', valueHint: 'N' },
    lang: {
      type: 'string',
      description: '信息语言 message language: zh | en（默认取设置 default from settings）',
      valueHint: 'LANG',
    },
    color: { type: 'boolean', description: '强制彩色输出 force colour' },
    poll: {
      type: 'boolean',
      description:
        '定时检查文件而不等系统通知（网络共享盘、虚拟机共享文件夹）；' +
        `可跟间隔毫秒数，默认 ${DEFAULT_POLL_MS} ` +
        'poll the files (network shares) every MS',
    },
  },
  async run({ args, positionals, out, err, color, cwd }) {
    if (args.lang !== undefined && args.lang !== 'zh' && args.lang !== 'en')
      throw new UsageError(`--lang 只能是 zh | en（收到 “${args.lang}”）`);
    let port = DEFAULT_PORT;
    if (args.port !== undefined) {
      port = Number(args.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(
          `--port 须是 0–65535 的整数（收到 “${args.port}”）--port takes a whole number from 0 to 65535`,
        );
    }
    // `--poll 500`: the parser knows no optional values, so the interval arrives as the one positional.
    let poll: number | undefined;
    if (positionals.length && !(args.poll && positionals.length === 1)) {
      throw new UsageError(`多余的参数 unexpected argument: ${positionals.join(' ')}`);
    }
    if (args.poll) {
      poll = positionals.length ? Number(positionals[0]) : DEFAULT_POLL_MS;
      if (!/^\d+$/.test(positionals[0] ?? '0') || poll < 50 || poll > 600_000) {
        throw new UsageError(
          `--poll 的间隔须是 50–600000 的毫秒数（收到 “${positionals[0]}”）` +
            '--poll takes milliseconds from 50 to 600000',
        );
      }
    }
    const formats = parseFormats(args.formats);
    const jobs = parseJobs(args.jobs);
    const root = findProjectRoot(cwd);
    const dataDir = args.data ? path.resolve(cwd, args.data) : path.join(root, 'data');
    const outDir = args.out ? path.resolve(cwd, args.out) : path.join(root, 'out');
    if (!existsSync(dataDir))
      throw new UsageError(`没有数据文件夹 ${path.relative(cwd, dataDir) || dataDir}/ no data folder there`);
    const lang = args.lang ?? (await loadSettings(root)).settings.lang;

    let stopping = false;
    let wake: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (wake = resolve));
    // The browser pool also listens: it kills Chromium at once and, seeing this listener, leaves the
    // rest (closing the server, ending the process) to us.
    const onSignal = (signal: unknown): void => {
      // A second Ctrl-C while closing: leave now.
      if (stopping) process.exit(130);
      stopping = true;
      wake(String(signal));
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const s of signals) process.on(s, onSignal);

    let server;
    try {
      try {
        server = await startDevServer({
          cwd,
          root,
          dataDir,
          outDir,
          formats,
          jobs,
          host: args.host,
          allowedHosts: args.allow_host,
          port,
          portAttempts: args.port === undefined ? PORT_ATTEMPTS : 0,
          lang,
          color,
          log: out,
          ...(poll ? { poll } : {}),
        });
      } catch (e) {
        if (e instanceof PortInUseError) {
          throw new EnvironmentError(
            args.port === undefined
              ? `端口 ${port}–${port + PORT_ATTEMPTS} 都已被占用，请用 --port 指定 ` +
                  `ports ${port}–${port + PORT_ATTEMPTS} are all in use: pick one with --port`
              : `${e.message}：请换一个端口（--port 0 表示任意空闲端口）` +
                  'pick another with --port (0: any free port)',
          );
        }
        throw e;
      }
      if (server.portNote) err(`jxmb dev: ${server.portNote}`);
      const how = server.watchMode() === 'poll' ? `每 ${poll ?? DEFAULT_POLL_MS} 毫秒检查 polling ` : '';
      const rel = (p: string): string => path.relative(cwd, p) || '.';
      const where = `${how}监视 watching ${rel(dataDir)}/，输出 out ${rel(outDir)}/`;
      out(`jxmb dev: ${server.url}  （${where}；按 Ctrl-C 停止 press Ctrl-C to stop）`);
      const signal = await stopped;
      out(`jxmb dev: 正在关闭 closing (${signal}) …`);
      return 0;
    } finally {
      await server?.close();
      for (const s of signals) process.off(s, onSignal);
    }
  },
});
