/** io/collect.ts: a full collection on every n-th document, and only then. */
import { describe, expect, it } from 'vitest';
import { Collector } from '../../scripts/io/collect.ts';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('Collector', () => {
  it('collects on every n-th document: an object let go is gone right after', async () => {
    const collector = new Collector(3);
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    })();
    await tick();
    expect(collector.done()).toBe(false);
    expect(collector.done()).toBe(false);
    await tick();
    expect(collector.done()).toBe(true);
    await tick();
    // As a boolean: an assertion keeps what it was given (and a WeakRef read keeps its object for a turn).
    expect(ref.deref() === undefined).toBe(true);
    expect(collector.done()).toBe(false);
  });
});
