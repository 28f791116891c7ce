/**
 * A small HTML checker for the rendered form (no network, no validator service): well-formed nesting,
 * the document skeleton HTML5 requires, unique ids, and a complete table grid (every row covers every
 * column once, counting rowspan/colspan). Plus cell text extraction for comparing with the reference.
 */

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
/** Elements whose end tag HTML lets us omit; our templates never omit them, so they are checked too. */
const RAW_TEXT = new Set(['style', 'script']);

export interface Tag {
  name: string;
  close: boolean;
  attrs: Record<string, string>;
  /** Offset of the tag in the document. */
  at: number;
  end: number;
}

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_m, e: string) => {
    const k = e.toLowerCase();
    if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
    if (k.startsWith('#')) return String.fromCodePoint(parseInt(k.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }[k]!;
  });
}

/** Tags in document order; the content of <style>/<script> is skipped (it is not markup). */
export function tags(html: string): Tag[] {
  const out: Tag[] = [];
  // A start or end tag (name, then its attributes), a comment, or the doctype.
  const attrList = `((?:\\s+[^\\s=>/]+(?:\\s*=\\s*(?:"[^"]*"|'[^']*'|[^\\s>]+))?)*)`;
  const re = new RegExp(`<(\\/?)([a-zA-Z][a-zA-Z0-9-]*)${attrList}\\s*\\/?>|<!--[\\s\\S]*?-->|<!DOCTYPE[^>]*>`, 'gi');
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    if (!m[2]) continue;
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g))
      attrs[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
    const tag = { name: m[2].toLowerCase(), close: m[1] === '/', attrs, at: m.index, end: m.index + m[0].length };
    out.push(tag);
    if (!tag.close && RAW_TEXT.has(tag.name)) {
      const close = html.toLowerCase().indexOf(`</${tag.name}`, re.lastIndex);
      re.lastIndex = close < 0 ? html.length : close;
    }
  }
  return out;
}

/** Problems found; empty when the document passes. */
export function checkHtml(html: string): string[] {
  const problems: string[] = [];
  if (!/^<!DOCTYPE html>/i.test(html)) problems.push('does not start with <!DOCTYPE html>');
  const all = tags(html);
  const stack: Tag[] = [];
  for (const t of all) {
    if (VOID.has(t.name)) {
      if (t.close) problems.push(`end tag for void element </${t.name}> at ${t.at}`);
      continue;
    }
    if (!t.close) stack.push(t);
    else {
      const open = stack.pop();
      if (!open || open.name !== t.name) problems.push(`</${t.name}> at ${t.at} closes <${open?.name ?? 'nothing'}>`);
    }
  }
  for (const t of stack) problems.push(`<${t.name}> at ${t.at} is never closed`);
  const html0 = all.find((t) => t.name === 'html' && !t.close);
  if (html0?.attrs.lang !== 'zh-CN') problems.push('<html> lacks lang="zh-CN"');
  if (!all.some((t) => t.name === 'meta' && t.attrs.charset?.toLowerCase() === 'utf-8'))
    problems.push('no <meta charset="utf-8">');
  if (!/<title>[^<]+<\/title>/.test(html)) problems.push('no non-empty <title>');
  const ids = all.filter((t) => !t.close && t.attrs.id).map((t) => t.attrs.id!);
  for (const id of new Set(ids)) if (ids.filter((i) => i === id).length > 1) problems.push(`duplicate id ${id}`);
  const allowedInTable = new Set(['caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th']);
  for (const table of tables(html)) {
    for (const t of table.tags)
      if (!allowedInTable.has(t.name) && !table.cellTags.has(t)) problems.push(`<${t.name}> directly inside a table`);
    problems.push(...checkGrid(table.rows, table.columns));
  }
  return problems;
}

export interface Cell {
  name: 'td' | 'th';
  rowspan: number;
  colspan: number;
  attrs: Record<string, string>;
  /** Text content, entities decoded. */
  text: string;
}

export interface Table {
  columns: number;
  rows: Cell[][];
  rowAttrs: Record<string, string>[];
  tags: Tag[];
  cellTags: Set<Tag>;
}

/** The tables of a document (not nested), with their cells. */
export function tables(html: string): Table[] {
  const all = tags(html);
  const out: Table[] = [];
  let cur: Table | undefined;
  let cell: { tag: Tag; cell: Cell } | undefined;
  for (const t of all) {
    if (t.name === 'table' && !t.close) {
      cur = { columns: 0, rows: [], rowAttrs: [], tags: [], cellTags: new Set() };
      continue;
    }
    if (!cur) continue;
    if (t.name === 'table' && t.close) {
      out.push(cur);
      cur = undefined;
      continue;
    }
    if (cell) {
      if ((t.name === 'td' || t.name === 'th') && t.close) {
        cell.cell.text = decodeEntities(html.slice(cell.tag.end, t.at).replace(/<[^>]*>/g, ''));
        cur.rows.at(-1)!.push(cell.cell);
        cell = undefined;
      } else cur.cellTags.add(t);
      continue;
    }
    if (!t.close) cur.tags.push(t);
    if (t.name === 'col' && !t.close) cur.columns += Number(t.attrs.span ?? 1);
    if (t.name === 'tr' && !t.close) {
      cur.rows.push([]);
      cur.rowAttrs.push(t.attrs);
    }
    if ((t.name === 'td' || t.name === 'th') && !t.close)
      cell = {
        tag: t,
        cell: {
          name: t.name,
          rowspan: Number(t.attrs.rowspan ?? 1),
          colspan: Number(t.attrs.colspan ?? 1),
          attrs: t.attrs,
          text: '',
        },
      };
  }
  return out;
}

/** Every row covers each of `columns` columns exactly once; no rowspan reaches past its row group. */
export function checkGrid(rows: Cell[][], columns: number): string[] {
  const problems: string[] = [];
  const carried = new Array<number>(columns).fill(0);
  rows.forEach((cells, r) => {
    let col = 0;
    const next = new Array<number>(columns).fill(0);
    for (let c = 0; c < columns; c++) if (carried[c]! > 0) next[c] = carried[c]! - 1;
    const taken = carried.map((n) => n > 0);
    for (const cell of cells) {
      while (col < columns && taken[col]) col++;
      if (col + cell.colspan > columns) {
        problems.push(`row ${r + 1}: cells run past ${columns} columns`);
        break;
      }
      for (let k = 0; k < cell.colspan; k++) {
        taken[col + k] = true;
        next[col + k] = cell.rowspan - 1;
      }
      col += cell.colspan;
    }
    const covered = taken.filter(Boolean).length;
    if (covered !== columns) problems.push(`row ${r + 1}: covers ${covered} of ${columns} columns`);
    carried.splice(0, columns, ...next);
  });
  if (carried.some((n) => n > 0)) problems.push('a rowspan reaches past the last row');
  return problems;
}
