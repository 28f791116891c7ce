/**
 * The contract between the build and the renderers of the index and manifest.
 * `jxmb build` fills one IndexEntry per department file; `jxmb index` rebuilds them from out/.
 */

export type OutputFormat = 'html' | 'pdf' | 'xlsx';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['pdf', 'html', 'xlsx'];

export interface IndexEntry {
  fiscalYear: number;
  code: string;
  name: string;
  /** Source file relative to the project root, e.g. `data/2025/zhijiang-swkjgxj.yaml`. */
  source: string;
  indicators: number;
  pointsSum: number;
  warnings: number;
  /** Outputs that exist, as paths relative to the out folder (`2025/zhijiang-swkjgxj.pdf`). */
  outputs: Partial<Record<OutputFormat, string>>;
  /**
   * Errors in its source: the table fails its checks, nothing of it is rendered (the row says 有错误).
   * Absent: none.
   */
  errors?: number;
  /** Its last rendering failed (the message); the outputs, if any, are the last good build's. */
  failed?: string;
  /** Its warnings and errors, located (at most ENTRY_DIAGNOSTICS of them), for the board's details. */
  diagnostics?: EntryDiagnostic[];
  /** 填报日期 and 审核日期 (the later of the two reviews), ISO `YYYY-MM-DD`. */
  filed?: string;
  reviewed?: string;
  /**
   * Of a self-evaluation's entry (code `<department>.self-eval`): its total, grade and the points it is
   * out of. The board shows them on the department's row, beside the targets documents.
   */
  selfEval?: { total: number; grade: string; pointsTotal: number };
  /** Pages of the printed form (absent when only the workbook was made). */
  pages?: number;
  /** Its diff against the department's previous table, relative to the out folder (when present). */
  diff?: string;
}

/** The most diagnostics an index entry keeps (a broken file can have hundreds; the first ones say it). */
export const ENTRY_DIAGNOSTICS = 50;

/** One diagnostic as the board shows it. */
export interface EntryDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  line: number;
  col: number;
  message: string;
}

/** A row's status on the board. `missing`: the department had a table the year before, none this year. */
export type EntryStatus = 'pass' | 'warnings' | 'errors' | 'failed' | 'missing';

export const STATUS_LABELS: Record<EntryStatus, { zh: string; en: string }> = {
  pass: { zh: '通过', en: 'passed' },
  warnings: { zh: '有警告', en: 'with warnings' },
  errors: { zh: '有错误', en: 'with errors' },
  failed: { zh: '生成失败', en: 'rendering failed' },
  missing: { zh: '未提交', en: 'not submitted' },
};

/** The status of an entry on disk (a missing one has no entry). */
export const entryStatus = (e: Pick<IndexEntry, 'errors' | 'failed' | 'warnings'>): EntryStatus =>
  e.errors ? 'errors' : e.failed !== undefined ? 'failed' : e.warnings ? 'warnings' : 'pass';

export interface ManifestFile {
  /** Path relative to the out folder. */
  path: string;
  source: string;
  fiscalYear: number;
  code: string;
  format: OutputFormat;
  size: number;
  sha256: string;
}
