/**
 * `jxmb comment FILE`: posts FILE (e.g. the `md` diff) as one pull-request comment, updating our
 * earlier comment instead of adding another (found by a hidden marker). For CI on GitHub Actions and
 * Gitea Actions: the API URL, repository, pull request and token come from the runner's environment.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { defineCommand, EnvironmentError, UsageError } from '../_command.ts';
import {
  COMMENT_MARKER,
  CommentError,
  commentBody,
  GITEA_ACTIONS_BOT,
  GITHUB_ACTIONS_BOT,
  upsertComment,
} from '../forge/pr-comment.ts';

/** The pull request's number from the event payload the runner writes (GITHUB_EVENT_PATH). */
async function prFromEvent(file: string | undefined): Promise<number | undefined> {
  if (!file) return undefined;
  try {
    const ev = JSON.parse(await fs.readFile(file, 'utf8')) as {
      pull_request?: { number?: number };
      number?: number;
      issue?: { number?: number };
    };
    return ev.pull_request?.number ?? ev.issue?.number ?? ev.number;
  } catch {
    return undefined;
  }
}

export default defineCommand({
  meta: {
    name: 'comment',
    usage: 'FILE [options]',
    description:
      '把 FILE（如 md 格式的差异）发布为拉取请求中的一条评论；再次运行时更新同一条评论（按隐藏标记查找）。\n' +
      'Post FILE (e.g. the md diff) as one pull-request comment, updating it on later runs (found by a ' +
      'hidden marker).\n' +
      '只更新自己写的那条：作者取 --author、JXMB_COMMENT_AUTHOR、令牌的用户（GET /user），' +
      '否则 Actions 机器人；他人带标记的评论不动。\n' +
      "Only our own comment is updated (author: --author, JXMB_COMMENT_AUTHOR, the token's user, else the bot).\n" +
      '环境 Environment: GITHUB_TOKEN（必需 required）, GITHUB_API_URL, GITHUB_REPOSITORY, ' +
      'GITHUB_EVENT_PATH（GitHub 和 Gitea Actions 都会提供 both runners set these）',
    examples: [
      'jxmb diff --git "origin/$GITHUB_BASE_REF..." --format md -o diff.md && jxmb comment diff.md',
      'jxmb comment diff.md --dry-run',
    ],
  },
  args: {
    pr: {
      type: 'string',
      description: '拉取请求编号（默认取自事件） pull request number (default: from the event)',
      valueHint: 'N',
    },
    repo: {
      type: 'string',
      description: '仓库 owner/name（默认 GITHUB_REPOSITORY） repository',
      valueHint: 'OWNER/NAME',
    },
    api_url: { type: 'string', description: 'REST API 地址（默认 GITHUB_API_URL） API base URL', valueHint: 'URL' },
    author: {
      type: 'string',
      description:
        `本工具评论的作者（默认 JXMB_COMMENT_AUTHOR，或令牌的用户，或 ${GITHUB_ACTIONS_BOT}） ` +
        'login whose comment is ours',
      valueHint: 'LOGIN',
    },
    marker: {
      type: 'string',
      description: '识别本评论的隐藏标记 hidden marker identifying the comment',
      valueHint: 'TEXT',
      default: COMMENT_MARKER,
    },
    dry_run: { type: 'boolean', description: '只显示将要发布的内容 show what would be posted, post nothing' },
  },
  async run({ args, positionals, out, err, cwd }) {
    if (positionals.length !== 1)
      throw new UsageError('需要一个文件（- 表示标准输入） expected one file (- for stdin)');
    if (!args.marker.startsWith('<!--') || !args.marker.endsWith('-->'))
      throw new UsageError('--marker 应是 HTML 注释，如 <!-- jxmb-diff --> (an HTML comment, hidden when rendered)');
    const file = positionals[0]!;
    let body: string;
    try {
      body = file === '-' ? await readStdin() : await fs.readFile(path.resolve(cwd, file), 'utf8');
    } catch {
      throw new UsageError(`读不到文件 cannot read ${file}`);
    }
    const env = process.env;
    const apiUrl = args.api_url ?? env.GITHUB_API_URL ?? 'https://api.github.com';
    const repository = args.repo ?? env.GITHUB_REPOSITORY;
    const prText = args.pr ?? String((await prFromEvent(env.GITHUB_EVENT_PATH)) ?? '');
    const pr = Number(prText);
    if (args.dry_run) {
      out(`→ ${apiUrl} ${repository ?? '(GITHUB_REPOSITORY?)'} #${prText || '?'}\n${commentBody(body, args.marker)}`);
      return 0;
    }
    if (!repository || !/^[^/\s]+\/[^/\s]+$/.test(repository))
      throw new EnvironmentError(
        '不知道是哪个仓库：请设置 GITHUB_REPOSITORY 或 --repo owner/name. Repository unknown: set GITHUB_REPOSITORY or --repo.',
      );
    if (!Number.isInteger(pr) || pr <= 0)
      throw new EnvironmentError(
        '不知道是哪个拉取请求：请在 pull_request 事件中运行，或给出 --pr N. Pull request unknown: run on a pull_request event ' +
          'or pass --pr N.',
      );
    const token = env.GITHUB_TOKEN;
    if (!token)
      throw new EnvironmentError(
        '缺少 GITHUB_TOKEN：请在工作流中设置 env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}. GITHUB_TOKEN is not set.',
      );
    try {
      const author = args.author?.trim() || env.JXMB_COMMENT_AUTHOR?.trim() || undefined;
      // Gitea Actions sets GITEA_ACTIONS=true; its workflow token posts as gitea-actions.
      const fallbackAuthor = env.GITEA_ACTIONS === 'true' ? GITEA_ACTIONS_BOT : GITHUB_ACTIONS_BOT;
      const opts = { marker: args.marker, fallbackAuthor, ...(author ? { author } : {}) };
      const r = await upsertComment({ apiUrl, repository, pr, token }, body, opts);
      const what = r.action === 'updated' ? '已更新评论 updated comment' : '已发布评论 posted comment';
      out(`${what} #${r.id}${r.url ? ` ${r.url}` : ''}（作者 as ${r.author}）`);
      if (r.othersWithMarker) {
        err(
          `jxmb comment: 有 ${r.othersWithMarker} 条他人写的评论带着同样的标记，` +
            `未改动它们（不是 ${r.author} 写的） ` +
            `${r.othersWithMarker} comment(s) by others carry the marker; left alone (not written by ${r.author})`,
        );
      }
      return 0;
    } catch (e) {
      if (e instanceof CommentError) throw new EnvironmentError(e.message);
      throw e;
    }
  },
});

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
