/**
 * A second form kind plugs into the build as data: a one-table memo with its own tiny schema, check,
 * model and template goes through plan → check → render → write → index with the build's own planBuild
 * and runBuild (no browser: it renders HTML only).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildOptions } from '../../scripts/build/plan.ts';
import { planBuild } from '../../scripts/build/plan.ts';
import { runBuild } from '../../scripts/build/run.ts';
import type { Diagnostic } from '../../scripts/check/diagnostic.ts';
import type { FormKind, KindChecked } from '../../scripts/build/form-kind.ts';
import { loadSource } from '../../scripts/load/load-yaml.ts';
import { ROOT } from '../helpers.ts';

interface Memo {
  fiscalYear: number;
  code: string;
  name: string;
  items: { label: string; amount: number }[];
}

const MEMO_SCHEMA = {
  type: 'object',
  required: ['fiscal_year', 'code', 'name', 'items'],
  additionalProperties: false,
  properties: {
    fiscal_year: { type: 'integer' },
    code: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    name: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['label', 'amount'],
        properties: { label: { type: 'string' }, amount: { type: 'number' } },
      },
    },
  },
};
const validate = new Ajv2020({ allErrors: true }).compile(MEMO_SCHEMA);
const template = Handlebars.compile(
  '<!doctype html><title>{{name}}</title><table>{{#each items}}<tr><td>{{label}}</td><td>{{amount}}</td></tr>' +
    '{{/each}}</table>\n',
);

const memoForm: FormKind<Memo> = {
  id: 'memo',
  browserFormats: [],
  async checkFiles(files) {
    return files.map((abs) => {
      const source = loadSource(readFileSync(abs));
      const diagnostics: Diagnostic[] = [...source.diagnostics];
      const data = source.data as Record<string, unknown> | undefined;
      const c: KindChecked<Memo> = { file: abs, source, diagnostics };
      if (data === undefined || !validate(data)) {
        diagnostics.push({ code: 'MISSING_KEY', severity: 'error', pos: [0, 0], args: {} });
        return c;
      }
      const d = data as { fiscal_year: number; code: string; name: string; items: Memo['items'] };
      return { ...c, model: { fiscalYear: d.fiscal_year, code: d.code, name: d.name, items: d.items } };
    });
  },
  checkProject(checked: KindChecked<Memo>[]) {
    const seen = new Set<string>();
    for (const c of checked) {
      const key = c.model && `${c.model.fiscalYear}/${c.model.code}`;
      if (!key) continue;
      if (seen.has(key)) {
        c.diagnostics.push({ code: 'DUPLICATE_CODE', severity: 'error', pos: [0, 0], args: {} });
        delete c.model;
      }
      seen.add(key);
    }
  },
  targetOf: () => undefined,
  indexColumns: (m) => ({ indicators: m.items.length, pointsSum: m.items.reduce((n, i) => n + i.amount, 0) }),
  async render(doc, formats) {
    return { files: formats.includes('html') ? { html: template(doc.model) } : {} };
  },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-memo-'));
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  const memo = (code: string, name: string, amounts: number[]): string =>
    `fiscal_year: 2025\ncode: ${code}\nname: ${name}\nitems:\n` +
    amounts.map((a, i) => `  - label: 第${i + 1}项\n    amount: ${a}\n`).join('');
  writeFileSync(path.join(dir, 'data/2025/office-a.yaml'), memo('office-a', '甲办公室', [3, 4]));
  writeFileSync(path.join(dir, 'data/2025/office-b.yaml'), memo('office-b', '乙办公室', [10]));
  writeFileSync(path.join(dir, 'data/2025/no-name.yaml'), 'fiscal_year: 2025\ncode: no-name\nitems: []\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (): BuildOptions<Memo> => ({
  kind: memoForm,
  cwd: dir,
  root: dir,
  dataDir: path.join(dir, 'data'),
  outDir: path.join(dir, 'out'),
  formats: ['html'],
  paths: [],
  jobs: 2,
  failFast: false,
});

describe('a second form kind (memo)', () => {
  it('is checked by its own schema and rules', async () => {
    const plan = await planBuild(options());
    expect(plan.kind.id).toBe('memo');
    expect(plan.documents.map((d) => d.model.code).sort()).toEqual(['office-a', 'office-b']);
    expect(plan.failed.map((f) => f.checked.diagnostics.map((d) => d.code))).toEqual([['MISSING_KEY']]);
    expect(plan.failed[0]!.targets).toEqual([{ fiscalYear: 2025, code: 'no-name' }]);
  });

  it('is rendered, written and indexed by the build, without a browser', async () => {
    const opts = options();
    const result = await runBuild(await planBuild(opts), opts);
    expect(result.results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(result.launches).toBe(0);
    const html = readFileSync(path.join(dir, 'out/2025/office-a.html'), 'utf8');
    expect(html).toContain('<title>甲办公室</title>');
    expect(html).toContain('<td>第2项</td><td>4</td>');
    expect(existsSync(path.join(dir, 'out/2025/office-a.pdf'))).toBe(false);
    const index = readFileSync(path.join(dir, 'out/index.html'), 'utf8');
    expect(index).toContain('甲办公室');
    expect(index).toContain('乙办公室');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out/manifest.json'), 'utf8')) as {
      files: { path: string }[];
    };
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['2025/office-a.html', '2025/office-b.html']);
  });

  it('is up to date on the next build (its outputs keyed like the targets form’s)', async () => {
    const plan = await planBuild(options());
    expect(plan.documents.map((d) => d.todo)).toEqual([[], []]);
  });

  it('loses the outputs and index row of a source that stops passing its checks', async () => {
    const opts = options();
    writeFileSync(path.join(dir, 'data/2025/office-b.yaml'), 'fiscal_year: 2025\ncode: office-b\n');
    const result = await runBuild(await planBuild(opts), opts);
    expect(result.plan.documents.map((d) => d.model.code)).toEqual(['office-a']);
    expect(result.removed.map((f) => path.basename(f))).toContain('office-b.html');
    expect(existsSync(path.join(dir, 'out/2025/office-b.html'))).toBe(false);
    expect(readFileSync(path.join(dir, 'out/index.html'), 'utf8')).not.toContain('乙办公室');
  });
});
