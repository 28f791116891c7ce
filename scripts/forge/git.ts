/**
 * Asking git itself what changed (for `jxmb diff --git REF` and the diff driver): the repository
 * root, a ref resolved to a commit, the data files changed between it and the working tree, and a
 * file's bytes at that commit. Every failure is a GitError with a message a person can act on.
 */
import { execFile } from 'node:child_process';

/** git is missing, this is not a repository, or a ref does not exist. */
export class GitError extends Error {
  override name = 'GitError';
}

interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs git with arguments (never through a shell); resolves with its output and exit code. */
export function runGit(args: string[], cwd: string, input?: { okCodes?: number[] }): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout, stderr) => {
        // A non-zero exit gives a numeric `code`; a failure to start gives a string one (ENOENT).
        const raw = (err as { code?: number | string } | null)?.code;
        const code = !err ? 0 : typeof raw === 'number' ? raw : -1;
        if (raw === 'ENOENT') {
          reject(new GitError('找不到 git 命令；请安装 git。git is not installed or not on PATH.'));
          return;
        }
        const result = { stdout, stderr: stderr.toString('utf8').trim(), code };
        if (code !== 0 && !(input?.okCodes ?? []).includes(code))
          reject(Object.assign(new GitError(result.stderr || `git ${args[0]} failed (exit ${code})`), { result }));
        else resolve(result);
      },
    );
  });
}

/** The top folder of the working tree containing `cwd`. */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    return (await runGit(['rev-parse', '--show-toplevel'], cwd)).stdout.toString('utf8').trim();
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.message)) {
      throw new GitError(
        `${cwd} 不在 git 仓库中；--git 比较的是 git 中的版本。${cwd} is not inside a git repository ` +
          '(--git compares against a git ref).',
      );
    }
    throw e;
  }
}

/**
 * A ref as a commit id. `REF...` means where the current branch left REF (`git merge-base REF HEAD`):
 * what a pull request changes, whichever commit the CI checked out.
 */
export async function resolveRef(root: string, ref: string): Promise<string> {
  const base = ref.endsWith('...') ? ref.slice(0, -3) : ref;
  if (!base || base.startsWith('-')) throw new GitError(`不是有效的 git 引用 not a valid git ref: “${ref}”`);
  let commit: string;
  try {
    commit = (await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`], root)).stdout
      .toString('utf8')
      .trim();
  } catch {
    throw new GitError(
      `找不到 git 引用 “${base}”；请检查拼写，CI 中请用 fetch-depth: 0 取回完整历史。` +
        `unknown git ref "${base}" (in CI, check out with fetch-depth: 0).`,
    );
  }
  if (!ref.endsWith('...')) return commit;
  try {
    return (await runGit(['merge-base', commit, 'HEAD'], root)).stdout.toString('utf8').trim();
  } catch {
    throw new GitError(`“${base}” 与 HEAD 没有共同的提交 no common ancestor between "${base}" and HEAD`);
  }
}

export type ChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed';

export interface ChangedFile {
  status: ChangeStatus;
  /** Path relative to the repository root (forward slashes): the new path, or the old one when deleted. */
  path: string;
  /** The old path of a renamed or copied file. */
  oldPath?: string;
}

const STATUS: Record<string, ChangeStatus> = {
  A: 'added',
  D: 'deleted',
  M: 'modified',
  T: 'modified',
  R: 'renamed',
  C: 'added',
};

/**
 * Files under `pathspec` that differ between `commit` and the working tree (staged or not), plus
 * untracked files there (a new table not yet added is still a change), sorted by path.
 */
export async function changedFiles(root: string, commit: string, pathspec: string): Promise<ChangedFile[]> {
  const out = (
    await runGit(['diff', '--name-status', '-z', '-M', '--no-ext-diff', '--no-textconv', commit, '--', pathspec], root)
  ).stdout.toString('utf8');
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length - 1;) {
    const code = parts[i++]!;
    const letter = code[0]!;
    if (letter === 'R' || letter === 'C') {
      const oldPath = parts[i++]!;
      const path = parts[i++]!;
      files.push(letter === 'R' ? { status: 'renamed', path, oldPath } : { status: 'added', path });
    } else if (STATUS[letter]) files.push({ status: STATUS[letter], path: parts[i++]! });
    else i++;
  }
  const untracked = (await runGit(['ls-files', '--others', '--exclude-standard', '-z', '--', pathspec], root)).stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  for (const path of untracked) if (!files.some((f) => f.path === path)) files.push({ status: 'added', path });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A file's bytes at a commit (no filters, no textconv). */
export async function showFile(root: string, commit: string, path: string): Promise<Buffer> {
  return (await runGit(['cat-file', 'blob', `${commit}:${path}`], root)).stdout;
}
