/**
 * The pull-request workflow (.github/workflows/pr.yml) runs only project commands, each with options
 * the command really has, and only features both GitHub Actions and Gitea Actions support.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommandArgs } from '../../scripts/_command.ts';
import { COMMANDS } from '../../scripts/cli.ts';
import { ROOT } from '../helpers.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
const wf = parse(readFileSync(path.join(ROOT, '.github/workflows/pr.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
const commands = steps.flatMap((s) =>
  (s.run ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean),
);

/** Splits a shell line into words, honouring double quotes (enough for this file). */
const words = (line: string): string[] => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

describe('.github/workflows/pr.yml', () => {
  it('runs on pull requests', () => expect(Object.keys(wf.on)).toEqual(['pull_request']));

  it('checks out the full history and uses Node 24', () => {
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with).toMatchObject({ 'fetch-depth': 0 });
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toMatchObject({ 'node-version': 24 });
  });

  it('runs nothing but npm ci, npm run build and jxmb commands', () => {
    for (const c of commands) expect(c).toMatch(/^(npm ci\b|npm run build$|node scripts\/jxmb\.js )/);
    expect(commands).toContain('npm run build');
    expect(commands).toContain('node scripts/jxmb.js validate --git "origin/${BASE_REF}..." --format github');
  });

  it('every jxmb command line parses against that command’s options', async () => {
    const jx = commands.filter((c) => c.startsWith('node scripts/jxmb.js '));
    expect(jx.map((c) => words(c)[2])).toEqual(['validate', 'diff', 'diff', 'comment']);
    for (const c of jx) {
      const [, , name, ...argv] = words(c.replace(/\$\{BASE_REF\}/g, 'main'));
      const def = (await COMMANDS[name!]!.load()).default;
      expect(() => parseCommandArgs(def, argv), c).not.toThrow();
    }
  });

  it('diffs at the merge base with the base branch and comments that md', () => {
    expect(commands).toContain(
      'node scripts/jxmb.js diff --git "origin/${BASE_REF}..." --format md -o out/review/diff.md',
    );
    expect(commands).toContain('node scripts/jxmb.js comment out/review/diff.md');
    const comment = steps.find((s) => s.run?.includes('jxmb.js comment'))!;
    expect(comment.env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
  });

  it('uploads out/ with upload-artifact v4 on github.com and v3 elsewhere (v4 refuses Gitea)', () => {
    const up = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(up.map((s) => [s.uses, s.if, s.with?.path])).toEqual([
      ['actions/upload-artifact@v4', "${{ github.server_url == 'https://github.com' }}", 'out/'],
      ['actions/upload-artifact@v3', "${{ github.server_url != 'https://github.com' }}", 'out/'],
    ]);
  });

  it('uses only actions that exist on both forges', () => {
    const used = steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0]);
    expect([...new Set(used)].sort()).toEqual(['actions/checkout', 'actions/setup-node', 'actions/upload-artifact']);
  });
});
