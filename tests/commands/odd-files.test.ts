/**
 * Odd things in data/ (and on the command line): a FIFO is never opened (that would block forever), a
 * folder named x.yaml is named as a folder, a link out of the project is refused unread, a link inside
 * it is followed. The same for validate, build and diff: they read through one function.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
const SECRET = 'SECRET-FIRST-LINE: do not print me';

/**
 * A project whose data/2025 holds the seed through a link inside the project, a FIFO, a folder named
 * like a data file, and a link to a file outside the project (with a secret first line).
 */
function oddProject(): { dir: string; outside: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-odd-'));
  const outside = mkdtempSync(path.join(tmpdir(), 'jxmb-outside-'));
  writeFileSync(path.join(outside, 'secret.yaml'), `${SECRET}\n`);
  mkdirSync(path.join(dir, 'data/2025/dir.yaml'), { recursive: true });
  mkdirSync(path.join(dir, 'shared'));
  writeFileSync(path.join(dir, 'shared/zj.yaml'), seed);
  symlinkSync('../../shared/zj.yaml', path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'));
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'data/2025/leak.yaml'));
  execFileSync('mkfifo', [path.join(dir, 'data/2025/pipe.yaml')]);
  return { dir, outside };
}

const codesOf = (out: string): string[] =>
  [...out.matchAll(/^(\S+):(\d+):(\d+) {2}error {2}(\S+)/gm)].map((m) => `${m[1]} ${m[4]}`).sort();

const ODD = [
  'data/2025/dir.yaml FILE_IS_DIRECTORY',
  'data/2025/leak.yaml FILE_OUTSIDE_PROJECT',
  'data/2025/pipe.yaml FILE_NOT_REGULAR',
];

describe('odd files in data/', () => {
  it('validate: each is an error naming it; the FIFO is not opened, the outside file not read', async () => {
    const { dir } = oddProject();
    const r = await runCli(['validate'], dir);
    expect(r.code).toBe(1);
    expect(codesOf(r.out)).toEqual(ODD);
    expect(r.out).toContain('data/2025/dir.yaml 是目录，不是文件');
    expect(r.out).toContain('命名管道（FIFO）');
    expect(r.out).not.toContain('SECRET');
    // The seed, reached through a link inside the project, is checked as usual (its three warnings).
    expect(r.out).toContain('data/2025/zhijiang-swkjgxj.yaml:78:11  warning  DUPLICATE_INDICATOR');
    expect(r.out).toContain('检查了 4 个文件：3 个错误，3 个警告');
  });

  it('validate with the paths given explicitly: the same', async () => {
    const { dir } = oddProject();
    const paths = ['data/2025/pipe.yaml', 'data/2025/dir.yaml', 'data/2025/leak.yaml'];
    const r = await runCli(['validate', '--lang', 'en', ...paths], dir);
    expect(r.code).toBe(1);
    expect(codesOf(r.out)).toEqual(ODD);
    expect(r.out).toContain('named pipe (FIFO)');
    expect(r.out).not.toContain('SECRET');
  });

  it('a link outside the project given on the command line is refused; a plain file there is read', async () => {
    const { dir, outside } = oddProject();
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(outside, 'link.yaml'));
    const linked = await runCli(['validate', path.join(outside, 'link.yaml')], dir);
    expect(linked.out).toContain('FILE_OUTSIDE_PROJECT');
    expect(linked.out).not.toContain('SECRET');
    writeFileSync(path.join(outside, 'plain.yaml'), seed);
    const plain = await runCli(['validate', path.join(outside, 'plain.yaml')], dir);
    expect(plain.code).toBe(0);
  });

  it('a year folder that is a link out of the project: its files are refused', async () => {
    const { dir, outside } = oddProject();
    symlinkSync(outside, path.join(dir, 'data/2026'));
    const r = await runCli(['validate', '--format', 'json'], dir);
    const items = JSON.parse(r.out) as Array<{ file: string; code: string }>;
    const of2026 = items.filter((d) => d.file.startsWith('data/2026/')).map((d) => `${d.file} ${d.code}`);
    expect(of2026).toEqual(['data/2026/secret.yaml FILE_OUTSIDE_PROJECT']);
    expect(r.out).not.toContain('SECRET');
  });

  it('build: the same errors, the good table still built, nothing hangs', async () => {
    const { dir } = oddProject();
    const r = await runCli(['build', '--formats', 'xlsx'], dir);
    expect(r.code).toBe(1);
    expect(codesOf(`${r.out}\n${r.err}`)).toEqual(ODD);
    expect(`${r.out}\n${r.err}`).not.toContain('SECRET');
    expect(readFileSync(path.join(dir, 'out/2025/zhijiang-swkjgxj.xlsx')).length).toBeGreaterThan(0);
  });

  it('a socket named like a data file is not a regular file either', async () => {
    const { dir } = oddProject();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'data/2025/sock.yaml'), resolve));
    try {
      const r = await runCli(['validate', 'data/2025/sock.yaml'], dir);
      expect(r.out).toContain('data/2025/sock.yaml:1:1  error  FILE_NOT_REGULAR');
      expect(r.out).toContain('套接字（socket）');
    } finally {
      server.close();
    }
  });

  it('a dangling link is not found; a loop of links is unreadable (ELOOP)', async () => {
    const { dir } = oddProject();
    symlinkSync('nowhere.yaml', path.join(dir, 'data/2025/dangling.yaml'));
    symlinkSync('loop-b.yaml', path.join(dir, 'data/2025/loop-a.yaml'));
    symlinkSync('loop-a.yaml', path.join(dir, 'data/2025/loop-b.yaml'));
    const r = await runCli(['validate', 'data/2025/dangling.yaml', 'data/2025/loop-a.yaml'], dir);
    expect(codesOf(r.out)).toEqual(['data/2025/dangling.yaml FILE_NOT_FOUND', 'data/2025/loop-a.yaml FILE_UNREADABLE']);
    expect(r.out).toContain('ELOOP');
  });

  it('a FIFO in place of jxmb.settings.yaml is reported, not opened', async () => {
    const { dir } = oddProject();
    execFileSync('mkfifo', [path.join(dir, 'jxmb.settings.yaml')]);
    const r = await runCli(['validate', 'data/2025/zhijiang-swkjgxj.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/jxmb\.settings\.yaml:1:1 {2}error {2}FILE_NOT_REGULAR/);
  });

  it('diff: a FIFO or a folder is reported, exit 2', async () => {
    const { dir } = oddProject();
    const r = await runCli(['diff', 'data/2025/pipe.yaml', 'data/2025/zhijiang-swkjgxj.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('data/2025/pipe.yaml:1:1  error  FILE_NOT_REGULAR');
    const d = await runCli(['diff', 'data/2025/dir.yaml', 'data/2025/leak.yaml'], dir);
    expect(d.code).toBe(2);
    expect(codesOf(d.err)).toEqual(ODD.slice(0, 2));
    expect(d.err).not.toContain('SECRET');
  });
});
