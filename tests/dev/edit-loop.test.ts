/**
 * The edit loop of `jxmb dev` over several departments, HTML and PDF: a save re-renders only the
 * department saved, tells the open pages its HTML before its PDF is printed, and the rules across files
 * still see every file (a duplicate code brought by a save, or cleared by one), though only the saved
 * file is read again.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentYaml, generateDepartment, generateProject } from '../../scripts/bench/generate.ts';
import { changedFiles, renderedDepartments, snapshotFiles, writeProject } from '../../scripts/bench/measure.ts';
import { EVENTS_PATH } from '../../scripts/dev/page.ts';
import { type DevServer, startDevServer } from '../../scripts/dev/serve.ts';
import type { ReloadEvent } from '../../scripts/dev/session.ts';
import type { DepartmentTargets } from '../../scripts/model/types.generated.ts';
import { devOptions, openEvents } from './_dev.ts';

describe('jxmb dev: the edit loop over several departments', () => {
  let dir: string;
  let server: DevServer;
  let events: Awaited<ReturnType<typeof openEvents<ReloadEvent>>>;
  const log: string[] = [];
  const depts: DepartmentTargets[] = [0, 1, 2].map((i) => generateDepartment(1, i));
  const [a, b, c] = depts as [DepartmentTargets, DepartmentTargets, DepartmentTargets];
  const fileOf = (d: DepartmentTargets): string => path.join(dir, 'data/2025', `${d.department.code}.yaml`);
  const url = (d: DepartmentTargets, ext: string): string => `/2025/${d.department.code}.${ext}`;
  const out = (): string => path.join(dir, 'out');
  /** Saves `text` as `d`'s file (the whole file, as an editor does); returns the events it caused. */
  const save = async (
    d: DepartmentTargets,
    text: string,
    until: (e: ReloadEvent) => boolean,
  ): Promise<ReloadEvent[]> => {
    await server.idle();
    events.mark();
    const from = events.events.length;
    await fs.writeFile(fileOf(d), text);
    await events.waitFor((e) => e.event === 'reload' && until(e.data), 'the reload awaited');
    await server.idle();
    return events.events.slice(from).flatMap((e) => (e.event === 'reload' ? [e.data] : []));
  };
  const problemCodes = (): { code: string; file: string }[] =>
    server
      .state()
      .problems.flatMap((p) => (p.diagnostic ? [{ code: p.diagnostic.code, file: p.diagnostic.file }] : []));

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-loop-'));
    await writeProject(dir, generateProject({ departments: 3, seed: 1 }));
    server = await startDevServer(
      devOptions(dir, { formats: ['html', 'pdf'], log: (s) => log.push(s), debounceMs: 60 }),
    );
    events = await openEvents<ReloadEvent>(new URL(EVENTS_PATH, server.url).href);
    await server.idle();
  });

  afterAll(async () => {
    events?.close();
    await server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('a save re-renders only that department, and names its HTML before its PDF', async () => {
    for (const d of depts) expect((await fs.stat(path.join(out(), url(d, 'pdf')))).size).toBeGreaterThan(0);
    const before = await snapshotFiles(out());
    b.duties[0] += '（开发预览里改的）';
    const seen = await save(b, departmentYaml(b), (e) => e.changed.includes(url(b, 'pdf')));
    const html = seen.findIndex((e) => e.changed.includes(url(b, 'html')));
    const pdf = seen.findIndex((e) => e.changed.includes(url(b, 'pdf')));
    expect(html).toBeGreaterThanOrEqual(0);
    // The HTML is told in an event of its own, before the one naming the PDF.
    expect(html).toBeLessThan(pdf);
    expect(seen[html]!.changed).not.toContain(url(b, 'pdf'));
    expect(await (await fetch(new URL(url(b, 'html'), server.url))).text()).toContain('（开发预览里改的）');
    const changed = changedFiles(before, await snapshotFiles(out()));
    expect(renderedDepartments(changed)).toEqual([`2025/${b.department.code}`]);
    expect(changed).toContain(`2025/${b.department.code}.pdf`);
  });

  it('a save that takes the code of an unchanged department is reported as a duplicate', async () => {
    const clash = departmentYaml({ ...c, department: { ...c.department, code: a.department.code } });
    await save(c, clash, (e) => e.errors > 0);
    const dup = problemCodes().filter((p) => p.code === 'DUPLICATE_CODE');
    expect(dup).toHaveLength(1);
    expect(dup[0]!.file).toContain(`${c.department.code}.yaml`);
    // Fixed: the overlay clears, and the unchanged department was not re-rendered for it.
    const before = await snapshotFiles(out());
    await save(c, departmentYaml(c), (e) => e.errors === 0 && e.problemsChanged);
    expect(problemCodes()).toEqual([]);
    expect(renderedDepartments(changedFiles(before, await snapshotFiles(out())))).not.toContain(
      `2025/${a.department.code}`,
    );
  });

  it('a save that ends a clash renders the unchanged file the clash blocked', async () => {
    // A second file of a's code (its name matches too, so only the clash is wrong with it): the first
    // in path order owns the code, the other is reported.
    const copy = path.join(dir, 'data/2025', `${a.department.code}.yml`);
    const other = { ...a, duties: [`${a.duties[0]!}（另一份）`, ...a.duties.slice(1)] };
    await server.idle();
    events.mark();
    await fs.writeFile(copy, departmentYaml(other));
    await events.waitFor((e) => e.event === 'reload' && e.data.errors > 0, 'the clash reported');
    await server.idle();
    const dup = problemCodes().filter((p) => p.code === 'DUPLICATE_CODE');
    expect(dup.map((p) => path.basename(p.file))).toEqual([`${a.department.code}.yml`]);
    // a's own file takes another code (wrong for its name: an error of its own). The copy is not saved
    // again, yet its clash is gone: it is rendered now, under the code it has.
    const aMoved = departmentYaml({ ...a, department: { ...a.department, code: `${a.department.code}-x` } });
    const seen = await save(a, aMoved, (e) => e.changed.includes(url(a, 'html')));
    expect(problemCodes().map((p) => p.code)).not.toContain('DUPLICATE_CODE');
    expect(problemCodes().map((p) => path.basename(p.file))).not.toContain(`${a.department.code}.yml`);
    expect(seen.some((e) => e.changed.includes(url(a, 'pdf')))).toBe(true);
    expect(await (await fetch(new URL(url(a, 'html'), server.url))).text()).toContain('（另一份）');
  });
});

describe('jxmb dev: the edit loop without HTML', () => {
  it('--formats pdf: a save prints the PDF and writes no HTML, early or late', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-pdf-'));
    await writeProject(dir, generateProject({ departments: 1, seed: 1 }));
    const server = await startDevServer(devOptions(dir, { formats: ['pdf'], debounceMs: 60 }));
    const d = generateDepartment(1, 0);
    try {
      await server.idle();
      const events = await openEvents<ReloadEvent>(new URL(EVENTS_PATH, server.url).href);
      try {
        d.duties[0] += '（只要 PDF）';
        await fs.writeFile(path.join(dir, 'data/2025', `${d.department.code}.yaml`), departmentYaml(d));
        await events.waitFor(
          (e) => e.event === 'reload' && e.data.changed.includes(`/2025/${d.department.code}.pdf`),
          'the PDF',
        );
        await server.idle();
        const named = events.events.flatMap((e) => (e.event === 'reload' ? e.data.changed : []));
        expect(named.filter((u) => u.endsWith('.html') && u !== '/index.html')).toEqual([]);
        const files = await fs.readdir(path.join(dir, 'out/2025'));
        expect(files).toContain(`${d.department.code}.pdf`);
        expect(files).not.toContain(`${d.department.code}.html`);
      } finally {
        events.close();
      }
    } finally {
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
