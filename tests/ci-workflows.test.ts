/**
 * What every workflow in .github/workflows owes a runner: the current LTS with npm's cache, a time limit on
 * each job (a hung Chromium must not hold a runner for six hours), and a concurrency group — pull-request
 * runs cancel the one they supersede, builds of main queue so that every merge is built.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers.ts';

interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, { 'timeout-minutes'?: number; steps: { uses?: string; with?: Record<string, unknown> }[] }>;
}

const dir = path.join(ROOT, '.github/workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe.each(files)('.github/workflows/%s', (file) => {
  const wf = parse(readFileSync(path.join(dir, file), 'utf8')) as Workflow;

  it('sets up Node 24 with the npm cache in every job that sets up Node', () => {
    const setups = Object.values(wf.jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith('actions/setup-node@')),
    );
    expect(setups.length).toBeGreaterThan(0);
    for (const s of setups) expect(s.with).toMatchObject({ 'node-version': 24, cache: 'npm' });
  });

  it('limits every job in time', () => {
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(job['timeout-minutes'], name).toBeGreaterThan(0);
      expect(job['timeout-minutes'], name).toBeLessThanOrEqual(60);
    }
  });

  it('has a concurrency group: pull requests cancel superseded runs, other runs queue', () => {
    expect(wf.concurrency?.group).toBeTruthy();
    expect(wf.concurrency?.['cancel-in-progress']).toBe('pull_request' in wf.on);
  });
});

it('there are workflows to check', () => expect(files).toEqual(expect.arrayContaining(['build.yml', 'pr.yml'])));
