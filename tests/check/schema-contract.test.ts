/**
 * The schema is the contract: every key carries a Chinese title and description (editors show them
 * on hover), and it agrees with FORM.md's table of levels.
 */
import { describe, expect, it } from 'vitest';
import { departmentSchema, type JsonSchema, selfEvaluationSchema, settingsSchema } from '../../scripts/check/schema.ts';
import { LEVELS, TYPES } from '../../scripts/model/form-model.ts';
import { schemaToTypes } from '../../scripts/model/gen-types.ts';

type S = JsonSchema;
const CJK = /[\u4e00-\u9fff]/;

/** A $ref into $defs resolved against the root (the schemas use no other refs). */
const deref = (s: S, root: S): S => (s.$ref ? root.$defs![s.$ref.replace('#/$defs/', '')]! : s);

function* properties(s: S, root: S, path: string, seen = new Set<S>()): Generator<[string, S]> {
  if (seen.has(s)) return;
  seen.add(s);
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const resolved = v.$ref ? { ...deref(v, root), ...v } : v;
    yield [`${path}.${k}`, resolved];
    yield* properties(resolved, root, `${path}.${k}`, seen);
    if (typeof resolved.additionalProperties === 'object') {
      yield* properties(deref(resolved.additionalProperties, root), root, `${path}.${k}{}`, seen);
    }
    if (resolved.items) {
      yield* properties(deref(resolved.items, root), root, `${path}.${k}[]`, seen);
    }
  }
}

describe('the JSON Schema', () => {
  for (const [name, schema] of [
    ['department', departmentSchema],
    ['settings', settingsSchema],
    ['self-evaluation', selfEvaluationSchema],
  ] as const) {
    it(`${name}: every key has a Chinese title and description`, () => {
      const missing = [...properties(schema, schema, name)]
        .filter(([, s]) => !CJK.test(s.title ?? '') || !CJK.test(s.description ?? ''))
        .map(([p]) => p);
      expect(missing).toEqual([]);
    });
    it(`${name}: unknown keys are rejected everywhere`, () => {
      // Closed: no extra keys, or (a map by year) keys constrained by a pattern and values by a closed schema.
      const closed = (s: S): boolean =>
        s.additionalProperties === false ||
        (typeof s.additionalProperties === 'object' && Boolean(s.propertyNames?.pattern));
      const open = [...properties(schema, schema, name)]
        .filter(([, s]) => s.type === 'object' && !closed(s))
        .map(([p]) => p);
      expect(open).toEqual([]);
    });
  }

  const defs = departmentSchema.$defs!;
  const indicator = defs.indicator!;
  /** The `then`/`else` schema of a level2 branch, and the 一级 its `if` names. */
  const level2In = (s: S | undefined): S | undefined => s?.properties?.level2;
  const level1Of = (c: S): string | undefined => c.if?.properties?.level1?.const as string | undefined;

  it('一级/二级 pairs are exactly FORM.md’s', () => {
    const conditions = indicator.allOf!.filter((c) => level1Of(c));
    const pairs = Object.fromEntries(conditions.map((c) => [level1Of(c)!, level2In(c.then)?.enum]));
    expect(pairs).toEqual(LEVELS);
    expect(defs.level1!.enum).toEqual(Object.keys(LEVELS));
    expect(defs.level2!.enum).toEqual(Object.values(LEVELS).flat());
  });

  it('二级 values live only in the branch for their 一级, each with a Chinese message naming the field', () => {
    // An enum on the property itself would make an editor offer all eleven under any 一级.
    expect(level2In(indicator)!.enum ?? level2In(indicator)!.$ref).toBeUndefined();
    const branches = indicator.allOf!.filter((c) => level2In(c.then));
    expect(branches).toHaveLength(Object.keys(LEVELS).length);
    for (const c of branches) {
      const { enum: values, errorMessage, markdownEnumDescriptions } = level2In(c.then)!;
      expect(errorMessage).toMatch(new RegExp(`^level2（二级指标）不属于一级指标 “${level1Of(c)}”`));
      expect(markdownEnumDescriptions).toHaveLength(values!.length);
    }
    // 一级 missing or misspelt: 二级 is still checked against all eleven.
    const fallback = indicator.allOf!.find((c) => level2In(c.else));
    expect(level2In(fallback!.else)!.$ref).toBe('#/$defs/level2');
  });

  it('the generated types still name 二级 by its $def, though only the branches list its values', () => {
    expect(schemaToTypes(departmentSchema, 'DepartmentTargets')).toMatch(/\n {2}level2: Level2;\n/);
  });

  it('指标类型 allows the form’s six and the two ASCII spellings', () => {
    expect(indicator.properties!.type!.enum).toEqual([...TYPES, '>=', '<=']);
  });
});
