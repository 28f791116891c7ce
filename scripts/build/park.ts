/**
 * Models parked while their documents wait (issue 17). A build of thousands holds every source from its
 * check until its render; a model in the heap is ~15–40 KB (a targets table's 21 KB of JSON as objects
 * and UTF-16 strings), serialized and deflated ~4 KB, and set aside on disk (io/spill.ts). A parked
 * holder's `model` is read back when asked for and kept in a small cache of the latest few (LIVE_MODELS),
 * so code reading it several times in a row (the plan) reads it back once. `pinModel` keeps it live, as
 * the same object, until `releaseModel`: the render of one document, from the measuring of its chunk to
 * its files, sees one model (measurements taken ahead are found by it). Every holder of one model (the
 * checked source, its check record, its document) shares one parked copy (`shareModel`).
 */
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { type Spilled, spill, unspill } from '../io/spill.ts';

interface Parked {
  packed: Spilled;
  live?: unknown;
  pinned: boolean;
}

/** Models read back and not pinned, kept live at most (the oldest let go first). */
export const LIVE_MODELS = 256;

const parkedOf = new WeakMap<object, Parked>();
const recent: Parked[] = [];

// v8's own format keeps what JSON would not (undefined, NaN, Dates): the model read back is the same.
// Set aside on disk (io/spill.ts): in the heap, even deflated, thousands of them grow it.
const pack = (model: unknown): Spilled => spill(deflateRawSync(serialize(model), { level: 1 }));

function load(parked: Parked): unknown {
  if (parked.live !== undefined) return parked.live;
  parked.live = deserialize(inflateRawSync(unspill(parked.packed)));
  if (!parked.pinned) {
    recent.push(parked);
    if (recent.length > LIVE_MODELS) {
      const oldest = recent.shift()!;
      if (!oldest.pinned) delete oldest.live;
    }
  }
  return parked.live;
}

function install(holder: object, parked: Parked): void {
  Object.defineProperty(holder, 'model', {
    get: () => load(parked),
    set: (m: unknown) => {
      parked.packed = pack(m);
      parked.live = m;
    },
    enumerable: true,
    configurable: true,
  });
  parkedOf.set(holder, parked);
}

/**
 * Parks `holder.model` (when it has one). `pin`: keep the object itself live until released (a head
 * start measured it ahead and finds it by identity).
 */
export function parkModel(holder: { model?: unknown }, pin = false): void {
  if (parkedOf.has(holder) || !Object.prototype.hasOwnProperty.call(holder, 'model')) return;
  const model = holder.model;
  if (model === undefined) return;
  install(holder, { packed: pack(model), pinned: pin, ...(pin ? { live: model } : {}) });
}

/** Gives `to` the model of `from`: the same parked copy when `from`'s is parked, else the object itself. */
export function shareModel<M>(from: { model?: M }, to: { model?: M }): void {
  const parked = parkedOf.get(from);
  if (parked && Object.prototype.hasOwnProperty.call(from, 'model')) install(to, parked);
  else if (from.model !== undefined) to.model = from.model;
}

/** Keeps the model of `holder` live, as one object, until releaseModel. */
export function pinModel(holder: object): void {
  const parked = parkedOf.get(holder);
  if (!parked) return;
  parked.pinned = true;
  load(parked);
}

/** Done with it (rendered): the model goes back to its packed bytes, read again if asked for. */
export function releaseModel(holder: object): void {
  const parked = parkedOf.get(holder);
  if (!parked) return;
  parked.pinned = false;
  delete parked.live;
}

/** Whether `holder`'s model is parked. */
export const isParked = (holder: object): boolean => parkedOf.has(holder);
