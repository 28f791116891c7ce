/**
 * From data paths back to source offsets: how a diagnostic about `indicators[3].level2` lands on the
 * right line and column of the YAML file.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';

export type Path = (string | number)[];

/** Where a data path sits in the YAML document: the value node, and the key node when there is one. */
export function locate(doc: Document.Parsed, path: Path): { node?: Node; key?: Node; parent?: Node } {
  let node: Node | null | undefined = doc.contents;
  let key: Node | undefined;
  let parent: Node | undefined;
  for (const seg of path) {
    parent = node ?? undefined;
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { parent };
      key = pair.key as Node;
      node = pair.value as Node | null;
      if (!node) return { key, parent };
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as Node | undefined;
      key = undefined;
    } else {
      return { parent };
    }
  }
  return { node: node ?? undefined, key, parent };
}

export const rangeOf = (n: Node | undefined): [number, number] | undefined =>
  n?.range ? [n.range[0], Math.max(n.range[1], n.range[0] + 1)] : undefined;

/** The first line of a node: enough for a caret under a mapping without underlining all of it. */
export function headOf(n: Node | undefined, text: string): [number, number] | undefined {
  const r = rangeOf(n);
  if (!r) return undefined;
  const eol = text.indexOf('\n', r[0]);
  return [r[0], Math.min(r[1], eol < 0 ? r[1] : eol)];
}

/** The position of a path's value, else its key, else its parent's first line. */
export function positionOf(doc: Document.Parsed, text: string, path: Path): [number, number] {
  const at = locate(doc, path);
  return rangeOf(at.node) ?? rangeOf(at.key) ?? headOf(at.parent, text) ?? [0, 1];
}

/** The key of a path (`indicators:`), falling back to its value. */
export function keyPositionOf(doc: Document.Parsed, text: string, path: Path): [number, number] {
  const at = locate(doc, path);
  return rangeOf(at.key) ?? positionOf(doc, text, path);
}

/**
 * The position of `needle` inside the scalar at `path` — exact when the scalar's source spells it out
 * (plain and quoted one-line scalars, block scalars), else the whole scalar.
 */
export function substringPosition(
  doc: Document.Parsed,
  text: string,
  path: Path,
  needle: string,
  occurrence = 0,
): [number, number] {
  const r = positionOf(doc, text, path);
  const src = text.slice(r[0], r[1]);
  let at = -1;
  for (let k = 0; k <= occurrence; k++) {
    at = src.indexOf(needle, at + 1);
    if (at < 0) return r;
  }
  return [r[0] + at, r[0] + at + needle.length];
}
