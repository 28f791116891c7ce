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
}

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
