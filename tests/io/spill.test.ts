/** io/spill.ts: bytes set aside come back the same, in any order, however many; the caller's copy is free. */
import { describe, expect, it } from 'vitest';
import { spill, unspill } from '../../scripts/io/spill.ts';

describe('spill', () => {
  it('gives back every piece exactly, in any order', () => {
    const pieces = Array.from({ length: 300 }, (_, i) =>
      Uint8Array.from({ length: (i * 37) % 5000 }, (_, k) => (k * 7 + i) % 256),
    );
    const kept = pieces.map((p) => spill(p));
    for (const i of [...pieces.keys()].reverse())
      expect(Buffer.from(unspill(kept[i]!))).toEqual(Buffer.from(pieces[i]!));
  });

  it('keeps nothing of the caller’s buffer: changing it later changes nothing', () => {
    const bytes = Buffer.from('绩效目标表', 'utf8');
    const kept = spill(bytes);
    bytes.fill(0);
    expect(Buffer.from(unspill(kept)).toString('utf8')).toBe('绩效目标表');
  });

  it('an empty piece is empty', () => {
    expect(unspill(spill(new Uint8Array())).length).toBe(0);
  });
});
