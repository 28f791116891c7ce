/**
 * build/park.ts: a parked model reads back the same (v8's format: undefined, NaN, nested arrays), every
 * holder shares one copy, a pinned model is one object until released, and at most LIVE_MODELS
 * read-back models stay live.
 */
import { describe, expect, it } from 'vitest';
import { isParked, LIVE_MODELS, parkModel, pinModel, releaseModel, shareModel } from '../../scripts/build/park.ts';

const model = (code: string) => ({
  fiscalYear: 2025,
  code,
  name: '县财政局',
  rows: [{ name: '培训人次', points: 10, missing: undefined, ratio: Number.NaN }],
});

/** Parks `n` other models and reads each back: more than the cache of the latest keeps. */
function readOthers(n: number): void {
  for (let i = 0; i < n; i++) {
    const other = { model: model(`other${i}`) };
    parkModel(other);
    void other.model;
  }
}

describe('parkModel', () => {
  it('reads back an equal model, not the same object, and keeps nothing live once released', () => {
    const original = model('czj');
    const holder: { model?: ReturnType<typeof model> } = { model: original };
    parkModel(holder);
    expect(isParked(holder)).toBe(true);
    const back = holder.model!;
    expect(back).not.toBe(original);
    expect(back).toEqual(original);
    expect('missing' in back.rows[0]!).toBe(true);
    expect(Number.isNaN(back.rows[0]!.ratio)).toBe(true);
    // Read twice in a row: one read-back (the cache of the latest).
    expect(holder.model).toBe(back);
    releaseModel(holder);
    expect(holder.model).not.toBe(back);
    expect(holder.model).toEqual(original);
  });

  it('leaves a holder without a model alone, and a model deleted is gone', () => {
    const none: { model?: unknown } = {};
    parkModel(none);
    expect(isParked(none)).toBe(false);
    expect('model' in none).toBe(false);
    const h: { model?: unknown } = { model: model('a') };
    parkModel(h);
    delete h.model;
    expect('model' in h).toBe(false);
    expect(h.model).toBeUndefined();
  });

  it('pinned: the very object until released (a head start finds it by identity)', () => {
    const original = model('pin');
    const h = { model: original };
    parkModel(h, true);
    readOthers(LIVE_MODELS + 10);
    expect(h.model).toBe(original);
    releaseModel(h);
    expect(h.model).not.toBe(original);
  });

  it('pinModel keeps a read-back model one object however many others are read meanwhile', () => {
    const h = { model: model('p') };
    parkModel(h);
    pinModel(h);
    const first = h.model;
    readOthers(LIVE_MODELS + 10);
    expect(h.model).toBe(first);
    releaseModel(h);
    expect(h.model).not.toBe(first);
  });

  it('keeps at most LIVE_MODELS read-back models live: the oldest is read back again', () => {
    const holders = Array.from({ length: LIVE_MODELS + 1 }, (_, i) => {
      const h = { model: model(`z${i}`) };
      parkModel(h);
      return h;
    });
    const first = holders[0]!.model;
    const second = holders[1]!.model;
    for (const h of holders.slice(2)) void h.model;
    expect(holders[1]!.model).toBe(second);
    expect(holders[0]!.model).not.toBe(first);
    expect(holders[0]!.model).toEqual(first);
  });

  it('an assignment parks the new model', () => {
    const h = { model: model('old') };
    parkModel(h);
    const next = model('new');
    h.model = next;
    expect(h.model).toBe(next);
    releaseModel(h);
    expect(h.model).toEqual(next);
  });
});

describe('shareModel', () => {
  it('gives every holder the one parked copy: pinned through one, the same object through all', () => {
    const c = { model: model('czj') };
    parkModel(c);
    const doc: { model?: ReturnType<typeof model> } = {};
    const check: { model?: ReturnType<typeof model> } = {};
    shareModel(c, doc);
    shareModel(c, check);
    expect(isParked(doc) && isParked(check)).toBe(true);
    pinModel(doc);
    expect(c.model).toBe(doc.model);
    expect(check.model).toBe(doc.model);
    releaseModel(doc);
    expect(doc.model).toEqual(model('czj'));
  });

  it('an unparked model is shared as the object itself', () => {
    const m = model('plain');
    const to: { model?: ReturnType<typeof model> } = {};
    shareModel({ model: m }, to);
    expect(to.model).toBe(m);
    expect(isParked(to)).toBe(false);
  });
});
