/**
 * The commit-subject check `npm test` runs: subjects after a given commit are at most 72 characters;
 * no git, or a history without that commit, is skipped rather than failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommits, MAX_SUBJECT } from '../../scripts/setup/check-commits.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'jxmb-commits-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A fresh repository with one empty commit per subject; returns its folder and the commits' hashes. */
function repo(subjects: string[]): { dir: string; hashes: string[] } {
  const dir = mkdtempSync(path.join(base, 'repo-'));
  const git = (...args: string[]): string => {
    const r = spawnSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  git('init', '-q');
  const hashes = subjects.map((s) => {
    git('-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', s, '-m', 'body');
    return git('rev-parse', '--short', 'HEAD');
  });
  return { dir, hashes };
}

describe('checkCommits', () => {
  it('reports only the subjects after the given commit that exceed the limit, counting characters', () => {
    const old = 'x'.repeat(100);
    const fits = '中'.repeat(MAX_SUBJECT); // 72 characters, 216 bytes: characters are what count
    const long = 'y'.repeat(MAX_SUBJECT + 1);
    const { dir, hashes } = repo([old, 'the rule starts here', fits, long]);
    expect(checkCommits(dir, hashes[1])).toEqual({
      checked: 2,
      long: [{ hash: hashes[3], subject: long, length: MAX_SUBJECT + 1 }],
    });
  });

  it('passes when every subject fits', () => {
    const { dir, hashes } = repo(['start', 'short and to the point']);
    expect(checkCommits(dir, hashes[0])).toEqual({ checked: 1, long: [] });
  });

  it('skips a history without the commit (a shallow clone) and a folder that is not a checkout', () => {
    const { dir } = repo(['start']);
    expect(checkCommits(dir, 'a38f1c3')).toEqual({ skipped: 'a38f1c3 is not in the history' });
    expect(checkCommits(path.join(base), 'a38f1c3')).toEqual({ skipped: 'not a git checkout' });
  });
});
