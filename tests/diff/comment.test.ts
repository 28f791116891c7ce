/**
 * `jxmb comment`: one pull-request comment kept up to date, against a fake GitHub/Gitea REST API on
 * 127.0.0.1 — POST the first time, PATCH the same comment after, paging, Gitea ignoring paging, errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER, COMMENT_MAX_CHARS, CommentError, commentBody, upsertComment } from '../../scripts/io/pr-comment.ts';
import { runCli } from '../helpers.ts';

interface Comment {
  id: number;
  body: string;
  html_url: string;
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
  private nextId = 1000;
  private server: Server | undefined;
  url = '';

  add(pr: number, body: string): Comment {
    const c = { id: this.nextId++, body, html_url: `http://forge/owner/repo/pull/${pr}#c` };
    this.comments.set(pr, [...(this.comments.get(pr) ?? []), c]);
    return c;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req).then(([status, data]) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    }));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/v3`;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const seen: Seen = { method: req.method!, url: req.url!, auth: req.headers.authorization, ...(raw ? { body: JSON.parse(raw) } : {}) };
    this.requests.push(seen);
    if (this.failWith) return [this.failWith, { message: 'Resource not accessible by integration' }];
    const u = new URL(req.url!, 'http://x');
    let m = /^\/api\/v3\/repos\/owner\/repo\/issues\/(\d+)\/comments$/.exec(u.pathname);
    if (m && req.method === 'GET') {
      const all = this.comments.get(Number(m[1])) ?? [];
      if (this.ignorePaging) return [200, all];
      const per = Number(u.searchParams.get('per_page') ?? 30);
      const page = Number(u.searchParams.get('page') ?? 1);
      return [200, all.slice((page - 1) * per, page * per)];
    }
    if (m && req.method === 'POST') return [201, this.add(Number(m[1]), seen.body!.body)];
    m = /^\/api\/v3\/repos\/owner\/repo\/issues\/comments\/(\d+)$/.exec(u.pathname);
    if (m && req.method === 'PATCH') {
      for (const list of this.comments.values()) {
        const c = list.find((x) => x.id === Number(m![1]));
        if (c) {
          c.body = seen.body!.body;
          return [200, c];
        }
      }
    }
    return [404, { message: 'Not Found' }];
  }
}

const forge = new FakeForge();
beforeAll(() => forge.start());
afterAll(() => forge.stop());
beforeEach(() => {
  forge.comments.clear();
  forge.requests = [];
  forge.ignorePaging = false;
  forge.failWith = undefined;
});
const target = () => ({ apiUrl: forge.url, repository: 'owner/repo', pr: 7, token: 'tok123' });

describe('upsertComment', () => {
  it('posts a new comment with the marker when there is none', async () => {
    forge.add(7, 'someone else');
    const r = await upsertComment(target(), '## 绩效目标变化\n');
    expect(r.action).toBe('created');
    expect(forge.comments.get(7)!.map((c) => c.body)).toEqual(['someone else', `${COMMENT_MARKER}\n## 绩效目标变化\n`]);
    expect(forge.requests.map((q) => q.method)).toEqual(['GET', 'POST']);
    expect(forge.requests.every((q) => q.auth === 'token tok123')).toBe(true);
  });

  it('updates our comment in place, found on a later page', async () => {
    for (let i = 0; i < 120; i++) forge.add(7, `comment ${i}`);
    const ours = forge.add(7, `${COMMENT_MARKER}\nold diff`);
    const r = await upsertComment(target(), 'new diff');
    expect(r).toMatchObject({ action: 'updated', id: ours.id });
    expect(forge.comments.get(7)).toHaveLength(121);
    expect(ours.body).toBe(`${COMMENT_MARKER}\nnew diff`);
    expect(forge.requests.filter((q) => q.method === 'GET').length).toBe(3);
    expect(forge.requests.at(-1)).toMatchObject({ method: 'PATCH', url: `/api/v3/repos/owner/repo/issues/comments/${ours.id}` });
  });

  it('stops paging when the server ignores it (Gitea returns the whole list)', async () => {
    forge.ignorePaging = true;
    for (let i = 0; i < 60; i++) forge.add(7, `comment ${i}`);
    const r = await upsertComment(target(), 'diff');
    expect(r.action).toBe('created');
    expect(forge.requests.filter((q) => q.method === 'GET').length).toBeLessThanOrEqual(2);
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
    Object.assign(process.env, { GITHUB_API_URL: forge.url, GITHUB_REPOSITORY: 'owner/repo', GITHUB_EVENT_PATH: event, GITHUB_TOKEN: 'tok123' });
  });
  afterEach(() => {
    for (const k of ['GITHUB_API_URL', 'GITHUB_REPOSITORY', 'GITHUB_EVENT_PATH', 'GITHUB_TOKEN']) {
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

  it('--pr and --repo override the environment; --dry-run posts nothing', async () => {
    const r = await runCli(['comment', file, '--pr', '9', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`#9\n${COMMENT_MARKER}\n## 绩效目标变化`);
    expect(forge.requests).toEqual([]);
  });

  it('no token, no pull request, a refusing forge: exit 1 with one clear line', async () => {
    delete process.env.GITHUB_TOKEN;
    const a = await runCli(['comment', file]);
    expect(a.code).toBe(1);
    expect(a.err).toContain('GITHUB_TOKEN');
    process.env.GITHUB_TOKEN = 'tok123';
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main' }));
    const b = await runCli(['comment', file]);
    expect(b.code).toBe(1);
    expect(b.err).toContain('--pr');
    forge.failWith = 403;
    const c = await runCli(['comment', file, '--pr', '7']);
    expect(c.code).toBe(1);
    expect(c.err).toContain('HTTP 403');
    expect(c.err).not.toContain('    at ');
  });

  it('usage: one file, a marker that is an HTML comment', async () => {
    expect((await runCli(['comment'])).code).toBe(2);
    expect((await runCli(['comment', file, '--marker', 'visible'])).code).toBe(2);
  });
});
