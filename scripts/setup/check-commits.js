// `npm test` runs this: every commit subject since a38f1c3 is at most 72 characters, with the detail in
// the body (git log --oneline, GitHub and mail clients cut longer ones). Earlier history is what it is.
// Skips quietly where there is nothing to check: not a git checkout (a tarball), or a shallow clone that
// lacks a38f1c3. Plain JS, so it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The last commit before the rule: only the commits after it are checked. */
export const SINCE = 'a38f1c3';
/** The longest subject allowed, in characters (code points). */
export const MAX_SUBJECT = 72;

/**
 * The commits after `since` in the git checkout at `dir` whose subject is longer than `max` characters,
 * or `skipped` with why nothing was checked.
 * @param {string} dir
 * @param {string} [since]
 * @param {number} [max]
 * @returns {{ skipped: string } | { checked: number, long: { hash: string, subject: string, length: number }[] }}
 */
export function checkCommits(dir, since = SINCE, max = MAX_SUBJECT) {
  const git = (/** @type {string[]} */ ...args) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  const inside = git('rev-parse', '--is-inside-work-tree');
  if (inside.error || inside.status !== 0) return { skipped: 'not a git checkout' };
  if (git('cat-file', '-e', `${since}^{commit}`).status !== 0) return { skipped: `${since} is not in the history` };
  const log = git('log', '--format=%h%x09%s', `${since}..HEAD`);
  if (log.status !== 0) return { skipped: `git log failed: ${log.stderr.trim()}` };
  const commits = log.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const subject = line.slice(tab + 1);
      return { hash: line.slice(0, tab), subject, length: [...subject].length };
    });
  return { checked: commits.length, long: commits.filter((c) => c.length > max) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const result = checkCommits(root);
  if ('long' in result && result.long.length) {
    for (const c of result.long) {
      process.stderr.write(
        `jxmb: commit ${c.hash}: subject is ${c.length} characters, at most ${MAX_SUBJECT} ` +
          `(put the detail in the body): ${c.subject}\n`,
      );
    }
    process.exitCode = 1;
  }
}
