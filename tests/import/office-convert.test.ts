/**
 * The LibreOffice converter's process handling, with stand-in `soffice` scripts (the real one is in
 * containers-xls.test.ts): what it is given, the file it reads back, a missing program, a failure, a
 * conversion killed with everything it started when it runs too long, and no temporary files left.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { messageFor } from '../../scripts/check/messages.ts';
import { importFile } from '../../scripts/import/import-form.ts';
import { convertOffice, findSoffice, officeConverter } from '../../scripts/io/office-convert.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-fake-soffice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in soffice: a shell script. */
const fake = (name: string, body: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
};
/** An old workbook as far as the import looks: the OLE2 signature and a `Workbook` stream's name. */
const OLE = new Uint8Array(2048);
OLE.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
OLE.set(Buffer.from('Workbook', 'utf16le'), 1024);
/** Whether a process runs (a killed one whose parent is gone may stay a zombie where pid 1 reaps nothing). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return true;
  }
};

describe.skipIf(process.platform === 'win32')('converting through soffice', () => {
  it('runs headless with its own profile, on a file in a temporary folder, and reads the result back', async () => {
    const log = path.join(dir, 'args.txt');
    const soffice = fake(
      'ok',
      `printf '%s\\n' "$@" > '${log}'\nfor a; do last="$a"; done\n` +
        'while [ $# -gt 0 ]; do [ "$1" = --outdir ] && out="$2"; shift; done\n' +
        'mkdir -p "$out"; cp "$last" "$out/input.xlsx"; printf X >> "$out/input.xlsx"',
    );
    const r = await convertOffice(new Uint8Array([1, 2, 3]), 'xls', 'xlsx', { soffice });
    expect(r).toEqual({ bytes: new Uint8Array([1, 2, 3, 0x58]) });
    const args = readFileSync(log, 'utf8').trim().split('\n');
    const input = args.at(-1)!;
    const folder = path.dirname(input);
    expect(path.basename(input)).toBe('input.xls');
    expect(args[0]).toBe(`-env:UserInstallation=file://${path.join(folder, 'profile')}`);
    expect(args.slice(1, 8)).toEqual([
      '--headless',
      '--invisible',
      '--nologo',
      '--nodefault',
      '--norestore',
      '--nolockcheck',
      '--convert-to',
    ]);
    expect(args.slice(8, 11)).toEqual(['xlsx:Calc MS Excel 2007 XML', '--outdir', path.join(folder, 'out')]);
    // Nothing left behind.
    expect(existsSync(folder)).toBe(false);
  });

  it('no soffice: missing (the import then says to install LibreOffice or save as .xlsx)', async () => {
    expect(await convertOffice(OLE, 'xls', 'xlsx', { soffice: path.join(dir, 'absent') })).toMatchObject({
      error: 'missing',
    });
    const r = await importFile(OLE, {
      pointsTotal: 90,
      convert: officeConverter({ soffice: path.join(dir, 'absent') }),
    });
    expect(r.kind).toBe('xls');
    expect(r.diagnostics.map((d) => [d.code, d.args.detail, d.args.reason])).toEqual([
      ['IMPORT_UNREADABLE', 'xls', 'missing'],
    ]);
    expect(messageFor('IMPORT_UNREADABLE', r.diagnostics[0]!.args, 'zh')).toMatch(
      /^这是旧版 Excel \(\.xls\) 文件（或 WPS 的 \.et）：请安装 LibreOffice（jxmb doctor 会检查）后再导入，或在 Excel\/WPS 中/,
    );
    // Without a converter at all (a pure caller), the same message.
    const bare = await importFile(OLE, { pointsTotal: 90 });
    expect(bare.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'xls']]);
  });

  it('an OLE2 file with neither a workbook nor a document inside is not handed to LibreOffice', async () => {
    const log = path.join(dir, 'called.txt');
    const soffice = fake('never', `touch '${log}'`);
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const r = await importFile(ole, { pointsTotal: 90, convert: officeConverter({ soffice }) });
    expect(r.diagnostics.map((d) => [d.code, d.args.detail, d.args.reason])).toEqual([
      [
        'IMPORT_UNREADABLE',
        'corrupt',
        'it is no whole old Excel or Word file (no workbook or document data in it; it may be truncated)',
      ],
    ]);
    expect(existsSync(log)).toBe(false);
  });

  it('soffice fails: what it said, and IMPORT_CONVERT_FAILED naming the format and what to do', async () => {
    const soffice = fake(
      'fails',
      'echo "Warning: failed to launch javaldx" >&2\necho "Error: source file could not be loaded" >&2\nexit 1',
    );
    expect(await convertOffice(OLE, 'doc', 'docx', { soffice })).toEqual({
      error: 'failed',
      detail: 'Error: source file could not be loaded',
    });
    const ole = OLE.slice();
    ole.set(Buffer.from('WordDocument', 'utf16le'), 1024);
    const r = await importFile(ole, { pointsTotal: 90, convert: officeConverter({ soffice }) });
    expect(r.kind).toBe('doc');
    expect(r.diagnostics.map((d) => [d.code, d.args.from, d.args.reason])).toEqual([
      ['IMPORT_CONVERT_FAILED', 'doc', 'failed'],
    ]);
    expect(messageFor('IMPORT_CONVERT_FAILED', r.diagnostics[0]!.args, 'zh')).toBe(
      'LibreOffice 未能转换这个旧版 Word (.doc) 文件（文件可能已损坏、设有打开密码，或并非它看起来的格式：' +
        'Error: source file could not be loaded）；请在 Word/WPS 中打开它，另存为 .docx 后再导入',
    );
  });

  it('a conversion running too long is killed with everything it started, and cleaned up', async () => {
    const pids = path.join(dir, 'pids.txt');
    const soffice = fake(
      'hangs',
      `for a; do last="$a"; done\nsleep 60 &\necho "$$ $! $(dirname "$last")" > '${pids}'\nwait`,
    );
    const t0 = Date.now();
    const r = await convertOffice(OLE, 'xls', 'xlsx', { soffice, timeoutMs: 500 });
    expect(r).toEqual({ error: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    const [shell, sleep, folder] = readFileSync(pids, 'utf8').trim().split(' ') as [string, string, string];
    expect([alive(Number(shell)), alive(Number(sleep))]).toEqual([false, false]);
    expect(path.basename(folder)).toMatch(/^jxmb-convert-/);
    expect(existsSync(folder)).toBe(false);
    const d = (await importFile(OLE, { pointsTotal: 90, convert: officeConverter({ soffice, timeoutMs: 300 }) }))
      .diagnostics[0]!;
    expect([d.code, d.args.reason]).toEqual(['IMPORT_CONVERT_FAILED', 'timeout']);
    expect(messageFor(d.code, d.args, 'en')).toBe(
      'LibreOffice could not convert this old Excel (.xls) file (the conversion took too long and was stopped); ' +
        'open it in Excel/WPS, save it as .xlsx and import that',
    );
  });

  it('a converter that throws: IMPORT_UNREADABLE with its message, no exception', async () => {
    const convert = (): Promise<never> => Promise.reject(new Error('boom\n    at somewhere'));
    const r = await importFile(OLE, { pointsTotal: 90, convert });
    expect(r.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'boom']]);
  });

  it('found through JXMB_SOFFICE (a path that is not there finds nothing)', () => {
    const saved = process.env.JXMB_SOFFICE;
    try {
      process.env.JXMB_SOFFICE = fake('named', 'exit 0');
      expect(findSoffice()).toBe(path.join(dir, 'named'));
      process.env.JXMB_SOFFICE = path.join(dir, 'absent');
      expect(findSoffice()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.JXMB_SOFFICE;
      else process.env.JXMB_SOFFICE = saved;
    }
  });
});
