/**
 * Workbooks that must be refused with a clear diagnostic, before they cost memory or pass for good:
 * zip bombs (honest and lying directories), too many parts, damaged parts (wrong CRC, truncated, flipped
 * bytes), encrypted workbooks, Word and other zips, and a 100k-row sheet. The bombs and the big sheet run
 * in a child process limited to a 256 MB heap, whose peak memory (maxRSS) is read back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importForm } from '../../scripts/import/import-form.ts';
import { checkZip } from '../../scripts/import/zip-guard.ts';
import { ROOT, seedText } from '../helpers.ts';
import { officialXlsx } from './_exports.ts';
import { contentOf, part, type Part, readZip, writeZip, zerosPart } from './_zip.ts';

const opts = { pointsTotal: 90 };
const MiB = 1024 * 1024;
const scratch = (): string => mkdtempSync(path.join(tmpdir(), 'jxmb-zip-'));
const detail = async (bytes: Uint8Array): Promise<Array<[string, unknown, unknown]>> =>
  (await importForm(bytes, opts)).diagnostics.map((d) => [d.code, d.args.detail ?? d.args.what, d.args.entry]);

/** `jxmb import FILE` in a child process with a 256 MB heap: its exit code, output and peak RSS in MB. */
function importInChild(bytes: Uint8Array): { code: number | null; out: string; maxRssMb: number } {
  const dir = scratch();
  writeFileSync(path.join(dir, 'in.xlsx'), bytes);
  const report = "process.on('exit',()=>process.stderr.write('MAXRSS '+process.resourceUsage().maxRSS+'\\n'))";
  const cli = [path.join(ROOT, 'scripts/jxmb.js'), 'import', 'in.xlsx', '--code', 'x-y'];
  const node = ['--max-old-space-size=256', '--import', `data:text/javascript,${report}`];
  const r = spawnSync(process.execPath, [...node, ...cli], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, JXMB_TSX: '1', NO_COLOR: '1' },
    maxBuffer: 256 * MiB,
  });
  const rss = /MAXRSS (\d+)/.exec(r.stderr)?.[1];
  const out = r.stdout + r.stderr.replace(/MAXRSS \d+\n?/, '');
  return { code: r.status, out, maxRssMb: rss ? Number(rss) / 1024 : Infinity };
}

let good: Uint8Array;
let parts: Part[];
beforeAll(async () => {
  good = await officialXlsx(seedText());
  parts = readZip(good);
});
const replaced = (name: string, p: Partial<Part>): Part[] => parts.map((x) => (x.name === name ? { ...x, ...p } : x));
const unreadable = (detail: string, entry?: string): unknown[] => [['IMPORT_UNREADABLE', detail, entry]];
const TOO_LARGE = /^in\.xlsx {2}error {2}IMPORT_TOO_LARGE {2}/.source;

describe('zip bombs: refused while inflating, memory stays bounded', () => {
  let bomb: Part;
  beforeAll(async () => {
    bomb = await zerosPart('xl/media/image1.png', 800 * MiB);
  }, 60_000);

  it('800 MB of zeros, declared honestly: refused from the directory, naming part and cap', { timeout: 60_000 }, () => {
    const r = importInChild(writeZip([...parts, bomb]));
    expect(r.code).toBe(1);
    const said = '工作簿中的 “xl/media/image1.png” 解压后超过每个部件的上限 64 MB' + '（zip 目录声明为 800 MB';
    expect(r.out).toMatch(new RegExp(`${TOO_LARGE}${said}`, 'm'));
    expect(r.out).not.toMatch(/\n\s+at |已写入/);
    expect(r.maxRssMb).toBeLessThan(400);
  });

  it('800 MB of zeros under a directory claiming 1000 bytes: inflating stops at the cap', { timeout: 60_000 }, () => {
    const r = importInChild(writeZip([...parts, { ...bomb, size: 1000 }]));
    expect(r.code).toBe(1);
    const said = '工作簿中的 “xl/media/image1.png” 解压后超过每个部件的上限 64 MB' + '（解压到 64 MB\\+ 时即停止';
    expect(r.out).toMatch(new RegExp(`${TOO_LARGE}${said}`, 'm'));
    expect(r.maxRssMb).toBeLessThan(400);
  });

  it('parts each under the cap but together over 256 MB: refused, naming the part that passed it', async () => {
    const big = await zerosPart('xl/media/a.bin', 60 * MiB);
    const many = [0, 1, 2, 3, 4].map((i) => ({ ...big, name: `xl/media/${i}.bin` }));
    expect(await detail(writeZip([...parts, ...many]))).toEqual([['IMPORT_TOO_LARGE', 'total', 'xl/media/4.bin']]);
  }, 60_000);

  it('more than 1000 parts: refused before any is read', async () => {
    const tiny = part('customXml/x.xml', '<x/>');
    const extra = Array.from({ length: 1001 }, (_, i) => ({ ...tiny, name: `customXml/item${i}.xml` }));
    const r = await importForm(writeZip([...parts, ...extra]), opts);
    const found = r.diagnostics.map((d) => [d.code, d.args.what, d.args.size, d.args.limit]);
    expect(found).toEqual([['IMPORT_TOO_LARGE', 'entries', 1017, 1000]]);
  });
});

describe('a 100k-row sheet', () => {
  it('is refused with one line naming the sheet and the cap, in bounded memory', { timeout: 120_000 }, () => {
    const cell = (c: string, r: number): string => `<c r="${c}${r}" t="inlineStr"><is><t>第${r}行${c}</t></is></c>`;
    const row = (r: number): string => `<row r="${r}">${[...'ABCDEFG'].map((c) => cell(c, r)).join('')}</row>`;
    const rows = Array.from({ length: 100_000 }, (_, i) => row(i + 1)).join('');
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const xml = `<?xml version="1.0"?>\n<worksheet xmlns="${ns}"><sheetData>${rows}</sheetData></worksheet>`;
    const r = importInChild(writeZip(replaced('xl/worksheets/sheet1.xml', part('xl/worksheets/sheet1.xml', xml))));
    expect(r.code).toBe(1);
    const said = '工作表 “Sheet1” 的有内容的单元格有 700000 个，超过上限 50000 个';
    expect(r.out.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`${TOO_LARGE}${said}`))]);
    expect(r.maxRssMb).toBeLessThan(500);
  });
});

describe('a cell far out', () => {
  it('one cell in XFD1048576 is read and reported there, not after visiting 17 billion cells', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(good) as unknown as ArrayBuffer);
    wb.worksheets[0]!.getCell('XFD1048576').value = '孤立的一格';
    const r = await importForm(new Uint8Array(await wb.xlsx.writeBuffer()), opts);
    const found = r.diagnostics.map((d) => [d.code, d.at?.kind === 'cell' ? d.at.address : '', d.args.text]);
    expect(found).toEqual([['IMPORT_UNPLACED', 'XFD1048576', '孤立的一格']]);
    expect(r.grid!.rows).toHaveLength(1_048_576);
  });
});

describe('damaged workbooks: a diagnostic naming the damage, never a crash or a silent success', () => {
  it('a wrong CRC (JSZip alone never checks it)', async () => {
    const p = parts.find((x) => x.name === 'xl/sharedStrings.xml')!;
    const bad = writeZip(replaced(p.name, { crc: (p.crc ^ 1) >>> 0 }));
    expect(await detail(bad)).toEqual(unreadable('corrupt', 'xl/sharedStrings.xml'));
  });
  it('flipped bytes in a part’s compressed data', async () => {
    const p = parts.find((x) => x.name === 'xl/worksheets/sheet1.xml')!;
    const d = Uint8Array.from(p.deflated);
    for (let i = 100; i < 140; i++) d[i]! ^= 0x5a;
    const bad = writeZip(replaced(p.name, { deflated: d }));
    expect(await detail(bad)).toEqual(unreadable('corrupt', 'xl/worksheets/sheet1.xml'));
  });
  it('a directory whose size is a lie, smaller than the content', async () => {
    const bad = writeZip(replaced('xl/workbook.xml', { size: 10 }));
    expect(await detail(bad)).toEqual(unreadable('corrupt', 'xl/workbook.xml'));
  });
  it('truncated: the directory cut off, or a part cut short', async () => {
    expect(await detail(good.slice(0, good.length - 200))).toEqual(unreadable('corrupt'));
    const zip = Buffer.from(good);
    // Keep the directory but drop bytes from the middle, so parts run past where they should end.
    const cut = Buffer.concat([zip.subarray(0, 3000), zip.subarray(zip.length - 1200)]);
    const r = await importForm(new Uint8Array(cut), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'corrupt']]);
  });
  it('a part the workbook needs is missing: named, not passed off as “no form”', async () => {
    const reason = async (name: string): Promise<unknown[]> =>
      (await importForm(writeZip(parts.filter((p) => p.name !== name)), opts)).diagnostics.map((d) => d.args.reason);
    for (const name of ['xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/_rels/workbook.xml.rels']) {
      expect(await reason(name)).toEqual([`the part ${name} is missing`]);
    }
  });
  it('relations written as absolute /xl/… paths still find their parts (not refused as missing)', async () => {
    for (const prefix of ['/xl/']) {
      const rels = parts.find((p) => p.name === 'xl/_rels/workbook.xml.rels')!;
      const text = contentOf(rels).replace(/Target="(?:\/xl\/)?(worksheets|sharedStrings)/g, `Target="${prefix}$1`);
      const r = await importForm(writeZip(replaced(rels.name, part(rels.name, text))), opts);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
  it('“PK” and nothing after it', async () => {
    const pk = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 1, 2, 3]);
    expect(await detail(pk)).toEqual(unreadable('corrupt'));
  });
  it('the messages say what is damaged and what to do', async () => {
    const { messageFor } = await import('../../scripts/check/messages.ts');
    const p = parts.find((x) => x.name === 'xl/sharedStrings.xml')!;
    const d = (await importForm(writeZip(replaced(p.name, { crc: (p.crc ^ 1) >>> 0 })), opts)).diagnostics[0]!;
    expect(messageFor(d.code, d.args, 'zh')).toBe(
      '工作簿已损坏，无法读取：其中的 “xl/sharedStrings.xml” ' +
        '部件的校验和（CRC）不符，内容已损坏；' +
        '请在 Excel/WPS 中打开并重新保存为 .xlsx（打不开则需找回原文件）',
    );
    expect(messageFor(d.code, d.args, 'en')).toContain('part "xl/sharedStrings.xml": its CRC does not match');
  });
});

describe('files that are not a readable workbook are named as what they are', () => {
  it('an encrypted zip entry, and a password-protected workbook (an OLE2 EncryptedPackage)', async () => {
    expect(await detail(writeZip(parts.map((p) => ({ ...p, flags: 0x0801 }))))).toEqual(unreadable('encrypted'));
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    ole.set(Buffer.from('EncryptedPackage', 'utf16le'), 1024);
    expect(await detail(ole)).toEqual(unreadable('encrypted'));
    ole.set(Buffer.from('WordDocument\0\0\0\0', 'utf16le'), 1024);
    expect(await detail(ole)).toEqual(unreadable('doc'));
  });
  it('a .docx, a .pptx, an .ods and a plain zip', async () => {
    const ct = part('[Content_Types].xml', '<Types/>');
    // A Word document is no workbook to the workbook reader; the import reads it as Word (read-docx.ts),
    // and this one, without a body, is damaged.
    const docx = writeZip([ct, part('word/document.xml', '<w:document/>')]);
    expect(checkZip(docx).diagnostics.map((d) => d.args.detail)).toEqual(['docx']);
    expect(await detail(docx)).toEqual(unreadable('corrupt'));
    expect(await detail(writeZip([ct, part('ppt/presentation.xml', '<p/>')]))).toEqual(unreadable('pptx'));
    const ods = [
      part('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'),
      part('content.xml', '<office:document-content/>'),
    ];
    expect(await detail(writeZip(ods))).toEqual(unreadable('ods'));
    expect(await detail(writeZip([part('readme.txt', 'hello')]))).toEqual(unreadable('zip'));
  });
  it('a good workbook passes the checks untouched', () => {
    expect(checkZip(good)).toEqual({ kind: 'xlsx', diagnostics: [] });
  });
});
