/**
 * The PDF, read back with poppler: fonts embedded (Noto only), every character of the reference table,
 * pagination rules on a 56-indicator form, metadata, reproducible bytes, sealed rendering, the golden
 * HTML of the seed, the .html printed by Chromium giving the same pages, and surviving a browser crash.
 * One real Chromium for the whole file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import { writeFileAtomic } from '../../scripts/io/files.ts';
import { writeFontAssets } from '../../scripts/io/fonts.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import type { FormRenderer } from '../../scripts/render/html.ts';
import {
  loadSealed,
  ORIGIN,
  PDF_OPTIONS,
  printPdf,
  type RenderedForm,
  type RequestLogEntry,
  renderFormOnPage,
  showDocument,
  takeRequestLog,
} from '../../scripts/browser/form-page.ts';
import { setPdfInfo } from '../../scripts/render/pdf-info.ts';
import { SEED_YAML, seedText } from '../helpers.ts';
import {
  formRenderer,
  HOSTILE_YAML,
  LONG_YAML,
  modelOf,
  pdfFonts,
  pdfInfo,
  pdfPages,
  pdfText,
  referenceCells,
  squash,
  testPool,
} from '../render/render-helpers.ts';

const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), '__golden__', 'form-seed-2025.html');

let pool: BrowserPool;
let renderer: FormRenderer;
let tmp: string;
const rendered = new Map<string, { model: FormModel; form: RenderedForm; file: string }>();

async function render(name: string, yaml: string): Promise<{ model: FormModel; form: RenderedForm; file: string }> {
  const model = modelOf(yaml);
  const form = await pool.withPage((page) =>
    renderFormOnPage(page, model, {
      renderer,
      pdf: true,
      creator: 'jxmb test',
      docPath: `${model.fiscalYear}/${model.code}.html`,
    }),
  );
  const file = path.join(tmp, `${name}.pdf`);
  writeFileSync(file, form.pdf!);
  const r = { model, form, file };
  rendered.set(name, r);
  return r;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jxmb-pdf-'));
  renderer = await formRenderer();
  pool = await testPool();
  await render('seed', SEED_YAML);
  await render('long', LONG_YAML);
  await render('hostile', HOSTILE_YAML);
});

afterAll(async () => {
  await pool?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('fonts', () => {
  it.each(['seed', 'long', 'hostile'])(
    '%s: every font is an embedded Noto Serif SC / Noto Sans SC subset named for its weight, nothing else',
    (name) => {
      const fonts = pdfFonts(rendered.get(name)!.file);
      expect(fonts.length).toBeGreaterThan(0);
      for (const f of fonts) {
        // The weights printed (400 and 700), not the variable font's default instance (ExtraLight, Thin).
        expect(f.name, JSON.stringify(f)).toMatch(/^(NotoSerifSC-Regular|NotoSerifSC-Bold|NotoSansSC-Bold)$/);
        expect(f.emb && f.sub, JSON.stringify(f)).toBe(true);
      }
      // The body in the serif, the title in the sans.
      expect(fonts.some((f) => f.name.startsWith('NotoSerifSC'))).toBe(true);
      expect(fonts.some((f) => f.name.startsWith('NotoSansSC'))).toBe(true);
    },
  );
});

describe('the seed', () => {
  it('gives back every cell of the reference table', () => {
    const text = squash(pdfText(rendered.get('seed')!.file, undefined, false));
    const raw = squash(execFileSync('pdftotext', ['-raw', rendered.get('seed')!.file, '-'], { encoding: 'utf8' }));
    const missing = referenceCells(seedText()).filter((c) => !raw.includes(squash(c)));
    expect(missing).toEqual([]);
    expect(text).toContain('部门（单位）整体绩效目标表');
  });

  it('is A4 landscape, numbered 第 X 页 共 Y 页', () => {
    const { file, form } = rendered.get('seed')!;
    const n = pdfPages(file);
    expect(n).toBe(form.pages.length);
    expect(pdfInfo(file)['Page size']).toMatch(/^841\.\d+ x 59[45]\.\d+ pts \(A4\)/);
    for (let p = 1; p <= n; p++) expect(squash(pdfText(file, p))).toContain(`第${p}页共${n}页`);
  });

  it('carries title, author, subject, keywords and the source’s date', () => {
    const { file, model } = rendered.get('seed')!;
    const info = pdfInfo(file);
    expect(info.Title).toBe('芷江侗族自治县商务科技和工业和信息化局 2025年度 部门整体绩效目标表');
    expect(info.Author).toBe(model.name);
    expect(info.Subject).toBe('部门（单位）整体绩效目标表（2025）年度');
    expect(info.Keywords).toContain('zhijiang-swkjgxj');
    expect(info.Creator).toBe('jxmb test');
    // 2025-12-08 at 00:00 in China (+08:00) is 2025-12-07 16:00 UTC.
    expect(info.CreationDate).toMatch(/Dec\s+7 16:00:00 2025 UTC|2025-12-08T00:00:00\+08/);
    expect(info.ModDate).toBe(info.CreationDate);
  });

  it('passes qpdf --check', () => {
    const r = spawnSync('qpdf', ['--check', rendered.get('seed')!.file], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('renders to the same bytes twice', async () => {
    const { model, form } = rendered.get('seed')!;
    const again = await pool.withPage((page) =>
      renderFormOnPage(page, model, {
        renderer,
        pdf: true,
        creator: 'jxmb test',
        docPath: '2025/zhijiang-swkjgxj.html',
      }),
    );
    expect(sha(again.pdf!)).toBe(sha(form.pdf!));
    expect(again.html).toBe(form.html);
  });

  it('matches the golden HTML (UPDATE_GOLDEN=1 rewrites it)', () => {
    const { html } = rendered.get('seed')!.form;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, html);
    expect(html).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('the .html printed from Chromium gives the same pages as the PDF', async () => {
    const { form, file } = rendered.get('seed')!;
    const out = path.join(tmp, 'out');
    await writeFontAssets(out, writeFileAtomic);
    const html = path.join(out, '2025', 'seed.html');
    await writeFileAtomic(html, form.html);
    const browser = await pool.browser();
    const page = await browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      await page.evaluate('document.fonts.ready');
      const printed = path.join(tmp, 'printed.pdf');
      writeFileSync(printed, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      expect(pdfPages(printed)).toBe(pdfPages(file));
      for (let p = 1; p <= pdfPages(file); p++) expect(pdfText(printed, p), `page ${p}`).toBe(pdfText(file, p));
      for (const f of pdfFonts(printed))
        expect(f.name).toMatch(/^(NotoSerifSC-Regular|NotoSerifSC-Bold|NotoSansSC-Bold)$/);
    } finally {
      await page.close();
    }
  });
});

describe('a 56-indicator form over several pages', () => {
  const pagesText = (): string[] => {
    const { file } = rendered.get('long')!;
    return Array.from({ length: pdfPages(file) }, (_, i) =>
      squash(
        execFileSync('pdftotext', ['-raw', '-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }),
      ),
    );
  };

  it('runs over several pages (4 with the column widths of form.css), as planned', () => {
    const { file, form, model } = rendered.get('long')!;
    expect(model.rows.length).toBeGreaterThanOrEqual(50);
    expect(pdfPages(file)).toBeGreaterThanOrEqual(3);
    expect(form.pages).toHaveLength(pdfPages(file));
  });

  it('repeats the header row on every page', () => {
    for (const [i, t] of pagesText().entries())
      expect(t, `page ${i + 1}`).toContain('一级指标二级指标三级指标指标类型指标值计量单位指标解释评（扣）分标准备注');
  });

  it('never splits a row: each row’s cells are whole, on the page the plan put them', () => {
    const { model, form } = rendered.get('long')!;
    const texts = pagesText();
    for (const r of model.rows) {
      const planned = form.pages.findIndex((p) => r.index >= p.start && r.index < p.end);
      for (const cell of [r.name, r.explanation, r.scoringText]) {
        const pages = texts.flatMap((t, i) => (t.includes(squash(cell)) ? [i] : []));
        expect(pages, `row ${r.index + 1} “${cell}”`).toContain(planned);
      }
      // The name is unique in this fixture: it is on exactly one page.
      expect(
        texts.filter((t) => t.includes(squash(r.name))),
        r.name,
      ).toHaveLength(1);
    }
  });

  it('repeats a continued 一级/二级 label on the next page with （续）', () => {
    const { model, form } = rendered.get('long')!;
    const texts = pagesText();
    let continued = 0;
    form.pages.forEach((p, i) => {
      if (i === 0 || p.end === p.start) return;
      const first = model.rows[p.start]!;
      const prev = model.rows[p.start - 1]!;
      expect(texts[i]).toContain('绩效指标（续）');
      if (prev.level1 === first.level1) {
        expect(texts[i], `page ${i + 1}`).toContain(`${first.level1}（续）`);
        continued++;
      }
      if (prev.level1 === first.level1 && prev.level2 === first.level2)
        expect(texts[i], `page ${i + 1}`).toContain(`${first.level2}（续）`);
      // Nothing else is marked continued.
      expect(texts[i]!.match(/（续）/g)!.length).toBeLessThanOrEqual(3);
    });
    expect(continued).toBeGreaterThan(0);
    expect(texts[0]).not.toContain('（续）');
  });

  it('keeps the review rows and the signature line together on the last page', () => {
    const { model } = rendered.get('long')!;
    const texts = pagesText();
    const last = texts.length - 1;
    for (const s of ['业务股室审核：', '绩效股室审核：', squash(model.signatureLine)]) {
      expect(
        texts.flatMap((t, i) => (t.includes(s) ? [i] : [])),
        s,
      ).toEqual([last]);
    }
  });

  it('prints the title block once, and 第 X 页 共 Y 页 on every page', () => {
    const { file } = rendered.get('long')!;
    const texts = pagesText();
    const n = pdfPages(file);
    expect(texts.map((t) => t.includes('部门（单位）整体绩效目标表'))).toEqual([
      true,
      ...Array<boolean>(n - 1).fill(false),
    ]);
    for (let p = 1; p <= n; p++) expect(squash(pdfText(file, p))).toContain(`第${p}页共${n}页`);
  });
});

describe('sealed rendering', () => {
  it('prints markup in the data literally', () => {
    const text = squash(execFileSync('pdftotext', ['-raw', rendered.get('hostile')!.file, '-'], { encoding: 'utf8' }));
    expect(text).toContain(squash('<iframe src=file:///etc/passwd></iframe>'));
    expect(text).toContain(squash('<img src="http://127.0.0.1:9/x.png">'));
    expect(text).toContain(squash("<script>document.title='ran'</script>{{name}} & &amp; <b>粗</b>"));
  });

  it('fetches nothing but its own document and fonts', async () => {
    // On a fresh browser, so the fonts are really fetched (a warm page has them already).
    const fresh = await testPool();
    const { requests } = await fresh
      .withPage((page) =>
        renderFormOnPage(page, rendered.get('hostile')!.model, {
          renderer,
          pdf: true,
          creator: 'jxmb test',
          docPath: '2025/hostile-text.html',
        }),
      )
      .finally(() => fresh.close());
    expect(requests.length).toBeGreaterThan(2);
    for (const r of requests) {
      expect(r.url.startsWith(`${ORIGIN}/`), r.url).toBe(true);
      if (r.action === 'served')
        expect(r.url).toMatch(
          /\/(2025\/(hostile-text(\.measure)?|\.jxmb-shell)\.html|assets\/fonts\/[\w.-]+\.(css|woff))$/,
        );
    }
    expect(requests.some((r) => /127\.0\.0\.1|file:|passwd/.test(r.url))).toBe(false);
  });

  it('blocks every request that is not its own asset, and runs no script', async () => {
    const evil = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>sealed</title>
      <link rel="stylesheet" href="https://example.com/x.css">
      <link rel="stylesheet" href="../assets/fonts/fonts.css"></head>
      <body style="background:url(http://127.0.0.1:9/bg.png)"><p style="font-family:'Noto Serif SC'">测试</p>
      <img src="http://127.0.0.1:9/x.png"><iframe src="file:///etc/passwd"></iframe>
      <script>document.title = 'ran'</script>
      <img src="/assets/fonts/../../../etc/passwd"></body></html>`;
    const { log, title, marker } = await pool.withPage(async (page) => {
      takeRequestLog(page);
      await loadSealed(page, '2025/evil.html', evil);
      return {
        log: takeRequestLog(page),
        title: await page.title(),
        marker: await page.evaluate('document.fonts.size'),
      };
    });
    expect(title).toBe('sealed');
    expect(marker).toBeGreaterThan(0);
    const served = log.filter((r) => r.action === 'served').map((r) => r.url);
    expect(served).toContain(`${ORIGIN}/2025/evil.html`);
    expect(served).toContain(`${ORIGIN}/assets/fonts/fonts.css`);
    for (const u of served) expect(u).toMatch(/\/(2025\/evil\.html|assets\/fonts\/[\w.-]+\.(css|woff))$/);
    const blocked = log.filter((r) => r.action === 'blocked').map((r) => r.url);
    for (const u of [
      'https://example.com/x.css',
      'http://127.0.0.1:9/bg.png',
      'http://127.0.0.1:9/x.png',
      `${ORIGIN}/etc/passwd`,
    ])
      expect(blocked).toContain(u);
    // A file: URL is refused by Chromium before it becomes a request; either way it is never served.
    expect(served.some((u) => u.startsWith('file:'))).toBe(false);
  });

  it('swapping a document into a warm page is sealed the same way', async () => {
    const evil = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>sealed</title>
      <link rel="stylesheet" href="../assets/fonts/fonts.css"></head>
      <body style="background:url(http://127.0.0.1:9/bg2.png)"><p style="font-family:'Noto Serif SC'">测试</p>
      <img src="http://127.0.0.1:9/y.png"><iframe src="file:///etc/passwd"></iframe>
      <script>document.title = 'ran'</script></body></html>`;
    const { log, title } = await pool.withPage(async (page) => {
      await showDocument(
        page,
        '2025/first.html',
        evil.replace('测试', '第一').replace(/127\.0\.0\.1:9\/(bg2|y)/g, '127.0.0.1:9/first-$1'),
      );
      await new Promise((r) => setTimeout(r, 300));
      takeRequestLog(page);
      await showDocument(page, '2025/second.html', evil);
      // Images start loading after layout, asynchronously: give them the time to be asked for.
      const log: RequestLogEntry[] = [];
      for (
        let i = 0;
        i < 40 && !(log.some((r) => r.url.endsWith('/y.png')) && log.some((r) => r.url.endsWith('/bg2.png')));
        i++
      ) {
        await new Promise((r) => setTimeout(r, 50));
        log.push(...takeRequestLog(page));
      }
      return { log, title: await page.title() };
    });
    expect(title).toBe('sealed');
    const blocked = log.filter((r) => r.action === 'blocked').map((r) => r.url);
    for (const u of ['http://127.0.0.1:9/bg2.png', 'http://127.0.0.1:9/y.png']) expect(blocked).toContain(u);
    expect(log.filter((r) => r.action === 'served').every((r) => r.url.startsWith(`${ORIGIN}/assets/fonts/`))).toBe(
      true,
    );
  });

  it('prints the same bytes whatever the page showed before', async () => {
    const { model, form } = rendered.get('seed')!;
    const fresh = await testPool();
    try {
      const first = await fresh.withPage((page) =>
        renderFormOnPage(page, model, {
          renderer,
          pdf: true,
          creator: 'jxmb test',
          docPath: '2025/zhijiang-swkjgxj.html',
        }),
      );
      // `form` was rendered after nothing; now on a page that saw 0 documents too
      expect(sha(first.pdf!)).toBe(sha(form.pdf!));
      const long = rendered.get('long')!.model;
      const after = await fresh.withPage(async (page) => {
        await renderFormOnPage(page, long, {
          renderer,
          pdf: true,
          creator: 'jxmb test',
          docPath: '2025/long-form.html',
        });
        return renderFormOnPage(page, model, {
          renderer,
          pdf: true,
          creator: 'jxmb test',
          docPath: '2025/zhijiang-swkjgxj.html',
        });
      });
      expect(sha(after.pdf!)).toBe(sha(form.pdf!));
      expect(after.html).toBe(form.html);
    } finally {
      await fresh.close();
    }
  });

  it('printPdf prints the page as measured: what page.pdf(PDF_OPTIONS) prints there', async () => {
    const { form } = rendered.get('long')!;
    const info = { title: 't', author: 'a', subject: 's', keywords: 'k', creator: 'c', date: '2025-12-08' };
    const [viaCall, viaPuppeteer] = await pool.withPage(async (page) => {
      await showDocument(page, '2025/long-form.html', form.html);
      return [await printPdf(page), await page.pdf(PDF_OPTIONS)];
    });
    // Only the clock-stamped Info differs between two prints; stamped alike, the bytes are the same.
    expect(sha(setPdfInfo(viaCall, info))).toBe(sha(setPdfInfo(viaPuppeteer, info)));
    const file = path.join(tmp, 'print-call.pdf');
    writeFileSync(file, viaCall);
    expect(pdfPages(file)).toBe(form.pages.length);
  });
});

describe('a browser crash mid-render', () => {
  it('relaunches the browser and renders the document again', async () => {
    const { model, form } = rendered.get('seed')!;
    const before = pool.launches;
    let killed = false;
    const again = await pool.withPage(async (page) => {
      if (!killed) {
        killed = true;
        pool.process()!.kill('SIGKILL');
      }
      return renderFormOnPage(page, model, {
        renderer,
        pdf: true,
        creator: 'jxmb test',
        docPath: '2025/zhijiang-swkjgxj.html',
      });
    });
    expect(killed).toBe(true);
    expect(pool.launches).toBe(before + 1);
    expect(sha(again.pdf!)).toBe(sha(form.pdf!));
  });

  it('a browser that dies while a tab opens is launched again, without waiting on the dead one', async () => {
    // puppeteer's newPage waits for the new tab's target without watching the connection: killed right
    // then, the wait never ends (here: never resolves at all). The pool must stop waiting on a
    // disconnect and open the tab on a fresh browser.
    const fresh = await testPool();
    try {
      const browser = await fresh.browser();
      browser.newPage = () => {
        fresh.process()!.kill('SIGKILL');
        return new Promise(() => undefined);
      };
      const state = await fresh.withPage((page) => page.evaluate(() => document.readyState));
      expect(state).toBe('complete');
      expect(fresh.launches).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});
