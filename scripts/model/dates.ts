/** Dates: ISO `YYYY-MM-DD` in the data, printed in the bureau's format (default `2025.12.8`). */

/** Formats an ISO date with tokens YYYY, MM, M, DD, D (M and D without zero padding). */
export function formatDate(iso: string, format: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  return format.replace(/YYYY|MM|M|DD|D/g, (t) =>
    t === 'YYYY' ? y : t === 'MM' ? mo : t === 'M' ? String(Number(mo)) : t === 'DD' ? d : String(Number(d)),
  );
}

/** Whether year-month-day names a real calendar day. */
export function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
