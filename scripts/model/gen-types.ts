/**
 * Generates TypeScript types from the JSON Schemas, so the schema stays the one source of truth
 * for the format. Only the shapes are carried over (objects, arrays, enums, refs); the schema's
 * conditional rules (allOf/if/then) are enforced at run time by ajv, not by the type system.
 */

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  $defs?: Record<string, Schema>;
  allOf?: Array<{ then?: Schema; else?: Schema }>;
  title?: string;
  description?: string;
};

const pascal = (s: string): string => s.replace(/(^|[_-])([a-z0-9])/g, (_m, _p, c: string) => c.toUpperCase());

/** The schema being converted: refs other than `#/$defs/…` are resolved against it and inlined. */
let root: Schema = {};

function resolvePointer(ref: string): Schema {
  const unescape = (seg: string): string => seg.replace(/~1/g, '/').replace(/~0/g, '~');
  const node = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, seg) => (at as Record<string, unknown> | undefined)?.[unescape(seg)], root);
  return (node as Schema | undefined) ?? {};
}

/** Named object types get an interface of their own: every $def, and top-level object properties. */
function typeExpr(s: Schema, name: string | undefined, out: Map<string, string>): string {
  if (s.$ref?.startsWith('#/$defs/')) return pascal(s.$ref.replace('#/$defs/', ''));
  if (s.$ref) return typeExpr(resolvePointer(s.$ref), name, out);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const parts = types.map((t) => {
    switch (t) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return `Array<${typeExpr(s.items ?? {}, undefined, out)}>`;
      case 'object':
        return objectType(s, name, out);
      default:
        return 'unknown';
    }
  });
  return parts.length ? parts.join(' | ') : 'unknown';
}

function doc(s: Schema, indent: string): string {
  const text = [s.title, s.description].filter(Boolean).join(': ');
  return text ? `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '';
}

function objectType(s: Schema, name: string | undefined, out: Map<string, string>): string {
  if (!s.properties && typeof s.additionalProperties === 'object')
    return `Record<string, ${typeExpr(s.additionalProperties, undefined, out)}>`;
  const req = new Set(s.required ?? []);
  const fields = Object.entries(s.properties ?? {}).map(([k, p]) => {
    const v = { ...shapeFromBranches(s, k), ...p };
    const inner = v.type === 'object' && v.properties ? pascal(k) : undefined;
    const t = inner ? (out.set(inner, ''), emitInterface(inner, v, out), inner) : typeExpr(v, undefined, out);
    return `${doc(v, '  ')}  ${k}${req.has(k) ? '' : '?'}: ${t};`;
  });
  const body = `{\n${fields.join('\n')}\n}`;
  if (!name) return body.replace(/\n/g, '\n  ');
  return body;
}

/**
 * A property whose values are named only in conditional branches (二级 per 一级, so editors offer the
 * right few) takes its shape from the branch that refers to a $def, e.g. `else: level2 → Level2`.
 */
function shapeFromBranches(s: Schema, key: string): Schema {
  const own = s.properties?.[key];
  if (!own || own.type || own.enum || own.$ref || own.const !== undefined) return {};
  for (const c of s.allOf ?? []) {
    const ref = (c.then ?? {}).properties?.[key]?.$ref ?? (c.else ?? {}).properties?.[key]?.$ref;
    if (ref) return { $ref: ref };
  }
  return {};
}

function emitInterface(name: string, s: Schema, out: Map<string, string>): void {
  out.set(name, `${doc(s, '')}export interface ${name} ${objectType(s, name, out)}\n`);
}

/** Returns the TypeScript source for a schema: the root interface, then one per $def and nested object. */
export function schemaToTypes(schema: Schema, rootName: string): string {
  root = schema;
  const out = new Map<string, string>();
  out.set(rootName, '');
  emitInterface(rootName, schema, out);
  for (const [k, v] of Object.entries(schema.$defs ?? {})) {
    const n = pascal(k);
    if (v.type === 'object') emitInterface(n, v, out);
    else out.set(n, `${doc(v, '')}export type ${n} = ${typeExpr(v, undefined, out)};\n`);
  }
  return [...out.values()].join('\n');
}
