/**
 * The editor sees what the CLI sees: yaml-language-server, driven over stdio like VS Code's YAML
 * extension drives it, reads the schema through a data file's `# yaml-language-server: $schema=`
 * modeline, offers only the 二级 values of the chosen 一级, shows titles and descriptions on hover, and
 * reports a wrong 二级 with the schema's Chinese message rather than its generic 值无效.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentSchema, selfEvaluationSchema } from '../../scripts/check/schema.ts';
import { LEVELS } from '../../scripts/model/form-model.ts';
import { LspClient } from './lsp-client.ts';

const root = path.resolve(import.meta.dirname, '../..');
const server = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
// Not written to disk: the server reads the text from didOpen and resolves the modeline from this place.
const uriOf = (name: string): string => pathToFileURL(path.join(root, 'data/2025', name)).href;

const head = `# yaml-language-server: $schema=../../schema/department-targets.schema.json
fiscal_year: 2025
department:
  code: editor-test
  name: 编辑器测试局
duties:
  - 一项职责。
goals:
  - 一个目标。
indicators:
`;
const tail = `signoff:
  business_review: 2025-12-14
  performance_review: 2025-12-14
  preparer: 张三
  phone: "13789290210"
  filed: 2025-12-08
  head: 李四
`;
const indicator = (level1: string, level2: string): string => `  - level1: ${level1}
    level2: ${level2}
    name: 测试指标
    type: ≥
    value: 1
    unit: 个
    explanation: 测试。
    scoring: { kind: ratio, points: 5 }
`;

/** The parts of LSP's messages these tests read. */
interface LspDiagnostic {
  range: { start: { line: number } };
  message: string;
}
interface CompletionItem {
  label: string;
  documentation?: unknown;
}
type CompletionResult = CompletionItem[] | { items: CompletionItem[] };

let lsp: LspClient;
let version = 0;

/** Opens a document and resolves with the diagnostics the server publishes for it. */
async function open(name: string, text: string): Promise<LspDiagnostic[]> {
  const uri = uriOf(name);
  const v = ++version;
  lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: v, text } });
  const published = await lsp.waitFor<{ uri: string; diagnostics: LspDiagnostic[] }>(
    'textDocument/publishDiagnostics',
    (p) => p.uri === uri,
  );
  return published.diagnostics;
}

beforeAll(async () => {
  lsp = new LspClient(process.execPath, [server, '--stdio'], {
    yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, format: { enable: false } },
    http: {},
    editor: {},
    '[yaml]': {},
  });
  await lsp.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    // The locale in which the issue saw the generic 值无效.
    locale: 'zh-cn',
    capabilities: {
      workspace: { configuration: true },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
      },
    },
  });
  lsp.notify('initialized', {});
});

afterAll(async () => {
  await lsp?.close();
});

describe('yaml-language-server with the department schema', () => {
  it('a correct file has no diagnostics', async () => {
    const text =
      head +
      Object.entries(LEVELS)
        .map(([l1, l2s]) => indicator(l1, l2s[0]))
        .join('') +
      tail;
    expect(await open('clean.yaml', text)).toEqual([]);
  });

  it('completion at 二级 offers exactly the values of the 一级 above it', async () => {
    const level1s = Object.keys(LEVELS) as Array<keyof typeof LEVELS>;
    const text = head + level1s.map((l1) => indicator(l1, '')).join('') + tail;
    const uri = uriOf('completion.yaml');
    await open('completion.yaml', text);
    const lines = text.split('\n');
    const offered: Record<string, string[]> = {};
    const documentation: Record<string, string> = {};
    for (const l1 of level1s) {
      const line = lines.findIndex((l, n) => l === '    level2: ' && lines[n - 1] === `  - level1: ${l1}`);
      expect(line, `${l1} 的 level2 行`).toBeGreaterThan(0);
      const result = await lsp.request<CompletionResult>('textDocument/completion', {
        textDocument: { uri },
        position: { line, character: lines[line]!.length },
      });
      const items = Array.isArray(result) ? result : result.items;
      offered[l1] = items.map((c) => c.label).sort();
      for (const c of items) documentation[c.label] = JSON.stringify(c.documentation ?? '');
    }
    expect(offered).toEqual(Object.fromEntries(level1s.map((l1) => [l1, [...LEVELS[l1]].sort()])));
    // Each value comes with what it means (markdownEnumDescriptions).
    expect(documentation['数量指标']).toContain('产出指标下');
  });

  it('completion on a new list item under indicators offers the new-indicator snippets', async () => {
    const text = head + indicator('产出指标', '数量指标') + '  - \n' + tail;
    const uri = uriOf('snippet.yaml');
    await open('snippet.yaml', text);
    const line = text.split('\n').indexOf('  - ');
    const result = await lsp.request<CompletionResult>('textDocument/completion', {
      textDocument: { uri },
      position: { line, character: 4 },
    });
    const labels = (Array.isArray(result) ? result : result.items).map((c) => c.label);
    expect(labels).toEqual(expect.arrayContaining(['新的绩效指标（定量）', '新的绩效指标（定性）']));
  });

  it('a misspelt 一级 gets the Chinese message naming the field', async () => {
    const text = head + indicator('产出', '数量指标') + tail;
    const diagnostics = await open('wrong-level1.yaml', text);
    const line = text.split('\n').indexOf('  - level1: 产出');
    expect(diagnostics.map((d) => [d.range.start.line, d.message])).toEqual([
      [line, 'level1（一级指标）只能是：成本指标 产出指标 效益指标 满意度指标'],
    ]);
  });

  it('hover on a key shows its title and description', async () => {
    const text = head + indicator('产出指标', '数量指标') + tail;
    const uri = uriOf('hover.yaml');
    await open('hover.yaml', text);
    const line = text.split('\n').indexOf('    level2: 数量指标');
    const hover = await lsp.request<{ contents: unknown }>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character: 6 },
    });
    const shown = JSON.stringify(hover.contents);
    expect(shown).toContain('二级指标');
    expect(shown).toContain(departmentSchema.$defs!.indicator!.properties!.level2!.description);
  });

  it('a 二级 from another 一级 gets the Chinese message naming the field, once', async () => {
    const text = head + indicator('产出指标', '经济效益指标') + tail;
    const diagnostics = await open('wrong-level2.yaml', text);
    const line = text.split('\n').indexOf('    level2: 经济效益指标');
    expect(diagnostics.map((d) => [d.range.start.line, d.message])).toEqual([
      [line, 'level2（二级指标）不属于一级指标 “产出指标”；产出指标 下只能是：数量指标、质量指标、时效指标'],
    ]);
  });
});

describe('yaml-language-server with the self-evaluation schema', () => {
  const selfEval = readFileSync(path.join(root, 'tests/fixtures/self-eval/zhijiang-swkjgxj.self-eval.yaml'), 'utf8');

  it('the seed’s self-evaluation has no diagnostics; a misspelt key has one, on its line', async () => {
    expect(await open('zhijiang-swkjgxj.self-eval.yaml', selfEval)).toEqual([]);
    const text = selfEval.replace('    reason: 两家企业', '    reasn: 两家企业');
    const diagnostics = await open('misspelt.self-eval.yaml', text);
    expect(diagnostics.map((d) => d.range.start.line)).toEqual([
      text.split('\n').indexOf('    reasn: 两家企业申报材料未通过省级评审，明年提前辅导。'),
    ]);
  });

  it('hover on actual shows its title and description', async () => {
    const uri = uriOf('hover.self-eval.yaml');
    await open('hover.self-eval.yaml', selfEval);
    const line = selfEval.split('\n').indexOf('    actual: 2300');
    const hover = await lsp.request<{ contents: unknown }>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character: 6 },
    });
    const shown = JSON.stringify(hover.contents);
    expect(shown).toContain('实际完成值');
    expect(shown).toContain(selfEvaluationSchema.$defs!.indicator_result!.properties!.actual!.description);
  });
});
