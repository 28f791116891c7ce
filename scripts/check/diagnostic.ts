/**
 * Diagnostics: what every stage returns instead of throwing on bad input.
 * A stage knows only offsets into the decoded text; line:col and the caret excerpt
 * are made at the edge (see `format-diagnostics.ts`).
 */

/** Every diagnostic code jxmb can emit. Stable identifiers: tests, CI annotations and users rely on them. */
export const DIAGNOSTIC_CODES = [
  // reading the file
  'FILE_NOT_FOUND',
  'FILE_NOT_UTF8',
  'FILE_TOO_LARGE',
  'FILE_EMPTY',
  'FILE_IS_DIRECTORY',
  'FILE_NOT_REGULAR',
  'FILE_OUTSIDE_PROJECT',
  'FILE_UNREADABLE',
  // YAML syntax
  'YAML_SYNTAX',
  'YAML_TAB_INDENT',
  'YAML_INDENT',
  'YAML_UNCLOSED',
  'YAML_DUPLICATE_KEY',
  'YAML_ALIAS',
  'YAML_TAG',
  'YAML_DIRECTIVE',
  'YAML_MULTI_DOC',
  'UNQUOTED_COMPARATOR',
  'FULLWIDTH_INDENT',
  'FULLWIDTH_COLON',
  // characters that are not what they seem (check/characters.ts)
  'CONTROL_CHARACTER',
  'BIDI_CONTROL',
  'INVISIBLE_CHARACTER',
  // a character no bundled font has (check/glyphs.ts)
  'GLYPH_MISSING',
  // the schema
  'UNKNOWN_KEY',
  'MISSING_KEY',
  'WRONG_TYPE',
  'INVALID_ENUM',
  'LEVEL2_MISMATCH',
  'QUANTITATIVE_VALUE',
  'QUALITATIVE_VALUE',
  'QUALITATIVE_UNIT',
  'SCORING_FIELD',
  'INVALID_CODE',
  'DATE_INVALID',
  'OUT_OF_RANGE',
  'EMPTY_VALUE',
  'TOO_LONG',
  'SCHEMA',
  // the form's and the bureau's rules
  'POINTS_TOTAL',
  'REQUIRED_LEVEL1',
  'DUPLICATE_INDICATOR',
  'GROUP_SPLIT',
  'YEAR_IN_TEXT',
  'DEADLINE_AFTER_YEAR',
  'DEADLINE_BEFORE_YEAR',
  'SIGNOFF_DATE_OUTSIDE',
  'TABLE_UNCHANGED',
  'YEAR_FOLDER_MISMATCH',
  'CODE_FILENAME_MISMATCH',
  'DUPLICATE_CODE',
  'PERCENT_OVER_100',
  'SCORING_TEXT_MISMATCH',
  'SCORING_TOP_POINTS',
  'PHONE_FORMAT',
  'NUMBERED_ITEM',
  'XLSX_ROW_TOO_TALL',
  'SCHEMA_COMMENT',
  // settings
  'SETTINGS_INVALID',
  // jxmb import (positioned in the imported xlsx or text, not in YAML)
  'IMPORT_EMPTY',
  'IMPORT_UNREADABLE',
  'IMPORT_ENCODING',
  'IMPORT_NO_TITLE',
  'IMPORT_NO_YEAR',
  'IMPORT_NO_CODE',
  'IMPORT_YEAR_MISMATCH',
  'IMPORT_MULTIPLE_FORMS',
  'IMPORT_MISSING',
  'IMPORT_NO_HEADER',
  'IMPORT_UNPLACED',
  'IMPORT_POINTS_INFERRED',
  'IMPORT_NO_POINTS',
  'IMPORT_FILE_EXISTS',
  'IMPORT_TOO_LARGE',
  'IMPORT_FORMULA',
  // import: a whole bureau at once (jxmb import DIR|FILES…)
  'IMPORT_CODE_COLLISION',
  'IMPORT_NAME_NO_CODE',
  'IMPORT_DUPLICATE_FORM',
  'IMPORT_SEVERAL_FORMS',
  'IMPORT_WRITE_FAILED',
  // import: containers (Word, web pages, old formats through LibreOffice)
  'IMPORT_NO_TABLE',
  'IMPORT_CONVERT_FAILED',
  // import: layouts by meaning
  'IMPORT_UNKNOWN_COLUMN',
  'IMPORT_COMPARATOR_GUESSED',
  'IMPORT_COMPARATOR_CONFLICT',
  'IMPORT_UNIT_CONFLICT',
  'IMPORT_POINTS_CONFLICT',
  'IMPORT_CONTINUATION',
  'IMPORT_TOTAL_MISMATCH',
  'IMPORT_NAME_FROM_FILER',
  'IMPORT_PRIVATE_USE',
  // the year-end self-evaluation (data/<year>/<code>.self-eval.yaml, check/self-eval.ts)
  'SELF_EVAL_NO_TARGETS',
  'SELF_EVAL_TARGETS_INVALID',
  'SELF_EVAL_DEPARTMENT_MISMATCH',
  'SELF_EVAL_YEAR_MISMATCH',
  'SELF_EVAL_GOALS_COUNT',
  'SELF_EVAL_UNKNOWN_INDICATOR',
  'SELF_EVAL_DUPLICATE_RESULT',
  'SELF_EVAL_MISSING_RESULT',
  'SELF_EVAL_EMPTY',
  'SELF_EVAL_ACTUAL_NOT_NUMBER',
  'SELF_EVAL_ACTUAL_NOT_DATE',
  'SELF_EVAL_UNKNOWN_GRADE',
  'SELF_EVAL_SCORE_REQUIRED',
  'SELF_EVAL_SCORE_OVER_POINTS',
  'SELF_EVAL_REASON_MISSING',
  'SELF_EVAL_MANUAL_REASON',
  'SELF_EVAL_OVERSPENT',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
export type Severity = 'error' | 'warning';

/** Values interpolated into a message; kept apart so messages can be localised at the edge. */
export type DiagnosticArgs = Record<string, string | number>;

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** [start, end) offsets into the decoded source text (BOM removed). */
  pos: [number, number];
  args: DiagnosticArgs;
}

/** A diagnostic placed in a file, ready to print: what `validate --format json` emits. */
export interface LocatedDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
}

export const diag = (
  code: DiagnosticCode,
  severity: Severity,
  pos: [number, number],
  args: DiagnosticArgs = {},
): Diagnostic => ({ code, severity, pos, args });

export const hasErrors = (ds: readonly { severity: Severity }[]): boolean => ds.some((d) => d.severity === 'error');
