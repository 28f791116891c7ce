/**
 * `jxmb comment`: one pull-request comment kept up to date, against a fake GitHub/Gitea REST API on
 * 127.0.0.1 — POST the first time, PATCH the same comment after, paging, Gitea ignoring paging, errors;
 * only a comment by the same author is ours (the token's user, else the Actions bot), never another's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatMarkdown, mdCode, mdEscape } from '../../scripts/diff/format-md.ts';
import {
  COMMENT_MARKER,
  COMMENT_MAX_CHARS,
  CommentError,
  commentBody,
  upsertComment,
} from '../../scripts/forge/pr-comment.ts';
import { runCli } from '../helpers.ts';
import { fixtureDiff } from '../diff/_fixtures.ts';

interface User {
  id: number;
  login: string;
}
interface Comment {
  id: number;
  body: string;
  html_url: string;
  user: User;
}
interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body?: { body: string };
}

/** A forge with one repository (owner/repo) and its pull requests' comments. */
class FakeForge {
  comments = new Map<number, Comment[]>();
  requests: Seen[] = [];
  /** Gitea may answer every page with the whole list. */
  ignorePaging = false;
  failWith: number | undefined;
  /** The user behind each token for `GET /user`; a token not here is refused like a workflow's GITHUB_TOKEN. */
  users = new Map<string, User>();
  private nextId = 1000;
  private server: Server | undefined;
  url = '';

  /** A comment by `user` (default: the bot a workflow's GITHUB_TOKEN posts as). */
  add(pr: number, body: string, user: User = BOT): Comment {
    const c = { id: this.nextId++, body, html_url: `http://forge/owner/repo/pull/${pr}#c`, user };
    this.comments.set(pr, [...(this.comments.get(pr) ?? []), c]);
    return c;
  }

  async start(): Promise<void> {
    this.server = createServer(
      (req, res) =>
        void this.handle(req).then(([status, data]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(data));
        }),
    );
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v3`;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const seen: Seen = {
      method: req.method!,
      url: req.url!,
      auth: req.headers.authorization,
      ...(raw ? { body: JSON.parse(raw) as { body: string } } : {}),
    };
    this.requests.push(seen);
    if (this.failWith) return [this.failWith, { message: 'Resource not accessible by integration' }];
    const u = new URL(req.url!, 'http://x');
    const token = req.headers.authorization?.replace(/^token /, '') ?? '';
    if (u.pathname === '/api/v3/user' && req.method === 'GET') {
      const me = this.users.get(token);
      return me ? [200, me] : [403, { message: 'Resource not accessible by integration' }];
    }
    let m = /^\/api\/v3\/repos\/owner\/repo\/issues\/(\d+)\/comments$/.exec(u.pathname);
    if (m && req.method === 'GET') {
      const all = this.comments.get(Number(m[1])) ?? [];
      if (this.ignorePaging) return [200, all];
      const per = Number(u.searchParams.get('per_page') ?? 30);
      const page = Number(u.searchParams.get('page') ?? 1);
      return [200, all.slice((page - 1) * per, page * per)];
    }
    if (m && req.method === 'POST') return [201, this.add(Number(m[1]), seen.body!.body, this.users.get(token) ?? BOT)];
    m = /^\/api\/v3\/repos\/owner\/repo\/issues\/comments\/(\d+)$/.exec(u.pathname);
    if (m && req.method === 'PATCH') {
      for (const list of this.comments.values()) {
        const c = list.find((x) => x.id === Number(m[1]));
        if (c) {
          c.body = seen.body!.body;
          return [200, c];
        }
      }
    }
    return [404, { message: 'Not Found' }];
  }
}

const BOT: User = { id: 41898282, login: 'github-actions[bot]' };
const MALLORY: User = { id: 666, login: 'mallory' };
const forge = new FakeForge();
beforeAll(() => forge.start());
afterAll(() => forge.stop());
beforeEach(() => {
  forge.comments.clear();
  forge.requests = [];
  forge.ignorePaging = false;
  forge.failWith = undefined;
  forge.users.clear();
});
const listed = (): number => forge.requests.filter((q) => q.method === 'GET' && q.url.includes('/comments')).length;
const target = () => ({ apiUrl: forge.url, repository: 'owner/repo', pr: 7, token: 'tok123' });

describe('upsertComment', () => {
  it('posts a new comment with the marker when there is none', async () => {
    forge.add(7, 'someone else');
    const r = await upsertComment(target(), '## 绩效目标变化\n');
    expect(r.action).toBe('created');
    expect(forge.comments.get(7)!.map((c) => c.body)).toEqual(['someone else', `${COMMENT_MARKER}\n## 绩效目标变化\n`]);
    expect(forge.requests.map((q) => q.method)).toEqual(['GET', 'GET', 'POST']);
    expect(forge.requests.every((q) => q.auth === 'token tok123')).toBe(true);
  });

  it('updates our comment in place, found on a later page', async () => {
    for (let i = 0; i < 120; i++) forge.add(7, `comment ${i}`);
    const ours = forge.add(7, `${COMMENT_MARKER}\nold diff`);
    const r = await upsertComment(target(), 'new diff');
    expect(r).toMatchObject({ action: 'updated', id: ours.id });
    expect(forge.comments.get(7)).toHaveLength(121);
    expect(ours.body).toBe(`${COMMENT_MARKER}\nnew diff`);
    expect(listed()).toBe(3);
    expect(forge.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      url: `/api/v3/repos/owner/repo/issues/comments/${ours.id}`,
    });
  });

  it('stops paging when the server ignores it (Gitea returns the whole list)', async () => {
    forge.ignorePaging = true;
    for (let i = 0; i < 60; i++) forge.add(7, `comment ${i}`);
    const r = await upsertComment(target(), 'diff');
    expect(r.action).toBe('created');
    expect(listed()).toBeLessThanOrEqual(2);
  });

  it('leaves a marker comment by someone else alone and creates ours', async () => {
    const theirs = forge.add(7, `${COMMENT_MARKER}\n没有差异。`, MALLORY);
    const r = await upsertComment(target(), '⚠ 目标降低');
    const expected = { action: 'created', author: 'github-actions[bot]', authorFrom: 'fallback', othersWithMarker: 1 };
    expect(r).toMatchObject(expected);
    expect(theirs.body).toBe(`${COMMENT_MARKER}\n没有差异。`);
    expect(forge.requests.some((q) => q.method === 'PATCH')).toBe(false);
    expect(forge.comments.get(7)!.map((c) => [c.user.login, c.body])).toEqual([
      ['mallory', `${COMMENT_MARKER}\n没有差异。`],
      ['github-actions[bot]', `${COMMENT_MARKER}\n⚠ 目标降低`],
    ]);
  });

  it('updates ours even when a hijacker’s marker comment comes first, across pages', async () => {
    forge.add(7, `${COMMENT_MARKER}\nfake`, MALLORY);
    for (let i = 0; i < 60; i++) forge.add(7, `comment ${i}`, MALLORY);
    const ours = forge.add(7, `${COMMENT_MARKER}\nold diff`);
    forge.add(7, `quoting: ${COMMENT_MARKER}`, MALLORY);
    const r = await upsertComment(target(), 'new diff');
    expect(r).toMatchObject({ action: 'updated', id: ours.id, othersWithMarker: 1 });
    expect(ours.body).toBe(`${COMMENT_MARKER}\nnew diff`);
    expect(forge.comments.get(7)![0]!.body).toBe(`${COMMENT_MARKER}\nfake`);
  });

  it('with a personal token, ours is the token’s user (by id, whatever the login’s case)', async () => {
    const me = { id: 12, login: 'Jxmb-CI' };
    forge.users.set('tok123', me);
    forge.add(7, `${COMMENT_MARKER}\nby the bot`);
    const mine = forge.add(7, `${COMMENT_MARKER}\nmine`, { id: 12, login: 'jxmb-ci' });
    const r = await upsertComment(target(), 'new');
    expect(r).toMatchObject({ action: 'updated', id: mine.id, author: 'Jxmb-CI', authorFrom: 'token' });
    expect(r.othersWithMarker).toBe(1);
    expect(forge.comments.get(7)![0]!.body).toBe(`${COMMENT_MARKER}\nby the bot`);
  });

  it('a given author wins over the token’s user; a comment with no user is never ours', async () => {
    forge.users.set('tok123', { id: 12, login: 'jxmb-ci' });
    const nobody = forge.add(7, `${COMMENT_MARKER}\nghost`);
    (nobody as { user: unknown }).user = null;
    const theirs = forge.add(7, `${COMMENT_MARKER}\nbot's`, BOT);
    const r = await upsertComment(target(), 'new', { author: 'github-actions[bot]' });
    expect(r).toMatchObject({ action: 'updated', id: theirs.id, authorFrom: 'given', othersWithMarker: 1 });
    expect(forge.requests.some((q) => q.url === '/api/v3/user')).toBe(false);
  });

  it('a forbidden token is a CommentError that says why', async () => {
    forge.failWith = 403;
    const e = await upsertComment(target(), 'diff').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CommentError);
    expect((e as CommentError).status).toBe(403);
    expect((e as Error).message).toContain('fork');
  });

  it('cuts a body over the forge’s limit, keeping the marker', () => {
    const body = commentBody('字'.repeat(70_000));
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain('已截断');
  });
});

describe('jxmb comment FILE (environment as GitHub and Gitea Actions set it)', () => {
  const saved = { ...process.env };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-comment-'));
  const file = path.join(dir, 'diff.md');
  const event = path.join(dir, 'event.json');
  beforeEach(() => {
    writeFileSync(file, '## 绩效目标变化\n\n没有差异。\n');
    writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7 } }));
    Object.assign(process.env, {
      GITHUB_API_URL: forge.url,
      GITHUB_REPOSITORY: 'owner/repo',
      GITHUB_EVENT_PATH: event,
      GITHUB_TOKEN: 'tok123',
    });
  });
  afterEach(() => {
    const vars = ['GITHUB_API_URL', 'GITHUB_REPOSITORY', 'GITHUB_EVENT_PATH', 'GITHUB_TOKEN'];
    vars.push('JXMB_COMMENT_AUTHOR', 'GITEA_ACTIONS');
    for (const k of vars) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('posts once, then updates the same comment', async () => {
    const a = await runCli(['comment', file]);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^已发布评论 posted comment #\d+/);
    writeFileSync(file, '## 绩效目标变化\n\n有变化。\n');
    const b = await runCli(['comment', file]);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/^已更新评论 updated comment #\d+/);
    expect(forge.comments.get(7)!.map((c) => c.body)).toEqual([`${COMMENT_MARKER}\n## 绩效目标变化\n\n有变化。\n`]);
  });

  it('never updates another’s marker comment; --author / JXMB_COMMENT_AUTHOR / Gitea say who we are', async () => {
    const theirs = forge.add(7, `${COMMENT_MARKER}\n没有差异。`, MALLORY);
    const a = await runCli(['comment', file]);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^已发布评论 posted comment #\d+.*github-actions\[bot\]/);
    expect(a.err).toContain('1 条他人写的评论');
    expect(theirs.body).toBe(`${COMMENT_MARKER}\n没有差异。`);
    // Gitea Actions: its token posts as gitea-actions, so ours is that one.
    process.env.GITEA_ACTIONS = 'true';
    const gitea = forge.add(7, `${COMMENT_MARKER}\ngitea`, { id: -2, login: 'gitea-actions' });
    expect((await runCli(['comment', file])).out).toMatch(/^已更新评论 updated comment #(\d+).*gitea-actions/);
    expect(gitea.body).toBe(`${COMMENT_MARKER}\n## 绩效目标变化\n\n没有差异。\n`);
    delete process.env.GITEA_ACTIONS;
    process.env.JXMB_COMMENT_AUTHOR = 'mallory';
    expect((await runCli(['comment', file])).out).toMatch(new RegExp(`^已更新评论 updated comment #${theirs.id}`));
    expect((await runCli(['comment', file, '--author', 'someone-else'])).out).toMatch(/^已发布评论/);
  });

  it('--pr and --repo override the environment; --dry-run posts nothing', async () => {
    const r = await runCli(['comment', file, '--pr', '9', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`#9\n${COMMENT_MARKER}\n## 绩效目标变化`);
    expect(forge.requests).toEqual([]);
  });

  it('no token, no pull request, a refusing forge: exit 69 with one clear line', async () => {
    delete process.env.GITHUB_TOKEN;
    const a = await runCli(['comment', file]);
    expect(a.code).toBe(69);
    expect(a.err).toContain('GITHUB_TOKEN');
    process.env.GITHUB_TOKEN = 'tok123';
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main' }));
    const b = await runCli(['comment', file]);
    expect(b.code).toBe(69);
    expect(b.err).toContain('--pr');
    forge.failWith = 403;
    const c = await runCli(['comment', file, '--pr', '7']);
    expect(c.code).toBe(69);
    expect(c.err).toContain('HTTP 403');
    expect(c.err).not.toContain('    at ');
  });

  it('usage: one file, a marker that is an HTML comment', async () => {
    expect((await runCli(['comment'])).code).toBe(2);
    expect((await runCli(['comment', file, '--marker', 'visible'])).code).toBe(2);
  });
});

describe('the comment’s Markdown: data shows as text and does nothing else', () => {
  const WJ = '\u2060';
  /** Cells of a table row, split where GFM splits them (at a `|` not backslashed). */
  const cellCount = (row: string): number => row.split(/(?<!\\)\|/).length;
  /** What the forge would act on in the rendered text: mentions, issue refs, autolinks, raw HTML. */
  const live = (md: string): string[] =>
    [
      ...md.matchAll(/(?<![\w\u2060])@[\w-]+/g),
      ...md.matchAll(/#\d+/g),
      ...md.matchAll(/\b(?:https?|ftp):\/\/|\bwww\.|\bmailto:(?!\u2060)|\bGH-\d/gi),
      ...md.matchAll(/<(?!\/?(?:del|ins|br)>)[a-z!/]/gi),
    ].map((m) => m[0]);

  it('line breaks of every kind (a lone CR too) become <br>, never a new table row', () => {
    for (const nl of ['\r', '\n', '\r\n', '\u2028', '\u2029']) expect(mdEscape(`甲${nl}乙`)).toBe('甲<br>乙');
    expect(mdEscape('a\r\n\rb')).toBe('a<br><br>b');
    const { report } = fixtureDiff('diff-hostile-markdown');
    report.departments[0]!.name = '甲\r| x |\r乙\n丙';
    const md = formatMarkdown(report, { lang: 'zh' });
    expect(md).not.toMatch(/\r/);
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows[1]).toContain('甲<br>\\| x \\|<br>乙<br>丙（test-dept）');
    expect(cellCount(rows[1]!)).toBe(cellCount(rows[0]!));
  });

  it('no @mention, issue reference, bare link or e-mail autolink survives; the text reads the same', () => {
    const cases: Array<[string, string]> = [
      ['@octocat 请看', `@${WJ}octocat 请看`],
      ['抄送@jxmb/reviewers', `抄送@${WJ}jxmb/reviewers`],
      ['见 #12 和 owner/repo#3、GH-7', `见 \\#${WJ}12 和 owner/repo\\#${WJ}3、GH${WJ}-7`],
      ['https://evil.example/a_b', `https:${WJ}//evil.example/a\\_b`],
      ['www.evil.example', `www${WJ}.evil.example`],
      ['x@163.com mailto:x', `x@${WJ}163.com mailto:${WJ}x`],
    ];
    for (const [raw, escaped] of cases) {
      expect(mdEscape(raw)).toBe(escaped);
      expect(live(mdEscape(raw))).toEqual([]);
      expect(mdEscape(raw).replaceAll(WJ, '').replace(/\\(.)/g, '$1')).toBe(raw);
    }
  });

  it('no HTML, link, image, emphasis, code or block markup from the data', () => {
    expect(mdEscape('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mdEscape('[点](javascript:x) ![i](p.png)')).toBe('\\[点\\](javascript:x) !\\[i\\](p.png)');
    const markup = mdEscape('`a` **b** _c_ ~~d~~ | \\ &lt;');
    expect(markup).toBe('\\`a\\` \\*\\*b\\*\\* \\_c\\_ \\~\\~d\\~\\~ \\| \\\\ &amp;lt;');
    expect(['- a', '+ a', '1. a', '2) a', '# a', '> a', '===', '---'].map(mdEscape)).toEqual([
      '\\- a',
      '\\+ a',
      '1\\. a',
      '2\\) a',
      '\\# a',
      '&gt; a',
      '\\===',
      '\\---',
    ]);
    // Ordinary values are left alone.
    for (const s of ['≥95%', '1.5万元', '2025年12月31日前', '-5%', '0745-6822345', 'a-b']) expect(mdEscape(s)).toBe(s);
  });

  it('a refs label with backticks stays one code span', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x')).toBe('`` `x ``');
    const { report } = fixtureDiff('diff-hostile-markdown');
    report.fromLabel = 'main` @octocat `';
    expect(formatMarkdown(report, { lang: 'zh' })).toContain('比较 `` main` @octocat ` `` → `new.yaml`');
  });

  it('the hostile fixture’s golden Markdown keeps every table row whole and nothing live', () => {
    const md = formatMarkdown(fixtureDiff('diff-hostile-markdown').report, { lang: 'zh' });
    expect(live(md)).toEqual([]);
    const lines = md.split('\n');
    for (const [i, l] of lines.entries()) {
      if (/^\|---/.test(l)) {
        const n = cellCount(l);
        for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) {
          expect(cellCount(lines[j]!), lines[j]).toBe(n);
        }
      }
    }
  });
});
