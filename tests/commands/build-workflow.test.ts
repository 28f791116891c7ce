/** The sharded build workflow runs project commands with options they really have, shards covering 1..n. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommandArgs } from '../../scripts/_command.ts';
import { COMMANDS } from '../../scripts/cli.ts';
import { parseShard } from '../../scripts/commands/build.ts';
import { ROOT } from '../helpers.ts';

type Step = { run?: string; uses?: string };
const wf = parse(readFileSync(path.join(ROOT, '.github/workflows/build.yml'), 'utf8')) as {
  jobs: {
    shard: { strategy: { matrix: { shard: number[] } }; steps: Step[] };
    index: { needs: string; steps: Step[] };
  };
};

describe('.github/workflows/build.yml', () => {
  const lines = Object.values(wf.jobs)
    .flatMap((j) => j.steps)
    .flatMap((s) =>
      (s.run ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );

  it('runs nothing but npm ci and jxmb commands, each parsing against its options', async () => {
    for (const line of lines) expect(line).toMatch(/^(npm ci\b|node scripts\/jxmb\.js )/);
    for (const matrix of wf.jobs.shard.strategy.matrix.shard) {
      for (const line of lines.filter((l) => l.startsWith('node scripts/jxmb.js '))) {
        const [, , name, ...argv] = line.replace('${{ matrix.shard }}', String(matrix)).split(/\s+/);
        const { args } = parseCommandArgs((await COMMANDS[name!]!.load()).default, argv);
        if (name === 'build')
          expect(parseShard(args.shard as string)).toEqual({
            index: matrix,
            count: wf.jobs.shard.strategy.matrix.shard.length,
          });
      }
    }
  });

  it('the matrix is exactly shards 1..n, and the index job waits for all of them', () => {
    const m = wf.jobs.shard.strategy.matrix.shard;
    expect(m).toEqual(Array.from({ length: m.length }, (_, i) => i + 1));
    expect(wf.jobs.index.needs).toBe('shard');
    expect(lines).toContain('node scripts/jxmb.js index --out out');
  });
});
