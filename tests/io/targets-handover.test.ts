/**
 * A build's targets plan hands each targets file, as it checks it, to the self-evaluations' plan running
 * alongside (io/self-eval.ts TargetsHandover): the self-evaluations check the same as when they read
 * the targets files themselves, and only files with a self-evaluation beside them are kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../scripts/bench/generate.ts';
import { writeProject } from '../../scripts/bench/measure.ts';
import { checkFiles } from '../../scripts/io/project.ts';
import { checkSelfEvalFiles, TargetsHandover } from '../../scripts/io/self-eval.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'jxmb-handover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dataDir = path.join(root, 'data');
const files = generateProject({ departments: 4, seed: 3 });
await writeProject(root, files);
const abs = (p: string): string => path.join(root, p);
const targets = files.filter((f) => /\/[a-z0-9-]+\.yaml$/.test(f.path)).map((f) => abs(f.path));
const selfEvals = files.filter((f) => f.path.endsWith('.self-eval.yaml')).map((f) => abs(f.path));
// One targets file with an error, and one without a self-evaluation beside it.
writeFileSync(
  targets[1]!,
  files.find((f) => abs(f.path) === targets[1])!.text.replace(/^fiscal_year: .*$/m, 'fiscal_year: x'),
);
const lone = path.join(dataDir, '2025', 'lone-dept.yaml');
writeFileSync(lone, files.find((f) => abs(f.path) === targets[0])!.text);
const opts = { dataDir, settings: DEFAULT_SETTINGS, cwd: root, root };

describe('TargetsHandover', () => {
  it('self-evaluations check the same with the targets handed over as when read from disk', async () => {
    const alone = await checkSelfEvalFiles(selfEvals, opts);
    const handover = new TargetsHandover();
    // The self-evaluations' plan starts first and waits; the targets plan gives as it checks.
    const alongside = checkSelfEvalFiles(selfEvals, { ...opts, handover });
    await checkFiles([...targets, lone], { ...opts, onChecked: (c) => handover.give(path.resolve(root, c.file), c) });
    handover.close();
    const together = await alongside;
    const summary = (cs: typeof alone): unknown =>
      cs.map((c) => [c.file, c.diagnostics.map((d) => d.code), c.evaluation?.total]);
    expect(summary(together)).toEqual(summary(alone));
    expect(together[1]!.diagnostics.map((d) => d.code)).toContain('SELF_EVAL_TARGETS_INVALID');
    expect(together.filter((c) => c.evaluation)).toHaveLength(3);
  });

  it('keeps only targets files with a self-evaluation beside them, each until taken', async () => {
    const handover = new TargetsHandover();
    const checked = await checkFiles([targets[0]!, lone], opts);
    for (const c of checked) handover.give(path.resolve(root, c.file), c);
    // Given and kept: taken at once. Never kept (no self-evaluation beside it): the taker waits.
    const now = <T>(p: Promise<T>): Promise<T | 'waits'> => Promise.race([p, Promise.resolve('waits' as const)]);
    const first = await now(handover.take(targets[0]!));
    expect(first !== 'waits' && first?.data).toBeTruthy();
    const loneTaken = handover.take(lone);
    expect(await now(loneTaken)).toBe('waits');
    handover.close();
    expect(await loneTaken).toBeUndefined();
    // Taken once; the file without a self-evaluation was never kept; after close nothing waits.
    expect(await handover.take(targets[0]!)).toBeUndefined();
    expect(await handover.take(lone)).toBeUndefined();
  });

  it('close wakes whoever still waits, so they read from disk', async () => {
    const handover = new TargetsHandover();
    const waiting = handover.take(targets[2]!);
    handover.close();
    expect(await waiting).toBeUndefined();
    handover.give(targets[2]!, (await checkFiles([targets[2]!], opts))[0]!);
    expect(await handover.take(targets[2]!)).toBeUndefined();
  });
});
