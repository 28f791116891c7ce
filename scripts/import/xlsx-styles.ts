/**
 * Number formats: the one each cell style (`s="3"`) points at, the built-in ones Excel does not write out,
 * and which of them show a number as a date. Pure.
 */
import { scanXml } from './xlsx-xml.ts';

/**
 * Built-in formats by id (ECMA-376 §18.8.30). 27–36 and 50–58 depend on the locale; all are dates or times
 * in every East Asian locale, and are given here as in zh-CN, the locale these forms are filled in.
 */
const BUILTIN: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy "h":mm',
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午 h"时"mm"分"',
  35: '上午/下午 h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)',
  40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: '上午/下午 h"时"mm"分"',
  56: '上午/下午 h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
};

/**
 * The number format of each cell style, by style index (`<c s="…">`), from `xl/styles.xml`. A style
 * with the General format (or none) has no entry.
 */
export function cellFormats(stylesXml: string | undefined): Array<string | undefined> {
  if (stylesXml === undefined) return [];
  const custom = new Map<number, string>();
  const formats: Array<string | undefined> = [];
  // Only `cellXfs` lists the styles cells point at; `cellStyleXfs` holds `xf` elements too.
  let inCellXfs = false;
  scanXml(stylesXml, {
    open(name, a, empty) {
      if (name === 'numFmt' && a.numFmtId !== undefined) custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = !empty;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        formats.push(id ? (custom.get(id) ?? BUILTIN[id]) : undefined);
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return formats;
}

/** Whether a number format shows its number as a date or time (what is quoted or bracketed does not count). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/**
 * The day an Excel serial number stands for, as `YYYY-MM-DD`; undefined when it is no date at all.
 * Serial 1 is 1900-01-01 (Excel's phantom 29 February 1900 included, so serials from March 1900 on are
 * right), or 1904-01-02 in a workbook using the 1904 date system. A time rounds to the nearest millisecond.
 */
export function serialToDay(serial: number, date1904: boolean): string | undefined {
  const ms = Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}
