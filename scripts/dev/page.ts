/**
 * What `jxmb dev` adds to the pages it serves (and never to the files in out/): a live-reload script
 * listening on Server-Sent Events, and, while the data has errors, an overlay listing them on top of
 * the last good document. Pure: strings in, strings out.
 */
import type { LocatedDiagnostic } from '../check/diagnostic.ts';

/** The dev server's own URLs live under this prefix (never a year folder or a file of out/). */
export const DEV_PREFIX = '/__jxmb';
export const EVENTS_PATH = `${DEV_PREFIX}/events`;
export const STATUS_PATH = `${DEV_PREFIX}/status`;
export const OVERLAY_ID = 'jxmb-dev-overlay';

/** One problem shown in the overlay: a located diagnostic, or a document that failed to render. */
export interface DevProblem {
  diagnostic?: LocatedDiagnostic;
  /** The source text, for the excerpt under the diagnostic. */
  text?: string;
  /** A render failure: the source and the message. */
  renderFailure?: { source: string; message: string };
}

/** The state a served page is stamped with. */
export interface DevPageState {
  /** Changes with every rebuild that changed something (the page reloads when it moves past its own). */
  generation: number;
  /** Identifies the server process: a restarted server makes open pages reload. */
  serverId: string;
  problems: DevProblem[];
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The source line of a diagnostic with its span marked (a caret line would not align under CJK text). */
function excerptHtml(d: LocatedDiagnostic, text: string): string {
  const line = (text.split('\n')[d.line - 1] ?? '').replace(/\r$/, '');
  if (!line.trim()) return '';
  const chars = [...line];
  const start = Math.min(d.column - 1, chars.length);
  const end = d.endLine === d.line ? Math.max(d.endColumn - 1, start + 1) : chars.length;
  const part = (a: number, b: number): string => esc(chars.slice(a, b).join(''));
  const gutter = `<span class="ln">${String(d.line).padStart(4)} | </span>`;
  const marked = `<mark>${part(start, end) || ' '}</mark>`;
  return `<pre>${gutter}${part(0, start)}${marked}${part(end, chars.length)}</pre>`;
}

function problemHtml(p: DevProblem): string {
  if (p.renderFailure) {
    return (
      `<li class="error"><div class="head"><code class="where">${esc(p.renderFailure.source)}</code> <b>error</b>` +
      ` <span class="code">RENDER_FAILED</span>` +
      ` <span class="msg">生成失败 rendering failed: ${esc(p.renderFailure.message)}</span></div></li>`
    );
  }
  const d = p.diagnostic!;
  return (
    `<li class="${d.severity}"><div class="head"><code class="where">${esc(`${d.file}:${d.line}:${d.column}`)}</code>` +
    ` <b>${d.severity}</b> <span class="code">${esc(d.code)}</span> <span class="msg">${esc(d.message)}</span></div>` +
    (p.text ? excerptHtml(d, p.text) : '') +
    '</li>'
  );
}

/** English plural ending for a count. */
const s = (n: number): string => (n === 1 ? '' : 's');

const isError = (p: DevProblem): boolean => Boolean(p.renderFailure) || p.diagnostic?.severity === 'error';

/** The overlay's markup (empty when nothing is wrong): errors listed, the same files' warnings folded. */
export function overlayHtml(problems: readonly DevProblem[]): string {
  const errors = problems.filter(isError);
  if (errors.length === 0) return '';
  const warnings = problems.filter((p) => !isError(p));
  const n = errors.length;
  const mono = 'ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Noto Sans SC", "Noto Serif SC", monospace';
  const files = new Set(warnings.map((w) => w.diagnostic?.file)).size;
  const folded = warnings.length
    ? `<details><summary>同一文件中另有 ${warnings.length} 个警告 ${warnings.length} warning${s(warnings.length)}` +
      ` in the same file${s(files)}</summary>\n` +
      `<ul class="warnings">\n${warnings.map(problemHtml).join('\n')}\n</ul></details>`
    : '';
  return (
    `
<div id="${OVERLAY_ID}" role="alert" data-errors="${errors.length}">
<style>
#${OVERLAY_ID}, #${OVERLAY_ID} * { all: revert; box-sizing: border-box; }
#${OVERLAY_ID} { position: fixed; z-index: 2147483647; top: 0; left: 0; right: 0; max-height: 45vh; ` +
    `overflow: auto; margin: 0;
  padding: 14px 20px 12px; background: rgba(255, 246, 246, 0.97); border-bottom: 3px solid #c0262d; ` +
    `box-shadow: 0 6px 24px rgba(0, 0, 0, 0.25);
  color: #1d2127; font: 14px/1.55 "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
#${OVERLAY_ID} h2 { margin: 0 110px 4px 0; font-size: 16px; color: #a3161c; }
#${OVERLAY_ID} p { margin: 0 0 10px; color: #5f6670; }
#${OVERLAY_ID} ul { list-style: none; margin: 0; padding: 0; }
#${OVERLAY_ID} li { margin: 0 0 8px; padding: 8px 10px; background: #fff; border-left: 4px solid #c0262d; }
#${OVERLAY_ID} li.warning { border-left-color: #d08a00; }
#${OVERLAY_ID} b { color: #c0262d; } #${OVERLAY_ID} li.warning b { color: #9a6200; }
#${OVERLAY_ID} code, #${OVERLAY_ID} pre, #${OVERLAY_ID} .code { font-family: ${mono}; font-size: 13px; }
#${OVERLAY_ID} .code, #${OVERLAY_ID} .ln { color: #5f6670; }
#${OVERLAY_ID} pre { margin: 6px 0 0; padding: 6px 8px; background: #f6f7f9; overflow-x: auto; white-space: pre; }
#${OVERLAY_ID} mark { background: #ffd7d9; color: inherit; text-decoration: underline wavy #c0262d; ` +
    `text-underline-offset: 3px; }
#${OVERLAY_ID} li.warning mark { background: #ffefc7; text-decoration-color: #d08a00; }
#${OVERLAY_ID} summary { cursor: pointer; color: #5f6670; margin: 2px 0 8px; }
#${OVERLAY_ID} button { position: absolute; top: 10px; right: 16px; font: inherit; cursor: pointer; }
@media print { #${OVERLAY_ID} { display: none; } }
</style>
<button type="button" onclick="this.parentNode.remove()">关闭 dismiss</button>
<h2>数据有 ${n} 个错误，下面是上次成功生成的文档 · ${n} error${s(n)}: showing the last good document</h2>
<p>改正后保存，页面会自动刷新。Fix and save: this page reloads by itself.</p>
<ul class="errors">
${errors.map(problemHtml).join('\n')}
</ul>
${folded}
</div>`
  );
}

/**
 * The live-reload client: reloads when a rebuild changed this page (a folder's: its index.html) or the
 * error list. A rebuild tells its steps apart (the HTML, then the PDF, then the index), each its event.
 */
export function clientScript(state: Pick<DevPageState, 'generation' | 'serverId'>): string {
  return `<script>
(() => {
  const generation = ${JSON.stringify(state.generation)};
  const serverId = ${JSON.stringify(state.serverId)};
  const here = decodeURIComponent(location.pathname);
  const page = here.endsWith('/') ? here + 'index.html' : here;
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  events.addEventListener('hello', (e) => {
    const d = JSON.parse(e.data);
    if (d.serverId !== serverId || d.generation > generation) location.reload();
  });
  events.addEventListener('reload', (e) => {
    const d = JSON.parse(e.data);
    if (d.generation <= generation) return;
    if (d.problemsChanged || d.changed.includes(page)) location.reload();
  });
})();
</script>`;
}

/** Marks the page as served by the dev server: overlay (if any) and the client, before `</body>`. */
export function injectDevPage(html: string, state: DevPageState): string {
  const add = `${overlayHtml(state.problems)}\n${clientScript(state)}\n`;
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at < 0 ? html + add : html.slice(0, at) + add + html.slice(at);
}

/** A page for a URL with nothing behind it yet (first build running, or the document never built). */
export function placeholderPage(title: string, message: string, state: DevPageState): string {
  return injectDevPage(
    '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n' +
      `<title>${esc(title)}</title>\n</head>\n<body style="font: 15px/1.6 sans-serif; padding: 24px 32px">\n` +
      `<h1 style="font-size: 20px">${esc(title)}</h1>\n<p>${esc(message)}</p>\n</body>\n</html>\n`,
    state,
  );
}
