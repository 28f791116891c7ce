/**
 * printPdf streams: Chromium hands the PDF over in IO.read chunks (Page.printToPDF with transferMode
 * ReturnAsStream, through page.createPDFStream), so a PDF larger than one DevTools message still prints.
 * The document is a sealed page with a 12 MB image of noise (which no compression shrinks): the PDF
 * is larger than one chunk (10 MiB, Chromium's), and must come back whole.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import { loadSealed, printPdf } from '../../scripts/browser/form-page.ts';
import { pdfPages, testPool } from '../render/render-helpers.ts';

/** A PNG of random RGB pixels, stored uncompressed. */
function noisePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const line = width * 3 + 1; // each line starts with its filter byte, 0: none
  const noise = randomBytes(width * 3 * height);
  const raw = Buffer.alloc(line * height);
  for (let y = 0; y < height; y++) noise.copy(raw, y * line + 1, y * width * 3, (y + 1) * width * 3);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let pool: BrowserPool;
let tmp: string;
beforeAll(async () => {
  pool = await testPool();
  tmp = await mkdtemp(path.join(tmpdir(), 'jxmb-print-'));
}, 120_000);
afterAll(async () => {
  await pool?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

it('prints a PDF larger than one DevTools chunk, streamed in several, whole', async () => {
  const png = noisePng(2000, 2000).toString('base64');
  const html = `<!doctype html><html><body><img style="width:20cm" src="data:image/png;base64,${png}"></body></html>`;
  const chunks: number[] = [];
  const pdf = await pool.withPage(async (page) => {
    await loadSealed(page, 'noise.html', html);
    // Count what the stream delivers: printPdf must print through it (page.pdf reads it to the end).
    const stream = page.createPDFStream.bind(page);
    page.createPDFStream = async (options) =>
      (await stream(options)).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, out) {
            if (chunk.byteLength > 0) chunks.push(chunk.byteLength);
            out.enqueue(chunk);
          },
        }),
      );
    return printPdf(page);
  });
  expect(pdf.byteLength).toBeGreaterThan(12_000_000);
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.reduce((a, b) => a + b, 0)).toBe(pdf.byteLength);
  expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  const file = path.join(tmp, 'noise.pdf');
  writeFileSync(file, pdf);
  expect(pdfPages(file)).toBe(1);
}, 120_000);
