/**
 * The form's class names are spelled once (scripts/render/classes.ts): the templates write them with the
 * `cls` helper, the stylesheet uses only those, and the code that finds elements by class in the page or
 * in the HTML (browser/page-code/, render/predict/) spells none itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFormTemplates, TEMPLATES_DIR } from '../../scripts/io/templates.ts';
import { FORM_CLASSES, formClass } from '../../scripts/render/classes.ts';
import { createFormRenderer, type FormRenderer } from '../../scripts/render/html.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import { SEED_YAML, ROOT } from '../helpers.ts';
import { LONG_YAML, modelOf } from './render-helpers.ts';

const NAMES = new Set<string>(Object.values(FORM_CLASSES));

/** The form's templates: form.hbs and its partials. */
function formTemplates(): [string, string][] {
  const partials = path.join(TEMPLATES_DIR, 'partials');
  return [
    ['form.hbs', readFileSync(path.join(TEMPLATES_DIR, 'form.hbs'), 'utf8')],
    ...readdirSync(partials)
      .filter((f) => f.startsWith('form-') && f.endsWith('.hbs'))
      .map((f): [string, string] => [`partials/${f}`, readFileSync(path.join(partials, f), 'utf8')]),
  ];
}

/** The class names a stylesheet's selectors use (comments and declarations left out). */
export function cssClasses(css: string): Set<string> {
  const selectors = css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('}')
    .map((block) => block.slice(0, block.lastIndexOf('{') + 1));
  return new Set(selectors.flatMap((s) => [...s.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].map((m) => m[1]!)));
}

/**
 * Class names written in the string literals of a source (`'tbody.labels tr'`, `"x.sheet"`); comments
 * left out, and file names (`'.measure.html'`) are not classes.
 */
export function spelledClasses(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  const literals = code.match(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g) ?? [];
  // A template literal's `${…}` is code, not text: `section.${c.sheet}` spells nothing.
  return literals.flatMap((lit) =>
    [
      ...lit
        .replace(/\$\{[^}]*\}/g, '${}')
        .matchAll(/(?:^['"`]|[\s>~+,(\]a-z*])\.([a-z][\w-]*)(?![\w-]|\.(?:html|pdf|xlsx)\b)/g),
    ]
      .map((m) => m[1]!)
      .filter((c) => NAMES.has(c)),
  );
}

let renderer: FormRenderer;
let seed: FormModel;
let long: FormModel;
beforeAll(async () => {
  renderer = createFormRenderer(await readFormTemplates());
  seed = modelOf(SEED_YAML);
  long = modelOf(LONG_YAML);
});

describe('class names from one module', () => {
  it('the templates spell no class name: every class attribute is {{cls}} of known roles', () => {
    const found: string[] = [];
    for (const [name, text] of formTemplates()) {
      for (const [, value] of text.matchAll(/\bclass="([^"]*)"/g)) {
        const rest = value!.replace(/\{\{#if \w+\}\}|\{\{\/if\}\}|\{\{cls (?:'\w+'|\w+)\}\}|\{\{~!~\}\}|\s/g, '');
        if (rest) found.push(`${name}: class="${value}"`);
        for (const [, role] of value!.matchAll(/\{\{cls '(\w+)'\}\}/g)) {
          if (!Object.hasOwn(FORM_CLASSES, role!)) found.push(`${name}: unknown role ${role}`);
        }
      }
    }
    expect(found).toEqual([]);
    expect(formTemplates().length).toBeGreaterThan(3);
  });

  it('every name is used by the rendered documents, and only those names', () => {
    const docs = [
      renderer.render(seed, [{ start: 0, end: seed.rows.length, lead: true, review: true }]),
      renderer.render(long, [
        { start: 0, end: 20, lead: true, review: false },
        { start: 20, end: long.rows.length, lead: false, review: true },
      ]),
      renderer.renderMeasure(seed),
    ];
    const used = new Set(
      docs.flatMap((html) => [...html.matchAll(/\bclass="([^"]*)"/g)].flatMap((m) => m[1]!.split(/\s+/))),
    );
    expect([...used].sort()).toEqual([...NAMES].sort());
  });

  it('form.css selects by those names only', () => {
    const css = readFileSync(path.join(TEMPLATES_DIR, 'form.css'), 'utf8');
    const classes = cssClasses(css);
    expect(classes.has('sheet')).toBe(true);
    expect([...classes].filter((c) => !NAMES.has(c))).toEqual([]);
  });

  it('page code and the predictor spell no class name in a string', () => {
    const dirs = ['scripts/browser', 'scripts/browser/page-code', 'scripts/render/predict'];
    const hits = dirs.flatMap((d) =>
      readdirSync(path.join(ROOT, d))
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => spelledClasses(readFileSync(path.join(ROOT, d, f), 'utf8')).map((c) => `${d}/${f}: .${c}`)),
    );
    expect(hits).toEqual([]);
  });

  it('the scans see what they look for', () => {
    expect(spelledClasses("sheet.querySelector('tbody.labels tr')")).toEqual(['labels']);
    expect(spelledClasses('x.querySelector(".page-footer")')).toEqual(['page-footer']);
    expect(spelledClasses("// in `td.name`\n/** `p.year` */ path.replace('.html', '.measure.html')")).toEqual([]);
    expect(spelledClasses('q(`main.${c.document} section.sheet`)')).toEqual(['sheet']);
    expect(spelledClasses('q(`section.${c.sheet}`); el.value; "1.5em"')).toEqual([]);
    expect([...cssClasses('/* .x */ table.form td.name, .sheet > p { margin: .5em }')]).toEqual([
      'form',
      'name',
      'sheet',
    ]);
  });

  it('a template naming an unknown role fails to render, saying which', () => {
    expect(() => formClass('nope')).toThrow(/no class for "nope"/);
    expect(formClass('footer')).toBe('page-footer');
  });
});
