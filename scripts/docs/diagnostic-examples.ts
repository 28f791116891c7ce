/**
 * One example per diagnostic code, for docs/diagnostics.md (`jxmb gen-docs`): the severity it is reported
 * with, arguments as a real case would give them (the messages are rendered from these by messages.ts, so
 * the doc shows exactly what a user sees), and a fix hint in English for a maintainer.
 * A code in scripts/check/diagnostic.ts without an entry here fails tests/docs.test.ts and `gen-docs`.
 */
import type { DiagnosticArgs, DiagnosticCode, Severity } from '../check/diagnostic.ts';

export interface DiagnosticExample {
  /** How it is reported; `both` when the same code is an error in one case and a warning in another. */
  severity: Severity | 'both';
  args: DiagnosticArgs;
  /** What to do about it, in one English sentence. */
  fix: string;
}

const AT = 'data/2025/zhijiang-swkjgxj.yaml';

export const DIAGNOSTIC_EXAMPLES: Partial<Record<DiagnosticCode, DiagnosticExample>> = {
  FILE_NOT_FOUND: { severity: 'error', args: { path: 'data/2025/zhjiang.yaml' }, fix: 'Check the path.' },
  FILE_NOT_UTF8: {
    severity: 'error',
    args: { byte: 212 },
    fix: 'Save the file as UTF-8 (GBK/GB2312 files from older editors are the usual cause).',
  },
  FILE_TOO_LARGE: {
    severity: 'error',
    args: { size: '3.2 MB', limit: '1 MB' },
    fix: 'Remove what was pasted in by mistake.',
  },
  FILE_EMPTY: { severity: 'error', args: {}, fix: 'Fill the file in, e.g. from a copy of last year’s.' },
  FILE_IS_DIRECTORY: {
    severity: 'error',
    args: { path: 'data/2025/x.yaml' },
    fix: 'Rename or move the folder.',
  },
  FILE_NOT_REGULAR: {
    severity: 'error',
    args: { path: 'data/2025/x.yaml', kindZh: '命名管道', kind: 'a named pipe (FIFO)' },
    fix: 'Replace it by a regular file.',
  },
  FILE_OUTSIDE_PROJECT: {
    severity: 'error',
    args: { path: 'data/2025/x.yaml', target: '/home/me/x.yaml' },
    fix: 'Put the file itself in the repository instead of a link.',
  },
  FILE_UNREADABLE: {
    severity: 'error',
    args: { path: AT, reason: 'EACCES' },
    fix: 'Fix the file’s permissions, or the link it is.',
  },
  YAML_SYNTAX: {
    severity: 'both',
    args: { yamlCode: 'BAD_INDENT', detail: 'All mapping items must start at the same column' },
    fix: 'Fix the syntax at the position shown; YAML warnings (rare) do not stop the build.',
  },
  YAML_TAB_INDENT: { severity: 'error', args: {}, fix: 'Indent with spaces (two per level).' },
  YAML_INDENT: {
    severity: 'error',
    args: { line: 30, what: 'key', sibling: 29, wantColumn: 5, diff: 1, more: 0 },
    fix: 'Indent the line like its siblings; the errors that followed from the slip are not reported.',
  },
  YAML_UNCLOSED: {
    severity: 'error',
    args: { open: '"', close: '"' },
    fix: 'Close the quote or bracket on the line where it opens.',
  },
  YAML_DUPLICATE_KEY: {
    severity: 'error',
    args: { key: 'unit', firstLine: 41 },
    fix: 'Delete or merge one of the two keys.',
  },
  YAML_ALIAS: { severity: 'error', args: {}, fix: 'Write the content out instead of &anchor / *alias.' },
  YAML_TAG: { severity: 'error', args: { tag: '!!str' }, fix: 'Remove the tag; quote the value if it is text.' },
  YAML_DIRECTIVE: { severity: 'error', args: { directive: '%YAML 1.1' }, fix: 'Delete the directive line.' },
  YAML_MULTI_DOC: { severity: 'error', args: {}, fix: 'One table per file: move the second document out.' },
  UNQUOTED_COMPARATOR: {
    severity: 'error',
    args: { text: '>=', symbol: '≥' },
    fix: 'Quote it (type: ">=") or write the symbol ≥.',
  },
  FULLWIDTH_INDENT: { severity: 'error', args: {}, fix: 'Replace the full-width spaces (U+3000) by spaces.' },
  FULLWIDTH_COLON: { severity: 'error', args: { key: 'unit' }, fix: 'Write the key with an ASCII colon and space.' },
  CONTROL_CHARACTER: {
    severity: 'error',
    args: { cp: 'U+001B', name: 'ESCAPE', escape: '\\e' },
    fix: 'Delete the character.',
  },
  BIDI_CONTROL: {
    severity: 'error',
    args: { cp: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE' },
    fix: 'Delete the character: it makes the text display in another order than it is stored.',
  },
  INVISIBLE_CHARACTER: {
    severity: 'warning',
    args: { cp: 'U+200B', name: 'ZERO WIDTH SPACE' },
    fix: 'Delete the character (usually pasted from a web page, Word or a PDF).',
  },
  GLYPH_MISSING: {
    severity: 'error',
    args: { char: '😀', cp: 'U+1F600', kind: 'emoji' },
    fix: 'Replace the character by words or a common character; no bundled font can print it.',
  },
  UNKNOWN_KEY: {
    severity: 'error',
    args: { key: 'uint', suggestion: 'unit', allowed: 'level1, level2, name, type, value, unit, …' },
    fix: 'Correct the key’s spelling (the suggestion is the nearest allowed key) or remove it.',
  },
  MISSING_KEY: {
    severity: 'error',
    args: { key: 'explanation', title: '指标解释', where: '第 3 个指标中', whereEn: 'in indicator 3' },
    fix: 'Add the key.',
  },
  WRONG_TYPE: {
    severity: 'error',
    args: {
      field: 'signoff.phone（联系电话）',
      expected: 'string',
      actual: 'number',
      expectedZh: '文字',
      actualZh: '数字',
      text: '13789290210',
    },
    fix: 'Give the value of the expected type (quote phone numbers and codes).',
  },
  INVALID_ENUM: {
    severity: 'error',
    args: {
      field: 'level1（一级指标）',
      value: '产出指',
      allowed: '成本指标 产出指标 效益指标 满意度指标',
      suggestion: '产出指标',
    },
    fix: 'Use one of the allowed values.',
  },
  LEVEL2_MISMATCH: {
    severity: 'error',
    args: { value: '数量指标', level1: '效益指标', allowed: '经济效益指标 社会效益指标 生态效益指标 可持续影响指标' },
    fix: 'Pick a 二级指标 of the 一级指标, or change the 一级指标 (docs/format.md lists the pairs).',
  },
  QUANTITATIVE_VALUE: {
    severity: 'error',
    args: { type: '≥', value: '3家', number: 3, unit: '家' },
    fix: 'Write the number alone in value and the unit in unit, or make the indicator 定性.',
  },
  QUALITATIVE_VALUE: {
    severity: 'error',
    args: { value: 95 },
    fix: 'Write a text target (e.g. 效果明显), or use a comparator type for a number.',
  },
  QUALITATIVE_UNIT: { severity: 'error', args: { value: '%' }, fix: 'Remove unit from the 定性 indicator.' },
  SCORING_FIELD: {
    severity: 'error',
    args: { kind: 'ratio', key: 'every_days', allowed: 'pass_rate, text' },
    fix: 'Remove the field, or choose the scoring kind it belongs to (docs/format.md lists them).',
  },
  INVALID_CODE: {
    severity: 'error',
    args: { field: 'department.code', value: 'Zhijiang_SWKJGXJ', suggestion: 'zhijiang-swkjgxj' },
    fix: 'Use lower-case letters, digits and hyphens; the file name must match.',
  },
  DATE_INVALID: { severity: 'error', args: { value: '2025-02-30' }, fix: 'Write a real date as YYYY-MM-DD.' },
  OUT_OF_RANGE: {
    severity: 'error',
    args: { field: 'scoring.pass_rate', value: 60, limit: '0 < x < 1' },
    fix: 'Give a value in the range (a rate of 60% is 0.6).',
  },
  EMPTY_VALUE: { severity: 'error', args: { field: 'indicators[2].name' }, fix: 'Fill the value in.' },
  TOO_LONG: {
    severity: 'error',
    args: { field: 'indicators[2].name', length: 64, limit: 50 },
    fix: 'Shorten the name; put the detail in explanation.',
  },
  SCHEMA: {
    severity: 'error',
    args: { field: 'indicators[2]', detailZh: '不应多于 60 个项', detail: 'must NOT have more than 60 items' },
    fix: 'Make the value match the schema (schema/department-targets.schema.json).',
  },
  POINTS_TOTAL: {
    severity: 'error',
    args: { sum: 88, total: 90, diff: -2 },
    fix: 'Make the indicators’ points add up to the total in the settings (points_total).',
  },
  REQUIRED_LEVEL1: {
    severity: 'error',
    args: { level1: '成本指标', required: '成本指标、产出指标、效益指标、满意度指标' },
    fix: 'Add at least one indicator under that 一级指标 (settings: required_level1).',
  },
  DUPLICATE_INDICATOR: {
    severity: 'warning',
    args: { name: '引进高中层次人才', group: '产出指标/数量指标', firstLine: 54, firstName: '引进高中层次人才' },
    fix: 'Merge the two rows or give them names that tell them apart.',
  },
  GROUP_SPLIT: {
    severity: 'error',
    args: { group: '产出指标/数量指标', firstLine: 30 },
    fix: 'Move the row next to the others of its group (merged cells need them adjacent).',
  },
  YEAR_IN_TEXT: {
    severity: 'warning',
    args: { year: 2024, fiscalYear: 2025 },
    fix: 'Check the year: usually a table copied from last year.',
  },
  DEADLINE_AFTER_YEAR: {
    severity: 'warning',
    args: { text: '2026年12月31日前', fiscalYear: 2025 },
    fix: 'Check the deadline against the fiscal year.',
  },
  DEADLINE_BEFORE_YEAR: {
    severity: 'warning',
    args: { text: '2026年12月31日前', fiscalYear: 2027 },
    fix: 'Move the deadline into the fiscal year: the table was likely copied from last year.',
  },
  SIGNOFF_DATE_OUTSIDE: {
    severity: 'warning',
    args: { field: 'filed', date: '2025-12-08', fiscalYear: 2027, from: '2026-10-01', to: '2027-12-31' },
    fix: 'Enter this year’s dates, or widen filing_window in jxmb.settings.yaml.',
  },
  TABLE_UNCHANGED: {
    severity: 'warning',
    args: { previous: 'data/2026/zhijiang-swkjgxj.yaml' },
    fix: 'Update the targets, texts and dates copied from last year’s table.',
  },
  YEAR_FOLDER_MISMATCH: {
    severity: 'error',
    args: { year: 2026, folder: 2025 },
    fix: 'Move the file to data/<fiscal_year>/, or correct fiscal_year.',
  },
  CODE_FILENAME_MISMATCH: {
    severity: 'error',
    args: { code: 'zhijiang-swkjgxj', file: 'zhijiang.yaml' },
    fix: 'Rename the file to <department.code>.yaml, or correct the code.',
  },
  DUPLICATE_CODE: {
    severity: 'error',
    args: { code: 'zhijiang-swkjgxj', year: 2025, other: 'data/2025/copy.yaml' },
    fix: 'Give each department of a year its own code.',
  },
  PERCENT_OVER_100: { severity: 'warning', args: { value: 120 }, fix: 'Check the value: a percentage above 100.' },
  SCORING_TEXT_MISMATCH: {
    severity: 'error',
    args: { found: '3分', field: 'points', expected: '2分' },
    fix: 'Make the hand-written sentence agree with the structured fields, or delete text.',
  },
  SCORING_TOP_POINTS: {
    severity: 'error',
    args: { top: 4, points: 5 },
    fix: 'Make the first grade or band worth the indicator’s points.',
  },
  PHONE_FORMAT: { severity: 'error', args: { value: '1378929021' }, fix: 'Write an 11-digit mobile or 0xxx-xxxxxxx.' },
  NUMBERED_ITEM: {
    severity: 'warning',
    args: { prefix: '1、', auto: '1、' },
    fix: 'Remove the hand-written number; the form numbers the items.',
  },
  XLSX_ROW_TOO_TALL: {
    severity: 'warning',
    args: { field: 'explanation', need: 520, limit: 409 },
    fix: 'Shorten the text if the Excel copy matters (PDF and HTML print it in full).',
  },
  SCHEMA_COMMENT: {
    severity: 'warning',
    args: { line: '# yaml-language-server: $schema=../../schema/department-targets.schema.json' },
    fix: 'Add the comment as the first line so editors check the file as you type.',
  },
  SETTINGS_INVALID: {
    severity: 'error',
    args: { detail: 'YAML_TAB_INDENT' },
    fix: 'Fix jxmb.settings.yaml (schema/settings.schema.json); until then nothing is built.',
  },
  IMPORT_EMPTY: { severity: 'error', args: {}, fix: 'Give the file that has the table.' },
  IMPORT_UNREADABLE: {
    severity: 'error',
    args: { detail: 'end of central directory record signature not found', reason: 'zip', reasonZh: 'zip' },
    fix: 'Open the file in Excel/WPS and save it again as .xlsx.',
  },
  IMPORT_ENCODING: { severity: 'warning', args: { encoding: 'GB18030' }, fix: 'Check the text reads right.' },
  IMPORT_NO_TITLE: {
    severity: 'error',
    args: { sheets: 'Sheet1, Sheet2' },
    fix: 'Import the file holding 部门（单位）整体绩效目标表.',
  },
  IMPORT_NO_YEAR: { severity: 'error', args: {}, fix: 'Give --year.' },
  IMPORT_NO_CODE: {
    severity: 'error',
    args: { name: '某某县财政局', example: 'mmx-czj' },
    fix: 'Give --code, or list the name in settings import.codes.',
  },
  IMPORT_YEAR_MISMATCH: {
    severity: 'warning',
    args: { title: '（2024）年度', year: 2025 },
    fix: 'Check which year the table is for.',
  },
  IMPORT_MULTIPLE_FORMS: {
    severity: 'warning',
    args: { sheets: '2025, 2024', chosen: '2025' },
    fix: 'Check the sheet read is the one wanted.',
  },
  IMPORT_MISSING: { severity: 'error', args: { what: 'signoff.preparer' }, fix: 'Fill it in in the YAML.' },
  IMPORT_NO_HEADER: { severity: 'warning', args: {}, fix: 'Check the columns were read as meant.' },
  IMPORT_UNPLACED: {
    severity: 'warning',
    args: { text: '备注：以上数据为预估', keptIn: 'a YAML comment' },
    fix: 'Move the text where it belongs, or delete it.',
  },
  IMPORT_POINTS_INFERRED: { severity: 'warning', args: { total: 90, points: 5 }, fix: 'Check the points.' },
  IMPORT_NO_POINTS: { severity: 'error', args: {}, fix: 'Fill in points in the YAML.' },
  IMPORT_FILE_EXISTS: {
    severity: 'error',
    args: { path: AT },
    fix: 'Add --force to overwrite, or --out elsewhere.',
  },
  IMPORT_TOO_LARGE: {
    severity: 'error',
    args: { what: 'entry', entry: 'xl/worksheets/sheet1.xml', size: '210 MB', limit: '64 MB' },
    fix: 'Keep only the table, save as a new .xlsx and import that.',
  },
  IMPORT_FORMULA: {
    severity: 'warning',
    args: { formula: 'SUM(H5:H30)' },
    fix: 'Open and save the file in Excel/WPS so the result is stored, or check the value.',
  },
  IMPORT_CODE_COLLISION: {
    severity: 'warning',
    args: { wanted: 'zj-czj', other: '芷江县财政局', where: 'b.xlsx', code: 'zj-czj-2', name: '芷江县残联' },
    fix: 'Choose the codes in settings import.codes.',
  },
  IMPORT_NAME_NO_CODE: {
    severity: 'error',
    args: { name: '某某县财政局' },
    fix: 'Add the name to settings import.codes (or a --codes file).',
  },
  IMPORT_DUPLICATE_FORM: {
    severity: 'error',
    args: { other: 'a.xlsx', path: 'a (1).xlsx' },
    fix: 'Remove one of the two copies.',
  },
  IMPORT_SEVERAL_FORMS: {
    severity: 'error',
    args: { count: 3, option: '--out DIR' },
    fix: 'Import into a folder (--out DIR).',
  },
  IMPORT_WRITE_FAILED: { severity: 'error', args: { detail: 'ENOSPC' }, fix: 'Free space or write elsewhere.' },
  IMPORT_NO_TABLE: { severity: 'error', args: { container: 'docx' }, fix: 'Give the document with the table.' },
  IMPORT_CONVERT_FAILED: {
    severity: 'error',
    args: { from: 'xls', reason: 'timeout', detail: 'soffice ran past 60 s' },
    fix: 'Save the file as .xlsx yourself and import that (or check LibreOffice: jxmb doctor).',
  },
  IMPORT_UNKNOWN_COLUMN: {
    severity: 'warning',
    args: { header: '备注' },
    fix: 'Add the header to settings import.synonyms if it is one of the form’s columns.',
  },
  IMPORT_COMPARATOR_GUESSED: {
    severity: 'warning',
    args: { guessed: '≥', value: '95%', why: 'a rate', level: '满意度指标' },
    fix: 'Check the indicator’s type.',
  },
  IMPORT_COMPARATOR_CONFLICT: {
    severity: 'warning',
    args: { inValue: '≤', inColumn: '≥' },
    fix: 'Check which comparator is meant.',
  },
  IMPORT_UNIT_CONFLICT: { severity: 'warning', args: { inValue: '个', inColumn: '家' }, fix: 'Check the unit.' },
  IMPORT_POINTS_CONFLICT: {
    severity: 'warning',
    args: { column: 5, sentence: 3 },
    fix: 'Check the points.',
  },
  IMPORT_CONTINUATION: {
    severity: 'warning',
    args: { field: 'explanation', name: '新增规模工业企业' },
    fix: 'Check the text was joined to the right indicator.',
  },
  IMPORT_TOTAL_MISMATCH: { severity: 'warning', args: { stated: 90, sum: 88 }, fix: 'Check the points.' },
  IMPORT_NAME_FROM_FILER: {
    severity: 'warning',
    args: { name: '芷江侗族自治县商务科技和工业和信息化局' },
    fix: 'Check the department name.',
  },
  IMPORT_PRIVATE_USE: {
    severity: 'warning',
    args: { text: '\uE000', codePoint: 'U+E000' },
    fix: 'Replace the character by the one meant.',
  },
  SELF_EVAL_NO_TARGETS: {
    severity: 'error',
    args: { targets: 'data/2025/zhijiang-swkjgj.yaml' },
    fix: 'Name the file <code>.self-eval.yaml beside its targets file, or add the targets file.',
  },
  SELF_EVAL_TARGETS_INVALID: {
    severity: 'error',
    args: { targets: AT },
    fix: 'Fix the targets file first; the self-evaluation is checked against it.',
  },
  SELF_EVAL_DEPARTMENT_MISMATCH: {
    severity: 'error',
    args: { department: 'zhijiang-czj', file: 'zhijiang-swkjgxj.self-eval.yaml', code: 'zhijiang-swkjgxj' },
    fix: 'Make department and the file name agree.',
  },
  SELF_EVAL_YEAR_MISMATCH: {
    severity: 'error',
    args: { year: 2024, targets: AT, targetsYear: 2025 },
    fix: 'Write the targets file’s year, or move the file.',
  },
  SELF_EVAL_GOALS_COUNT: {
    severity: 'error',
    args: { count: 1, targets: AT, expected: 2 },
    fix: 'Write one result per goal, in the targets file’s order.',
  },
  SELF_EVAL_UNKNOWN_INDICATOR: {
    severity: 'error',
    args: {
      targets: AT,
      name: '新增规模工业企',
      suggestions: '新增规模工业企业',
      suggestionsEn: '"新增规模工业企业"',
    },
    fix: 'Use the 三级指标 name exactly as in the targets file.',
  },
  SELF_EVAL_DUPLICATE_RESULT: {
    severity: 'error',
    args: { name: '新增规模工业企业', firstLine: 12 },
    fix: 'Remove the extra result.',
  },
  SELF_EVAL_MISSING_RESULT: {
    severity: 'error',
    args: { targets: AT, position: 3, name: '外贸进出口倍增企业' },
    fix: 'Add a result for the indicator (jxmb self-eval init writes them all).',
  },
  SELF_EVAL_EMPTY: {
    severity: 'error',
    args: { field: 'results[1].actual' },
    fix: 'Fill in the value achieved.',
  },
  SELF_EVAL_ACTUAL_NOT_NUMBER: {
    severity: 'error',
    args: { name: '新增规模工业企业', actual: '3家', number: 3, unit: '家' },
    fix: 'Write the number alone, without its unit.',
  },
  SELF_EVAL_ACTUAL_NOT_DATE: {
    severity: 'error',
    args: { name: '工作完成时间', target: '2026年12月31日前', actual: '按时完成' },
    fix: 'Write the date the work was done, YYYY-MM-DD.',
  },
  SELF_EVAL_UNKNOWN_GRADE: {
    severity: 'error',
    args: { actual: '好', name: '社会效益', labels: '效果明显、效果一般', labelsEn: '"效果明显", "效果一般"' },
    fix: 'Write one of the grade labels of the indicator’s rule.',
  },
  SELF_EVAL_SCORE_REQUIRED: {
    severity: 'error',
    args: { name: '推动科技和企业发展', why: 'text', points: 5 },
    fix: 'Give the score by hand with a reason.',
  },
  SELF_EVAL_SCORE_OVER_POINTS: {
    severity: 'error',
    args: { score: 6, points: 5 },
    fix: 'Lower the score to at most the indicator’s points.',
  },
  SELF_EVAL_REASON_MISSING: {
    severity: 'error',
    args: { name: '新增规模工业企业', score: 1.33, points: 2 },
    fix: 'Explain the shortfall and the remedy in reason.',
  },
  SELF_EVAL_MANUAL_REASON: {
    severity: 'error',
    args: { name: '推动科技和企业发展' },
    fix: 'Say in reason why the score was given.',
  },
  SELF_EVAL_OVERSPENT: {
    severity: 'warning',
    args: { spent: 1320.5, adjusted: 1286.5 },
    fix: 'Check the budget figures; explain an overspend under problems.',
  },
};
