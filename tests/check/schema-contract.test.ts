/**
 * The schema is the contract: every key carries a Chinese title and description (editors show them
 * on hover), and it agrees with FORM.md's table of levels.
 */
import { describe, expect, it } from 'vitest';
import { departmentSchema, settingsSchema } from '../../scripts/check/schema.ts';
import { LEVELS, TYPES } from '../../scripts/model/form-model.ts';
import { schemaToTypes } from '../../scripts/model/gen-types.ts';

type S = Record<string, any>;
const CJK = /[\u4e00-\u9fff]/;

function* properties(s: S, root: S, path: string, seen = new Set<S>()): Generator<[string, S]> {
  if (seen.has(s)) return;
  seen.add(s);
  for (const [k, v] of Object.entries<S>(s.properties ?? {})) {
    const resolved = v.$ref ? { ...root.$defs[v.$ref.replace('#/$defs/', '')], ...v } : v;
    yield [`${path}.${k}`, resolved];
    yield* properties(resolved, root, `${path}.${k}`, seen);
    if (typeof resolved.additionalProperties === 'object') {
      const ap = resolved.additionalProperties.$ref
        ? root.$defs[resolved.additionalProperties.$ref.replace('#/$defs/', '')]
        : resolved.additionalProperties;
      yield* properties(ap, root, `${path}.${k}{}`, seen);
    }
    if (resolved.items) {
      const items = resolved.items.$ref ? root.$defs[resolved.items.$ref.replace('#/$defs/', '')] : resolved.items;
      yield* properties(items, root, `${path}.${k}[]`, seen);
    }
  }
}

describe('the JSON Schema', () => {
  for (const [name, schema] of [
    ['department', departmentSchema],
    ['settings', settingsSchema],
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

  it('一级/二级 pairs are exactly FORM.md’s', () => {
    const conditions = departmentSchema.$defs.indicator.allOf.filter((c: S) => c.if.properties.level1?.const);
    const pairs = Object.fromEntries(
      conditions.map((c: S) => [c.if.properties.level1.const, c.then.properties.level2.enum]),
    );
    expect(pairs).toEqual(LEVELS);
    expect(departmentSchema.$defs.level1.enum).toEqual(Object.keys(LEVELS));
    expect(departmentSchema.$defs.level2.enum).toEqual(Object.values(LEVELS).flat());
  });

  it('二级 values live only in the branch for their 一级, each with a Chinese message naming the field', () => {
    const indicator = departmentSchema.$defs.indicator;
    // An enum on the property itself would make an editor offer all eleven under any 一级.
    expect(indicator.properties.level2.enum ?? indicator.properties.level2.$ref).toBeUndefined();
    const branches = indicator.allOf.filter((c: S) => c.then?.properties?.level2);
    expect(branches).toHaveLength(Object.keys(LEVELS).length);
    for (const c of branches) {
      const { enum: values, errorMessage, markdownEnumDescriptions } = c.then.properties.level2;
      expect(errorMessage).toMatch(new RegExp(`^level2（二级指标）不属于一级指标 “${c.if.properties.level1.const}”`));
      expect(markdownEnumDescriptions).toHaveLength(values.length);
    }
    // 一级 missing or misspelt: 二级 is still checked against all eleven.
    const fallback = indicator.allOf.find((c: S) => c.else?.properties?.level2);
    expect(fallback.else.properties.level2.$ref).toBe('#/$defs/level2');
  });

  it('the generated types still name 二级 by its $def, though only the branches list its values', () => {
    expect(schemaToTypes(departmentSchema, 'DepartmentTargets')).toMatch(/\n {2}level2: Level2;\n/);
  });

  it('指标类型 allows the form’s six and the two ASCII spellings', () => {
    expect(departmentSchema.$defs.indicator.properties.type.enum).toEqual([...TYPES, '>=', '<=']);
  });
});
