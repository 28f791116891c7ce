/**
 * io/self-eval.ts TargetsHandover.pace: the targets plan waits while HELD_AT_MOST files wait to be taken,
 * goes on as soon as one is taken, and never waits while the self-evaluations wait for a file not given
 * (that would deadlock), nor once closed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELD_AT_MOST, TargetsHandover } from '../../scripts/io/self-eval.ts';

/** Targets files with a self-evaluation beside (only those are held). */
function folder(n: number): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-handover-'));
  return Array.from({ length: n }, (_, i) => {
    const abs = path.join(dir, `d${i}.yaml`);
    writeFileSync(path.join(dir, `d${i}.self-eval.yaml`), '');
    return abs;
  });
}

const settled = async (p: Promise<void> | undefined): Promise<boolean> => {
  if (!p) return true;
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('TargetsHandover.pace', () => {
  it('waits with HELD_AT_MOST files held, goes on when one is taken', async () => {
    const files = folder(HELD_AT_MOST + 1);
    const h = new TargetsHandover();
    for (const f of files.slice(0, HELD_AT_MOST - 1)) h.give(f, { diagnostics: [] });
    expect(h.pace()).toBeUndefined();
    h.give(files[HELD_AT_MOST - 1]!, { diagnostics: [] });
    const wait = h.pace();
    expect(wait).toBeInstanceOf(Promise);
    expect(await settled(wait)).toBe(false);
    expect(await h.take(files[0]!)).toEqual({ diagnostics: [] });
    expect(await settled(wait)).toBe(true);
  });

  it('does not wait while a self-evaluation waits for a file not yet given', async () => {
    const files = folder(HELD_AT_MOST + 1);
    const h = new TargetsHandover();
    for (const f of files.slice(0, HELD_AT_MOST)) h.give(f, { diagnostics: [] });
    const wait = h.pace();
    const later = h.take(files[HELD_AT_MOST]!);
    expect(await settled(wait)).toBe(true);
    expect(h.pace()).toBeUndefined();
    h.give(files[HELD_AT_MOST]!, { diagnostics: [] });
    expect(await later).toEqual({ diagnostics: [] });
  });

  it('does not wait once closed, and wakes whoever waited', async () => {
    const files = folder(HELD_AT_MOST);
    const h = new TargetsHandover();
    for (const f of files) h.give(f, { diagnostics: [] });
    const wait = h.pace();
    h.close();
    expect(await settled(wait)).toBe(true);
    expect(h.pace()).toBeUndefined();
  });
});
