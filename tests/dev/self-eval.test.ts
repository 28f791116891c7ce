/**
 * `jxmb dev` previews a self-evaluation as it is edited: its 自评表 (`<code>.self-eval.html`) is served
 * with the reload script, re-rendered when the self-evaluation or its targets file changes, and its
 * errors show in the overlay over the last good 自评表 (located as `jxmb validate` prints them).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PATH, OVERLAY_ID } from '../../scripts/dev/page.ts';
import { type DevServer, startDevServer } from '../../scripts/dev/serve.ts';
import type { ReloadEvent } from '../../scripts/dev/session.ts';
import { readBoard } from '../../scripts/render/index-page.ts';
import { devOptions, openEvents } from './_dev.ts';
import { FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';

const SE_DOC = '/2025/zhijiang-swkjgxj.self-eval.html';
const NAME = '芷江侗族自治县商务科技和工业和信息化局';
const CONCLUSION = /^conclusion: .*$/m;

describe('jxmb dev previews a self-evaluation', () => {
  let dir: string;
  let server: DevServer;
  let seFile: string;
  let targetsFile: string;
  let original: string;
  let events: Awaited<ReturnType<typeof openEvents<ReloadEvent>>> | undefined;
  const get = async (p: string): Promise<string> => (await fetch(new URL(p, server.url))).text();
  /** Writes a file, then waits until a rebuild's reload event matches. */
  const edit = async (file: string, text: string, pred: (e: ReloadEvent) => boolean): Promise<ReloadEvent> => {
    await server.idle();
    events!.mark();
    await fs.writeFile(file, text);
    return (await events!.waitFor((e) => e.event === 'reload' && pred(e.data), 'a matching reload')).data;
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-se-'));
    await fs.mkdir(path.join(dir, 'data/2025'), { recursive: true });
    await fs.copyFile(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
    targetsFile = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
    seFile = path.join(dir, 'data/2025/zhijiang-swkjgxj.self-eval.yaml');
    await fs.copyFile(SEED_YAML, targetsFile);
    await fs.copyFile(path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml'), seFile);
    original = await fs.readFile(seFile, 'utf8');
    expect(original).toMatch(CONCLUSION);
    server = await startDevServer(devOptions(dir, { debounceMs: 60 }));
    events = await openEvents<ReloadEvent>(new URL(EVENTS_PATH, server.url).href);
    await server.idle();
  });

  afterAll(async () => {
    events?.close();
    await server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the 自评表 with the reload script; the index shows its score', async () => {
    const page = await get(SE_DOC);
    expect(page).toContain('整体支出绩效自评表');
    expect(page).toContain(NAME);
    expect(page).toContain(EVENTS_PATH);
    expect(page).not.toContain(OVERLAY_ID);
    const onDisk = await fs.readFile(path.join(dir, 'out', SE_DOC), 'utf8');
    expect(onDisk).not.toContain('__jxmb');
    const score = await runCli(['score', '--format', 'json', 'data/2025/zhijiang-swkjgxj.self-eval.yaml'], dir);
    const [scored] = JSON.parse(score.out) as { total: number; grade: string }[];
    const [row] = readBoard(await get('/index.html')).rows;
    expect(row!.code).toBe('zhijiang-swkjgxj');
    expect(row!.score).toBe(scored!.total.toFixed(2));
    expect(row!.grade).toBe(scored!.grade);
  });

  it('an edit of the self-evaluation re-renders its 自评表 and names it in the reload', async () => {
    const text = original.replace(CONCLUSION, 'conclusion: 开发预览里改过的评价结论。');
    const e = await edit(seFile, text, (e) => e.changed.includes(SE_DOC));
    expect(e.errors).toBe(0);
    expect(await get(SE_DOC)).toContain('开发预览里改过的评价结论。');
  });

  it('an error in it shows in the overlay, located as validate says, over the last good 自评表', async () => {
    const broken = original
      .replace(CONCLUSION, 'conclusion: 开发预览里改过的评价结论。')
      .replace('  - name: 新增规模工业企业\n', '  - name: 新增规模工业企业甲\n');
    expect(broken).not.toBe(original);
    const e = await edit(seFile, broken, (e) => e.problemsChanged && e.errors > 0);
    expect(e.changed).not.toContain(SE_DOC);
    const validate = await runCli(['validate', 'data/2025/zhijiang-swkjgxj.self-eval.yaml'], dir);
    expect(validate.code).toBe(1);
    const first = validate.out.split('\n').find((l) => / {2}error {2}/.test(l))!;
    const [where, , code] = first.split('  ');
    expect(where).toMatch(/^data\/2025\/zhijiang-swkjgxj\.self-eval\.yaml:\d+:\d+$/);
    const page = await get(SE_DOC);
    expect(page).toContain(`id="${OVERLAY_ID}"`);
    expect(page).toContain(where!);
    expect(page).toContain(code!);
    // The last good 自评表 underneath, and on disk.
    expect(page).toContain('开发预览里改过的评价结论。');
    expect(await fs.readFile(path.join(dir, 'out', SE_DOC), 'utf8')).toContain('开发预览里改过的评价结论。');
  });

  it('fixing it re-renders and clears the overlay', async () => {
    const e = await edit(seFile, original, (e) => e.errors === 0 && e.changed.includes(SE_DOC));
    expect(e.problemsChanged).toBe(true);
    const page = await get(SE_DOC);
    expect(page).not.toContain(OVERLAY_ID);
    expect(page).not.toContain('开发预览里改过的评价结论。');
  });

  it('an edit of its targets file re-renders the 自评表 too', async () => {
    const targets = await fs.readFile(targetsFile, 'utf8');
    const text = targets.replace(`name: ${NAME}`, `name: ${NAME}（改）`);
    expect(text).not.toBe(targets);
    await edit(
      targetsFile,
      text,
      (e) => e.changed.includes(SE_DOC) && e.changed.includes('/2025/zhijiang-swkjgxj.html'),
    );
    expect(await get(SE_DOC)).toContain(`${NAME}（改）`);
    expect(server.state().browserLaunches).toBe(1);
  });
});
