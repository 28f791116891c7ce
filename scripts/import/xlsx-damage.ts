/**
 * Why a workbook cannot be read, in both languages, and the part at fault when known. Thrown inside the
 * reader only; `readWorkbook` returns it, and the import turns it into IMPORT_UNREADABLE (`corrupt`).
 */
export class XlsxDamage extends Error {
  constructor(
    readonly reasonZh: string,
    readonly reason: string,
    readonly part?: string,
  ) {
    super(part ? `${part}: ${reason}` : reason);
    this.name = 'XlsxDamage';
  }
}
