/** What the dev server adds to served pages: placement, the overlay's content, escaping. Pure. */
import { describe, expect, it } from 'vitest';
import type { LocatedDiagnostic } from '../../scripts/check/diagnostic.ts';
import { EVENTS_PATH, injectDevPage, OVERLAY_ID, overlayHtml } from '../../scripts/dev/page.ts';

const d = (over: Partial<LocatedDiagnostic>): LocatedDiagnostic => ({
  file: 'data/2025/x.yaml',
  line: 3,
  column: 9,
  endLine: 3,
  endColumn: 13,
  severity: 'error',
  code: 'INVALID_ENUM',
  message: 'm',
  ...over,
});
const state = { generation: 4, serverId: 's1' };

describe('injectDevPage', () => {
  it('puts the overlay and the client right before the last </body>', () => {
    const html = '<html><body><p>a</p></body></html>';
    const out = injectDevPage(html, { ...state, problems: [{ diagnostic: d({}), text: 'a\nb\n  type: 大于大于\n' }] });
    expect(out.startsWith('<html><body><p>a</p>')).toBe(true);
    expect(out.endsWith('</body></html>')).toBe(true);
    expect(out.indexOf(OVERLAY_ID)).toBeLessThan(out.indexOf(EVENTS_PATH));
    expect(out).toContain('const generation = 4;');
    expect(out).toContain('"s1"');
  });
  it('appends when there is no </body>', () => {
    expect(injectDevPage('<p>x</p>', { ...state, problems: [] }).startsWith('<p>x</p>')).toBe(true);
  });
  it('no errors, no overlay (warnings alone do not raise it)', () => {
    expect(overlayHtml([])).toBe('');
    expect(overlayHtml([{ diagnostic: d({ severity: 'warning' }) }])).toBe('');
  });
});

describe('overlayHtml', () => {
  it('names file:line:col, severity, code and message, and marks the span in the source line', () => {
    const html = overlayHtml([{ diagnostic: d({ message: '不能是 “大于”' }), text: 'a\nb\n  type: 大于x\n' }]);
    expect(html).toContain('data/2025/x.yaml:3:9');
    expect(html).toContain('INVALID_ENUM');
    expect(html).toContain('不能是 “大于”');
    expect(html).toContain('<pre><span class="ln">   3 | </span>  type: <mark>大于x</mark></pre>');
    expect(html).toContain('data-errors="1"');
  });
  it('folds the warnings of the failing files under the errors', () => {
    const html = overlayHtml([{ diagnostic: d({}) }, { diagnostic: d({ severity: 'warning', code: 'YEAR_IN_TEXT' }) }]);
    expect(html.indexOf('<details>')).toBeLessThan(html.indexOf('YEAR_IN_TEXT'));
    expect(html.indexOf('INVALID_ENUM')).toBeLessThan(html.indexOf('<details>'));
  });
  it('escapes what comes from the data', () => {
    const html = overlayHtml([
      { diagnostic: d({ message: '<img src=x onerror=alert(1)>' }), text: 'a\nb\n  name: <script>alert(1)</script>\n' },
      { renderFailure: { source: 'data/2025/<b>.yaml', message: 'a & b' } },
    ]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('data/2025/&lt;b&gt;.yaml');
    expect(html).toContain('RENDER_FAILED');
    expect(html).toContain('a &amp; b');
  });
});
