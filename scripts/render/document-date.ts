/**
 * The one instant a document was made, for every format: the PDF's CreationDate/ModDate (pdf-info.ts)
 * and the workbook's docProps/core.xml and zip entry dates (xlsx.ts) all come from here, so they name
 * the same moment. The forms are filed in China: a source's 填报日期 `2025-12-10` is the midnight that
 * starts that day in China Standard Time (UTC+8, no daylight saving), i.e. 2025-12-09T16:00:00Z. Pure.
 */

/** China Standard Time, minutes east of UTC. */
export const DOCUMENT_UTC_OFFSET_MINUTES = 8 * 60;

/** The epoch of DOS zip dates, for a date that cannot be read (a bug upstream: sources are validated). */
const FALLBACK = Date.UTC(1980, 0, 1);

/**
 * `YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM[:SS]`, a wall-clock time in China) → the instant it names.
 * An unreadable date gives 1980-01-01T00:00 China time.
 */
export function documentInstant(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(iso);
  const offset = DOCUMENT_UTC_OFFSET_MINUTES * 60_000;
  if (!m) return new Date(FALLBACK - offset);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2025-02-30 over to March: such a date is not a date.
  const back = new Date(t);
  if (Number.isNaN(t) || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return new Date(FALLBACK - offset);
  return new Date(t - offset);
}

/**
 * The instant's wall-clock time in China, as a Date whose UTC fields are that time: for formats that
 * store a local time without a zone (zip entries' DOS dates) or with an explicit offset (PDF dates).
 */
export const chinaWallClock = (instant: Date): Date =>
  new Date(instant.getTime() + DOCUMENT_UTC_OFFSET_MINUTES * 60_000);
