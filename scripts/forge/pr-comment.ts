/**
 * One pull-request comment that a CI job keeps up to date (the `md` diff): find our earlier comment
 * by a hidden marker and PATCH it, else POST a new one. Speaks the REST API that GitHub and Gitea
 * share (`/repos/{owner}/{repo}/issues/{n}/comments`, `/repos/{owner}/{repo}/issues/comments/{id}`),
 * at the API URL the runner gives (GITHUB_API_URL: `https://api.github.com`, or Gitea's `…/api/v1`).
 *
 * Only a comment written by the same identity is ours: anyone can paste the marker into a comment of
 * their own, and updating theirs would let them hide the real diff (and its "⚠ 目标降低"). The identity
 * is the one given, else the token's user (`GET /user`), else the Actions bot (a workflow's
 * GITHUB_TOKEN may not call /user).
 */

export const COMMENT_MARKER = '<!-- jxmb-diff -->';
/** GitHub refuses longer comment bodies. */
export const COMMENT_MAX_CHARS = 65_536;
/** Who a workflow's GITHUB_TOKEN posts as on GitHub; Gitea Actions posts as `gitea-actions`. */
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]';
export const GITEA_ACTIONS_BOT = 'gitea-actions';
const PAGE_SIZE = 50;
const MAX_PAGES = 100;

export interface CommentTarget {
  /** `https://api.github.com`, `https://gitea.example.org/api/v1` (no trailing slash needed). */
  apiUrl: string;
  /** `owner/name` */
  repository: string;
  /** The pull request's number (an issue number on both forges). */
  pr: number;
  token: string;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url?: string;
  /** The login whose comment counts as ours. */
  author: string;
  /** How it was known: given (option or environment), asked (`GET /user`), or the fallback bot. */
  authorFrom: 'given' | 'token' | 'fallback';
  /** Comments carrying the marker written by someone else, left alone. */
  othersWithMarker: number;
}

export interface UpsertOptions {
  marker?: string;
  fetch?: typeof fetch;
  /** The login whose comment is ours (e.g. `--author`); default: the token's user, else `fallbackAuthor`. */
  author?: string;
  /** When the token may not call `/user` (a workflow's GITHUB_TOKEN): default `github-actions[bot]`. */
  fallbackAuthor?: string;
}

/** The forge said no: wrong token, no permission (a fork's read-only token), unknown repository. */
export class CommentError extends Error {
  override name = 'CommentError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface ApiUser {
  id?: number;
  login?: string;
}

interface ApiComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: ApiUser | null;
}

/** The body as posted: the marker first (so the next run finds it), cut to the forge's limit. */
export function commentBody(body: string, marker = COMMENT_MARKER): string {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  if (text.length <= COMMENT_MAX_CHARS) return text;
  const note = '\n\n> ✂️ 评论过长，已截断。The comment was cut to the size limit.\n';
  return text.slice(0, COMMENT_MAX_CHARS - note.length) + note;
}

/** Finds our comment (same author) carrying `marker` and updates it, or creates one. */
export async function upsertComment(
  target: CommentTarget,
  body: string,
  opts: UpsertOptions = {},
): Promise<UpsertResult> {
  const marker = opts.marker ?? COMMENT_MARKER;
  const doFetch = opts.fetch ?? fetch;
  const base = target.apiUrl.replace(/\/+$/, '');
  const repo = target.repository.split('/').map(encodeURIComponent).join('/');
  const headers = {
    Accept: 'application/vnd.github+json, application/json',
    Authorization: `token ${target.token}`,
    'Content-Type': 'application/json',
    'User-Agent': 'jxmb-pr-comment',
  };
  const request = async (method: string, url: string, payload?: unknown): Promise<Response> => {
    try {
      const init = { method, headers, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) };
      return await doFetch(url, init);
    } catch (e) {
      throw new CommentError(`无法连接 cannot reach ${base}: ${(e as Error).message}`);
    }
  };
  const call = async <T>(method: string, url: string, payload?: unknown): Promise<T> => {
    const res = await request(method, url, payload);
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 300);
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? detail;
      } catch {
        // not JSON: keep the text
      }
      const hint =
        res.status === 401 || res.status === 403
          ? '；令牌无权写评论（来自 fork 的拉取请求只有只读令牌；工作流需要 pull-requests: write / issues: write） the token may not ' +
            'write comments (pull requests from forks get a read-only token)'
          : res.status === 404
            ? '；找不到仓库或拉取请求（检查 --repo 和 --pr） repository or pull request not found'
            : '';
      throw new CommentError(`${method} ${url.replace(base, '')} → HTTP ${res.status}: ${detail}${hint}`, res.status);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  };

  // Who we are. A workflow's GITHUB_TOKEN gets 403 from /user ("Resource not accessible by
  // integration"): then the bot it posts as. Only a refusal falls back; no network fails below anyway.
  let me: ApiUser & { login: string };
  let authorFrom: UpsertResult['authorFrom'];
  if (opts.author) {
    me = { login: opts.author };
    authorFrom = 'given';
  } else {
    const res = await request('GET', `${base}/user`);
    const text = await res.text().catch(() => '');
    let user: ApiUser | undefined;
    try {
      user = res.ok ? (JSON.parse(text) as ApiUser) : undefined;
    } catch {
      // not JSON: as if refused
    }
    if (user && typeof user.login === 'string' && user.login) {
      me = { login: user.login, ...(typeof user.id === 'number' ? { id: user.id } : {}) };
      authorFrom = 'token';
    } else {
      me = { login: opts.fallbackAuthor ?? GITHUB_ACTIONS_BOT };
      authorFrom = 'fallback';
    }
  }
  // Logins are case-insensitive on both forges; the numeric id, when both sides have it, survives a rename.
  const isMine = (u: ApiUser | null | undefined): boolean => {
    if (!u) return false;
    if (me.id !== undefined && typeof u.id === 'number') return u.id === me.id;
    return typeof u.login === 'string' && u.login.toLowerCase() === me.login.toLowerCase();
  };

  // Page through the comments. Gitea may ignore paging and return everything at once: stop when a page
  // is short, empty, or repeats what we have seen.
  const seen = new Set<number>();
  let found: ApiComment | undefined;
  let othersWithMarker = 0;
  for (let page = 1; page <= MAX_PAGES && !found; page++) {
    const list = await call<ApiComment[]>(
      'GET',
      `${base}/repos/${repo}/issues/${target.pr}/comments?per_page=${PAGE_SIZE}&limit=${PAGE_SIZE}&page=${page}`,
    );
    if (!Array.isArray(list) || list.length === 0) break;
    const fresh = list.filter((c) => !seen.has(c.id));
    if (!fresh.length) break;
    for (const c of fresh) seen.add(c.id);
    const marked = fresh.filter((c) => typeof c.body === 'string' && c.body.includes(marker));
    found = marked.find((c) => isMine(c.user));
    othersWithMarker += (found ? marked.slice(0, marked.indexOf(found)) : marked).length;
    if (list.length < PAGE_SIZE) break;
  }
  const payload = { body: commentBody(body, marker) };
  const who = { author: me.login, authorFrom, othersWithMarker };
  if (found) {
    const c = await call<ApiComment>('PATCH', `${base}/repos/${repo}/issues/comments/${found.id}`, payload);
    return { action: 'updated', id: c?.id ?? found.id, ...(c?.html_url ? { url: c.html_url } : {}), ...who };
  }
  const c = await call<ApiComment>('POST', `${base}/repos/${repo}/issues/${target.pr}/comments`, payload);
  return { action: 'created', id: c.id, ...(c.html_url ? { url: c.html_url } : {}), ...who };
}
