/**
 * `jxmb doctor`: is this machine ready to build? Reports the browser (where, which version, whether it
 * starts and prints with the bundled fonts) and the fonts, and says what to do about anything missing.
 */
import { defineCommand } from '../_command.ts';
import { findBrowser, NO_BROWSER_HELP } from '../browser/find.ts';
import { launchArgs } from '../browser/launch.ts';
import { BrowserPool } from '../browser/pool.ts';
import { FALLBACK_FAMILY, fallbackReport, fontReport, loadFontAssets } from '../io/fonts.ts';
import { findSoffice, sofficeVersion } from '../io/office-convert.ts';
import { TOOL_VERSION } from '../io/version.ts';
import { loadSealed, sealPage } from '../browser/form-page.ts';

/** A one-line page in both fonts: printing it proves the browser starts, is sealed, and loads the fonts. */
const PROBE =
  '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>jxmb doctor</title>' +
  '<link rel="stylesheet" href="assets/fonts/fonts.css"></head>\n' +
  `<body><h1 style="font-family:'Noto Sans SC'">部门（单位）整体绩效目标表</h1>` +
  `<p style="font-family:'Noto Serif SC'">（2025）年度 ≥ ≤ 定性</p></body></html>`;

export default defineCommand({
  meta: {
    name: 'doctor',
    usage: '[options]',
    description:
      '检查生成 PDF 所需的环境：浏览器（位置、版本、能否启动）和随附的字体。有问题时退出码为 1，并说明怎么办。\n' +
      'Check the environment the build needs: the browser (where, which version, whether it starts) ' +
      'and the bundled fonts. Exit 1 with what to do when something is missing.',
    examples: ['jxmb doctor', 'JXMB_CHROME=/usr/bin/google-chrome jxmb doctor'],
  },
  args: {
    no_launch: { type: 'boolean', description: '只查找浏览器，不启动 only look for the browser, do not start it' },
  },
  async run({ args, out }) {
    let problems = 0;
    out(`jxmb ${TOOL_VERSION} · Node ${process.version} · ${process.platform}-${process.arch}`);
    // Set by scripts/jxmb.js: the compiled copy (scripts/dist/) or the TypeScript through tsx, and why.
    const runtime = process.env.JXMB_RUNTIME;
    if (runtime)
      out(
        '代码 code   ' +
          (runtime === 'compiled'
            ? '✓ 已编译 compiled (scripts/dist/)'
            : `· TypeScript ${runtime}；npm run compile 可加快启动 makes it start faster`),
      );

    const fonts = await fontReport();
    for (const f of fonts) {
      const ok = f.subsets > 0;
      if (!ok) problems++;
      out(
        `字体 font   ${ok ? '✓' : '✗'} ${f.face.family} ${f.face.weight}: ` +
          (ok
            ? `${f.subsets} 个子集文件 subset files (${f.dir})`
            : `缺少 missing — 运行 run npm install (${f.face.pkg})`),
      );
    }
    // The fallback for rare characters (CJK Extension A–H), kept in the repository: fonts/fallback/.
    const fb = fallbackReport();
    const fbOk = fb.listed > 0 && fb.present === fb.listed;
    if (!fbOk) problems++;
    out(
      `字体 font   ${fbOk ? '✓' : '✗'} ${FALLBACK_FAMILY}` +
        '（生僻字备用 rare characters, CJK Ext. A–H）: ' +
        (fbOk
          ? `${fb.characters} 个字符 characters, ${fb.present} 个文件 files (${fb.dir})`
          : `缺少 missing ${fb.listed - fb.present || 'fallback.css'} — ` +
            '请重新检出仓库 check out the repository again' +
            ` (${fb.dir})`),
    );
    out(
      '字体 font   · 不使用本机字体 host fonts are not used: ' +
        'Chromium 只看到随附字体 sees only the bundled fonts (FONTCONFIG_FILE)',
    );

    const { found, problem } = await findBrowser();
    if (!found) {
      problems++;
      out(`浏览器 browser ✗ ${problem ? `${problem}. ` : ''}${NO_BROWSER_HELP}`);
    } else {
      out(`浏览器 browser ✓ ${found.path}（来自 from ${found.source}）`);
      out(`启动参数 flags   ${launchArgs().join(' ')}`);
      if (!args.no_launch) {
        const assets = await loadFontAssets().catch(() => undefined);
        const pool = new BrowserPool({
          executablePath: found.path,
          retries: 0,
          ...(assets ? { setupPage: (p) => sealPage(p, assets) } : {}),
        });
        try {
          const version = await pool.version();
          const printed = assets ? await printProbe(pool) : '';
          out(`版本 version  ✓ ${version}${printed}`);
        } catch (e) {
          problems++;
          out(`启动 launch  ✗ ${(e as Error).message.split('\n')[0]}`);
          out(
            '  Linux 上常见原因：缺少系统库（Debian/Ubuntu：apt-get install chromium 会一并安装），或以 root 运行时需要 ' +
              '--no-sandbox（jxmb 已自动添加）。Common causes on Linux: missing system libraries (apt-get install ' +
              'chromium brings them), or the sandbox.',
          );
        } finally {
          await pool.close();
        }
      }
    }
    // Optional: only `jxmb import` of old .xls / .doc files needs it, so its absence is no problem.
    const soffice = findSoffice();
    const loVersion = soffice && !args.no_launch ? sofficeVersion(soffice) : undefined;
    out(
      'LibreOffice ' +
        (!soffice
          ? '· 未安装 not installed（可选 optional：仅导入旧版 .xls/.et/.doc 时需要 only to import old .xls/.doc ' +
            'files; Debian/Ubuntu: apt-get install libreoffice-calc-nogui libreoffice-writer-nogui; ' +
            'macOS: brew install --cask libreoffice; 或设置 or set JXMB_SOFFICE）'
          : args.no_launch || loVersion
            ? `✓ ${loVersion ? `${loVersion} ` : ''}${soffice}（导入 .xls/.doc 时使用 used to import .xls/.doc）`
            : `✗ ${soffice} 无法启动 does not start（可选 optional：仅导入 .xls/.doc 时需要 only to import .xls/.doc）`),
    );
    out(problems ? `发现 ${problems} 个问题 ${problems} problem(s) found` : '一切就绪 ready to build');
    return problems ? 1 : 0;
  },
});

/** Prints the probe page to PDF on a sealed page; reports how many bytes and that fonts loaded. */
async function printProbe(pool: BrowserPool): Promise<string> {
  return pool.withPage(async (page) => {
    await loadSealed(page, 'doctor.html', PROBE);
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    return `，打印正常 prints fine (${pdf.length} bytes, 字体已加载 fonts loaded)`;
  });
}
