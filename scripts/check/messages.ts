/**
 * The words of every diagnostic, in Chinese (default) and English. Each message says what is wrong
 * and how to fix it. Codes are the contract; wording may improve without breaking anyone.
 */
import type { DiagnosticArgs, DiagnosticCode } from './diagnostic.ts';

export type Lang = 'zh' | 'en';
type Msg = (a: DiagnosticArgs) => string;

const s = (v: string | number | undefined): string => (v === undefined ? '' : String(v));
const hint = (zh: boolean, a: DiagnosticArgs): string =>
  a.suggestion ? (zh ? `；是不是要写 “${s(a.suggestion)}”？` : `; did you mean "${s(a.suggestion)}"?`) : '';

const signoffZh: Record<string, string> = {
  business_review: '业务股室审核',
  performance_review: '绩效股室审核',
  filed: '填报',
};
const signoffEn: Record<string, string> = {
  business_review: 'business review (业务股室审核)',
  performance_review: 'performance review (绩效股室审核)',
  filed: 'filing (填报日期)',
};

/** `1 space`, `2 spaces`. */
const spaces = (n: string | number | undefined): string => `${s(n)} space${Number(n) === 1 ? '' : 's'}`;
const known = (a: DiagnosticArgs): boolean => a.sibling !== undefined && a.sibling !== '?';
/** Where the siblings of a misindented line are: `（第 29 行，从第 5 列开始）`. */
const siblingZh = (a: DiagnosticArgs): string =>
  known(a) ? `（第 ${s(a.sibling)} 行，从第 ${s(a.wantColumn)} 列开始）` : '';
const siblingEn = (a: DiagnosticArgs): string =>
  known(a) ? ` (line ${s(a.sibling)}, which starts in column ${s(a.wantColumn)})` : '';
/** `请把行首的空白换成 4 个空格`, or for a line that starts in column 1, `请删去行首的空白`. */
const blanksZh = (a: DiagnosticArgs, what: string): string =>
  Number(a.want) === 0 ? '请删去行首的空白' : `请把行首的空白换成 ${s(a.want)} 个${what}`;
const blanksEn = (a: DiagnosticArgs): string =>
  Number(a.want) === 0
    ? 'delete the blanks at the start of the line'
    : `replace the blanks at the start of the line with ${spaces(a.want)}`;
const alignZh = (a: DiagnosticArgs): string => (known(a) ? `，与第 ${s(a.sibling)} 行对齐` : '');
const alignEn = (a: DiagnosticArgs): string => (known(a) ? `, in line with line ${s(a.sibling)}` : '');

/** What the YAML parser's commonest complaints mean for someone filling in a form. */
const yamlHints: Record<string, { zh: string; en: string }> = {
  BAD_INDENT: {
    zh: '缩进不一致：同一层的键必须从同一列开始',
    en: 'inconsistent indentation: keys of one level must start in the same column',
  },
  MULTILINE_IMPLICIT_KEY: {
    zh: '键必须写在一行内；如果文字里有 “: ”（冒号加空格），请给整段文字加引号',
    en: 'a key must fit on one line; if the text contains ": " (colon and space), quote the whole text',
  },
  BLOCK_AS_IMPLICIT_KEY: {
    zh: '这里被当成了键；如果文字里有 “: ”，请给整段文字加引号',
    en: 'this was read as a key; if the text contains ": ", quote the whole text',
  },
  MISSING_CHAR: { zh: '缺少配对的符号（引号、] 或 }）', en: 'a closing quote, ] or } is missing' },
  UNEXPECTED_TOKEN: { zh: '这里有多余的字符', en: 'unexpected characters here' },
  BAD_SCALAR_START: {
    zh: '值不能以这个字符开头；请给值加引号',
    en: 'a value cannot start with this character; quote the value',
  },
};
const yamlHint = (a: DiagnosticArgs, lang: 'zh' | 'en'): string => {
  const h = yamlHints[/end with an? [\]}]/.test(s(a.detail)) ? 'MISSING_CHAR' : s(a.yamlCode)];
  return h ? `${h[lang]}（${s(a.detail)}）`.replace(/（(.*)）$/, lang === 'en' ? ' ($1)' : '（$1）') : s(a.detail);
};

const zh: Record<DiagnosticCode, Msg> = {
  FILE_NOT_FOUND: (a) => `找不到文件 ${s(a.path)}`,
  FILE_NOT_UTF8: (a) =>
    `文件不是 UTF-8 编码（${a.line ? `第 ${s(a.line)} 行，` : ''}第 ${s(a.byte)} 字节无法解码）；` +
    '请在编辑器中“另存为 UTF-8”后再提交（GBK/GB2312 编码的文件常见此问题）',
  FILE_TOO_LARGE: (a) =>
    `文件有 ${s(a.size)}，超过上限 ${s(a.limit)}；一张绩效目标表不会这么大，请检查是否误粘贴了其他内容`,
  FILE_EMPTY: () =>
    '文件是空的（或只有注释）；请按 schema/department-targets.schema.json 填写，可复制 data/ 下已有的文件作为模板',
  FILE_IS_DIRECTORY: (a) => `${s(a.path)} 是目录，不是文件；数据文件必须是普通的 .yaml 文件，` + '请改名或移走这个目录',
  FILE_NOT_REGULAR: (a) =>
    `${s(a.path)} 不是普通文件（是${s(a.kindZh)}），没有读取；` + '数据文件必须是普通的 .yaml 文件，请删除或移走它',
  FILE_OUTSIDE_PROJECT: (a) =>
    `${s(a.path)} 是指向项目之外（${s(a.target)}）的链接，没有读取；` + '请把文件本身放进仓库，而不是链接到仓库之外',
  FILE_UNREADABLE: (a) =>
    `无法读取 ${s(a.path)}（${s(a.reason)}）；` +
    (a.reason === 'ELOOP'
      ? '这是一串首尾相接的符号链接，请改为指向真正的文件'
      : a.reason === 'EACCES' || a.reason === 'EPERM'
        ? '没有读取权限，请检查文件权限'
        : '请检查这个文件'),
  YAML_SYNTAX: (a) => `YAML 语法错误：${yamlHint(a, 'zh')}`,
  YAML_TAB_INDENT: (a) =>
    a.want === undefined
      ? 'YAML 不允许用 Tab 缩进；请改用空格（通常每级两个空格）'
      : `第 ${s(a.line)} 行用 Tab 缩进，YAML 不允许；${blanksZh(a, '空格')}${alignZh(a)}`,
  YAML_INDENT: (a) =>
    a.joined
      ? `第 ${s(a.line)} 行的列表项缩进比同一层的 “-”（第 ${s(a.sibling)} 行）多 ${s(a.diff)} 个空格，` +
        `被读成了上一项的续行（两项并成了一项）；请删去行首多出的 ${s(a.diff)} 个空格`
      : `第 ${s(a.line)} 行缩进比同一层的${a.what === 'item' ? '列表项 “-”' : '键'}${siblingZh(a)}` +
        `${a.more ? '多' : '少'} ${s(a.diff)} 个空格；请${a.more ? '删去行首多出的' : '在行首补上'} ${s(a.diff)} 个空格`,
  YAML_UNCLOSED: (a) =>
    a.open === '"' || a.open === "'"
      ? `这里以 ${s(a.open)} 开始的引号没有结束，其后的内容都被当成了引号里的文字；` +
        `请在这一行的值末尾补上 ${s(a.close)}（或去掉开头的 ${s(a.open)}）`
      : `这里的 “${s(a.open)}” 没有配对的 “${s(a.close)}”；请在这一行的末尾补上 “${s(a.close)}”`,
  YAML_DUPLICATE_KEY: (a) =>
    `键 “${s(a.key)}” 在同一层重复出现（第一次在第 ${s(a.firstLine)} 行）；请删除或合并其中一个`,
  YAML_ALIAS: () => '本格式不使用 YAML 锚点（&）和别名（*）；请把内容直接写出来',
  YAML_TAG: (a) => `不支持 YAML 标签 “${s(a.tag)}”；请去掉它，直接写值（需要文字时加引号）`,
  YAML_DIRECTIVE: (a) => `不支持指令 “${s(a.directive)}”；本格式使用 YAML 1.2，请删除这一行（以及其后的 ---）`,
  YAML_MULTI_DOC: () => '一个文件只能有一张表；请删除 “---” 分隔符，把另一张表放到单独的文件中',
  UNQUOTED_COMPARATOR: (a) =>
    `指标类型 “${s(a.text)}” 没有加引号：在 YAML 中 “>” 表示折叠文本块，所以 ${s(a.text)} 被读成了空文本；请写成 type: ` +
    `"${s(a.text)}"（加引号）或直接写 ${s(a.symbol)}`,
  FULLWIDTH_INDENT: (a) =>
    a.want === undefined
      ? '行首有全角空格（U+3000）；YAML 只认半角空格缩进，请把行首的全角空格换成半角空格'
      : `第 ${s(a.line)} 行行首有全角空格（U+3000）；YAML 只认半角空格缩进，` +
        `${blanksZh(a, '半角空格')}${alignZh(a)}`,
  FULLWIDTH_COLON: (a) =>
    `键 “${s(a.key)}” 后面用了全角冒号 “：”；YAML 的键值分隔符是半角冒号加空格，请写成 “${s(a.key)}: ”`,
  CONTROL_CHARACTER: (a) =>
    a.cp === 'U+000D'
      ? `这里有单独的回车符 U+000D CARRIAGE RETURN${a.escape ? `（转义 “${s(a.escape)}”）` : ''}` +
        '：它不是换行，打印时会吞掉前面的文字；' +
        '请删除它，或把文件的换行统一为 LF（或 CRLF）'
      : `这里有控制字符 ${s(a.cp)} ${s(a.name)}${a.escape ? `（转义 “${s(a.escape)}”）` : ''}` +
        '：它看不见，打印出来的与文件里的不一样，还可能扰乱终端；请删除它' +
        (a.cp === 'U+2028' || a.cp === 'U+2029' ? '（需要分行时请用 YAML 的 | 文本块）' : ''),
  BIDI_CONTROL: (a) =>
    `这里有双向文字控制符 ${s(a.cp)} ${s(a.name)}${a.escape ? `（转义 “${s(a.escape)}”）` : ''}` +
    '：它会让文字显示的顺序与文件中的顺序不同，' +
    '打印出的内容与 YAML 不一致；请删除它',
  INVISIBLE_CHARACTER: (a) =>
    `这里有看不见的字符 ${s(a.cp)} ${s(a.name)}${a.escape ? `（转义 “${s(a.escape)}”）` : ''}` +
    '：它不会打印出来，却让看起来相同的文字变得不同' +
    '（常见于从网页、Word 或 PDF 复制的文字）；请删除它',
  GLYPH_MISSING: (a) =>
    `随附的字体里没有字符 “${s(a.char)}”（${s(a.cp)}）：打印出来会是空框；` +
    (a.kind === 'emoji'
      ? '表格不能打印表情符号，请删除它或改用文字（如“笑脸”）'
      : '请换成常用字，或改用文字说明（如写出它的拼音或“左×右×”的字形描述）'),
  UNKNOWN_KEY: (a) =>
    `不认识的键 “${s(a.key)}”${a.suggestion ? `；是不是要写 “${s(a.suggestion)}”？` : `；允许的键：${s(a.allowed)}`}`,
  MISSING_KEY: (a) => `缺少必填项 “${s(a.key)}”（${s(a.title)}）；请在${s(a.where) || '此处'}补上`,
  WRONG_TYPE: (a) =>
    `${s(a.field)} 应为${s(a.expectedZh)}，实际是${s(a.actualZh)}` +
    (a.expected === 'string' && a.actual === 'number' ? '；请给它加上引号，例如 "' + s(a.text) + '"' : ''),
  INVALID_ENUM: (a) => `${s(a.field)} 不能是 “${s(a.value)}”；只能是：${s(a.allowed)}${hint(true, a)}`,
  LEVEL2_MISMATCH: (a) =>
    `二级指标 “${s(a.value)}” 不属于一级指标 “${s(a.level1)}”；${s(a.level1)} 下只能是：${s(a.allowed)}`,
  QUANTITATIVE_VALUE: (a) =>
    `定量指标（${s(a.type)}）的指标值只能是数字，这里是 “${s(a.value)}”` +
    (a.number
      ? `；请写 value: ${s(a.number)}${a.unit ? `，并把 “${s(a.unit)}” 写到 unit` : ''}`
      : '；如果这是文字目标，请把 type 改为 定性'),
  QUALITATIVE_VALUE: (a) =>
    `定性指标的指标值应为文字（如 “效果明显”），这里是 ${s(a.value)}；如果是数字目标，请把 type 改为 ≥ > = ≤ < 之一`,
  QUALITATIVE_UNIT: (a) => `定性指标不填计量单位（这里是 “${s(a.value)}”）；请删除 unit，或把 type 改为定量符号`,
  SCORING_FIELD: (a) =>
    `评分规则 ${s(a.kind)} 不使用 “${s(a.key)}”；请删除它${a.allowed ? `（${s(a.kind)} 可用：${s(a.allowed)}）` : ''}`,
  INVALID_CODE: (a) =>
    `${s(a.field)} “${s(a.value)}” 只能用小写字母、数字和连字符（如 zhijiang-swkjgxj）${hint(true, a)}`,
  DATE_INVALID: (a) => `日期 “${s(a.value)}” 不存在或格式不对；请写成 YYYY-MM-DD，例如 2025-12-08`,
  OUT_OF_RANGE: (a) =>
    `${s(a.field)} 的值 ${s(a.value)} 超出范围（${s(a.limit)}）` +
    (a.suggestion ? `；这是比例，${s(a.value)}% 应写成 ${s(a.suggestion)}` : ''),
  EMPTY_VALUE: (a) => `${s(a.field)} 不能为空`,
  TOO_LONG: (a) =>
    `${s(a.field)} 太长（${s(a.length)} 字，上限 ${s(a.limit)} 字）；三级指标名称应简洁明确，详细内容请写在 explanation`,
  SCHEMA: (a) => `${s(a.field)}：${s(a.detailZh ?? a.detail)}`,
  POINTS_TOTAL: (a) =>
    `各指标分值合计 ${s(a.sum)} 分，应为 ${s(a.total)} 分（jxmb.settings.yaml 的 points_total）；相差 ${s(a.diff)} 分` +
    (a.subtotals ? `。各一级指标小计：${s(a.subtotals)}` : ''),
  REQUIRED_LEVEL1: (a) => `缺少一级指标 “${s(a.level1)}”；本局要求每张表都包含：${s(a.required)}`,
  DUPLICATE_INDICATOR: (a) =>
    `三级指标 “${s(a.name)}” 在 ${s(a.group)} 中重复（第 ${s(a.firstLine)} 行已有` +
    (a.firstName ? ` “${s(a.firstName)}”，两者只差看不见的字符、空格或全角/半角` : '') +
    '）；请合并，或改成能区分的名称',
  GROUP_SPLIT: (a) =>
    `${s(a.group)} 的指标被其他指标隔开（上一段在第 ${s(a.firstLine)} 行）；同一一级/二级指标的行必须相邻才能合并单元格，请把它们移到一起`,
  YEAR_IN_TEXT: (a) => `文字中写的是 “${s(a.year)}年”，但这是 ${s(a.fiscalYear)} 年度的表；是否沿用了旧表的文字？`,
  DEADLINE_AFTER_YEAR: (a) =>
    `完成时限 “${s(a.text)}” 在 ${s(a.fiscalYear)} 年度之后；年度绩效目标的时限应在 ${s(a.fiscalYear)}年12月31日前`,
  DEADLINE_BEFORE_YEAR: (a) =>
    `完成时限 “${s(a.text)}” 在 ${s(a.fiscalYear)} 年度之前；像是沿用了上一年度的表，请改为 ${s(a.fiscalYear)} 年度内的时限`,
  SIGNOFF_DATE_OUTSIDE: (a) =>
    `${signoffZh[s(a.field)] ?? s(a.field)}日期 ${s(a.date)} 不在 ${s(a.fiscalYear)} 年度的填报时段` +
    `（${s(a.from)} 至 ${s(a.to)}）内；是否沿用了旧表的日期？（时段见 jxmb.settings.yaml 的 filing_window）`,
  TABLE_UNCHANGED: (a) =>
    `这张表与上一年度的 ${s(a.previous)} 除年份外完全相同；是否复制后忘了更新指标值、文字和日期？`,
  YEAR_FOLDER_MISMATCH: (a) =>
    `fiscal_year 是 ${s(a.year)}，但文件在文件夹 ${s(a.folder)}/ 中；请改正年份或移动文件到 data/${s(a.year)}/`,
  CODE_FILENAME_MISMATCH: (a) =>
    `department.code 是 “${s(a.code)}”，但文件名是 “${s(a.file)}”；文件名必须是 ${s(a.code)}.yaml`,
  DUPLICATE_CODE: (a) =>
    `部门代码 “${s(a.code)}” 在 ${s(a.year)} 年度已被 ${s(a.other)} 使用；每个部门每年只能有一张表`,
  PERCENT_OVER_100: (a) => `指标值 ${s(a.value)}% 超过 100%；满意度、合格率等比例不会超过 100%，请核对`,
  SCORING_TEXT_MISMATCH: (a) =>
    `评分句子中的 “${s(a.found)}” 与结构化字段不符（${s(a.field)} 是 ${s(a.expected)}）；请改正句子或字段，使两者一致`,
  SCORING_TOP_POINTS: (a) => `最高一档得 ${s(a.top)} 分，但 points 是 ${s(a.points)} 分；两者应相等`,
  PHONE_FORMAT: (a) =>
    `联系电话 “${s(a.value)}” 格式不对；手机号为 11 位数字（如 13789290210），座机带区号（如 0745-6822345）`,
  SCHEMA_COMMENT: (a) => `文件第一行应为 “${s(a.line)}”，编辑器据此提示键名、说明和可选值；请加上这一行`,
  NUMBERED_ITEM: (a) =>
    `开头的 “${s(a.prefix)}” 是手写的编号：打印时每项会自动编号为 “${s(a.auto)}”，编号会重复；` +
    `请删去开头的编号（一项里写了几条编号的内容时，把每条写成单独的一项）`,
  XLSX_ROW_TOO_TALL: (a) =>
    `${s(a.field)} 的文字在 Excel 中需要约 ${s(a.need)} 磅行高，` +
    `超过 Excel 的上限 ${s(a.limit)} 磅：生成的 .xlsx 中这一行只显示开头部分` +
    '（单元格仍保存全文，PDF 和 HTML 完整打印）；' +
    '如需在 Excel 中完整显示，请精简或拆分这段文字',
  SETTINGS_INVALID: (a) => `设置文件有误：${s(a.detail)}`,
  IMPORT_EMPTY: () => '文件是空的；请导入从官方表格导出的 .xlsx 或制表符分隔的文本',
  IMPORT_UNREADABLE: (a) =>
    unreadableZh(a) ??
    (a.detail === 'binary'
      ? '这不是能导入的表格文件（内容是二进制数据，不是 .xlsx .xls .ods .docx .doc .odt、网页或文本）；' +
        '请确认文件，或在 Excel/WPS 中打开后另存为 Excel 工作簿 (.xlsx) 再导入'
      : a.detail === 'encoding'
        ? '无法识别文件的编码（既不是 UTF-8、UTF-16 也不是 GBK/GB18030）；请在 Excel 中另存为 .xlsx 或 UTF-8 文本'
        : a.detail === 'pptx' || a.detail === 'zip'
          ? a.detail === 'pptx'
            ? '这是 PowerPoint 演示文稿 (.pptx)，其中没有可导入的表格；请把表格复制到 Excel/WPS 表格中另存为 .xlsx 再导入'
            : '这是普通的 zip 压缩包；请解压后导入其中的表格文件（可直接导入解压出的文件夹）'
          : a.detail === 'pdf' || a.detail === 'rtf'
            ? a.detail === 'pdf'
              ? '这是 PDF 文件，无法从中可靠地取回表格内容；请导入生成它的 .xlsx、.docx 或从中导出的文本'
              : '这是 RTF 文档（Word/写字板）；请在 Word/WPS 中打开后另存为 Word 文档 (.docx) 再导入'
            : a.detail === 'corrupt'
              ? `工作簿已损坏，无法读取${a.entry ? `：其中的 “${s(a.entry)}” ` : '：'}` +
                `${s(a.reasonZh)}；请在 Excel/WPS 中打开并重新保存为 .xlsx` +
                '（打不开则需找回原文件）'
              : `无法读取工作簿（文件可能已损坏）：${s(a.detail)}；` + '请在 Excel/WPS 中打开并重新保存为 .xlsx'),
  IMPORT_ENCODING: (a) => `文件不是 UTF-8 编码，已按 ${s(a.encoding)} 解码；请核对导入的文字是否正确`,
  IMPORT_NO_TITLE: (a) =>
    `没有找到表名“部门（单位）整体绩效目标表”${a.sheets ? `（查看了工作表：${s(a.sheets)}）` : ''}；这不像是一张部门整体绩效目标表，请确认文件`,
  IMPORT_NO_YEAR: () => '表头没有“（2025）年度”这样的年度行，无法确定预算年度；请用 --year 2025 指定',
  IMPORT_NO_CODE: (a) =>
    `无法确定${a.name ? `“${s(a.name)}”` : '（表中没有部门名称）'}的部门代码：名称中没有能转成拼音的字，data/ 下没有同名` +
    `部门的表，文件名也不能用作代码；请用 --code 指定，例如 --code ${s(a.example) || 'zhijiang-swkjgxj'}` +
    '（只用小写字母、数字和连字符）',
  IMPORT_YEAR_MISMATCH: (a) =>
    `表头写的是（${s(a.title)}）年度，但 --year 指定为 ${s(a.year)}；已按 ${s(a.year)} 年度导入`,
  IMPORT_MULTIPLE_FORMS: (a) =>
    `工作簿中有多张绩效目标表（${s(a.sheets)}）；只导入了工作表“${s(a.chosen)}”，其余请另存为单独的文件再导入`,
  IMPORT_MISSING: (a) => `没有找到“${s(a.what)}”；已留空，请在生成的 YAML 中补上`,
  IMPORT_NO_HEADER: () =>
    '没有找到绩效指标的表头行（一级指标、二级指标……备注）；已按每行的“指标类型”一格推断各列，请核对导入结果',
  IMPORT_UNPLACED: (a) =>
    `“${s(a.text)}”在表中没有对应的位置，${a.keptIn === '备注' ? '已并入该指标的备注（note）' : '已作为注释保留在生成的 YAML 开头'}；请核对后移到合适的地方或删除`,
  IMPORT_POINTS_INFERRED: (a) =>
    `评分句子没有写分值；按总分 ${s(a.total)} 减去其他指标，推定为 ${s(a.points)} 分，请核对`,
  IMPORT_NO_POINTS: () => '评分句子没有写分值（“得N分”），也无法由总分推定；已填 0，请在生成的 YAML 中填写 points',
  IMPORT_FILE_EXISTS: (a) => `${s(a.path)} 已存在；加 --force 覆盖，或用 --out 写到别处`,
  IMPORT_TOO_LARGE: (a) => {
    const other = tooLargeZh(a);
    if (other) return other;
    const fix =
      '一张绩效目标表解压后不到 1 MB、只有几千个单元格；' + '请在 Excel/WPS 中只保留这张表，另存为新的 .xlsx 后再导入';
    const size = a.declared ? `zip 目录声明为 ${s(a.size)}，未解压` : `解压到 ${s(a.size)} 时即停止`;
    if (a.what === 'entry')
      return (
        `工作簿中的 “${s(a.entry)}” 解压后超过每个部件的上限 ${s(a.limit)}` +
        `（${size}），没有读取；` +
        `文件可能是恶意构造的压缩包或夹带了大文件。${fix}`
      );
    if (a.what === 'total')
      return `工作簿解压后的总大小超过上限 ${s(a.limit)}` + `（到 “${s(a.entry)}” 为止${size}），没有读取；${fix}`;
    if (a.what === 'entries') return `工作簿由 ${s(a.size)} 个部件组成，超过上限 ${s(a.limit)} 个，没有读取；${fix}`;
    if (a.what === 'text-cells')
      return `文本中有 ${s(a.size)} 个非空单元格，超过上限 ${s(a.limit)} 个，没有导入；` + '请只导出这一张表';
    const what =
      a.what === 'cells'
        ? '有内容的单元格'
        : a.what === 'elements'
          ? '单元格（含只设了格式的空单元格）'
          : '单元格（含行内空白）';
    return (
      `工作表 “${s(a.entry)}” 的${what}有 ${s(a.size)} 个，` +
      `超过上限 ${s(a.limit)} 个，没有读取；` +
      `${fix}（或删去表格以外的行和列）`
    );
  },
  IMPORT_FORMULA: (a) =>
    `这个单元格是公式 =${s(a.formula)}，但文件中没有保存它的计算结果，已按空白导入；` +
    '请在 Excel/WPS 中打开并保存此文件（使公式算出结果）后再导入，' +
    '或把公式换成数值',
  // import: a whole bureau at once (jxmb import DIR|FILES…)
  IMPORT_CODE_COLLISION: (a) =>
    `由名称推得的部门代码 ${s(a.wanted)} 已属于“${s(a.other)}”（${s(a.where)}），这张表改用 ${s(a.code)}；` +
    `如需另定，请在 jxmb.settings.yaml 的 import.codes 或 --codes 文件中写明 “${s(a.name)}: 代码”`,
  IMPORT_NAME_NO_CODE: (a) =>
    (a.name ? `部门名称“${s(a.name)}”中没有能转成拼音的字` : '表中没有部门名称') +
    '，无法推得部门代码，没有写入；请在表中填写部门（单位）名称，' +
    '或在 jxmb.settings.yaml 的 import.codes 或 --codes 文件中写明 “名称: 代码”',
  IMPORT_DUPLICATE_FORM: (a) =>
    `与 ${s(a.other)} 中的表是同一部门、同一年度，都要写入 ${s(a.path)}；这一张没有写入，` +
    '请删去重复的文件，或核对两张表的部门名称和年度',
  IMPORT_SEVERAL_FORMS: (a) =>
    `文件中有 ${s(a.count)} 张绩效目标表，而 ${s(a.option)} 只能用于一张表，没有写入；` +
    `请去掉 ${s(a.option)}（各表的代码由部门名称推得，可在 import.codes 或 --codes 文件中指定；` +
    '--out 可以给一个文件夹）',
  IMPORT_WRITE_FAILED: (a) => `${s(a.detail)}`,
  // import: containers (Word, web pages, old formats through LibreOffice)
  IMPORT_NO_TABLE: (a) =>
    a.container === 'html'
      ? '网页中没有表格（<table>）；绩效目标表须是网页中的表格。请确认保存的是含这张表的页面，' +
        '或在 Excel/WPS 中打开它另存为 .xlsx 后再导入'
      : 'Word 文档中没有表格；绩效目标表须是 Word 表格（插入 → 表格），不能是用空格或制表符排出的文字。' +
        '请确认文件，或把表格复制到 Excel/WPS 表格中另存为 .xlsx 后再导入',
  IMPORT_CONVERT_FAILED: (a) => {
    const [what, app, ext] = convertedFrom(a.from, 'zh');
    const why = a.reason === 'timeout' ? '转换超时，已停止' : '文件可能已损坏、设有打开密码，或并非它看起来的格式';
    return (
      `LibreOffice 未能转换这个${what}文件（${why}${a.detail ? `：${s(a.detail)}` : ''}）；` +
      `请在 ${app} 中打开它，另存为 ${ext} 后再导入`
    );
  },
  // import: layouts by meaning
  IMPORT_UNKNOWN_COLUMN: (a) =>
    `表头“${s(a.header)}”不是绩效目标表的列；这一列的内容已并入各指标的备注（note）。` +
    '如果它就是某一列（如“分值”“指标解释”）的另一种说法，请在 jxmb.settings.yaml 的 import.synonyms 中添加后重新导入',
  IMPORT_COMPARATOR_GUESSED: (a) =>
    a.guessed === '定性'
      ? `指标类型写的是“定量”，但指标值“${s(a.value)}”不是数字；已按定性指标导入。` +
        '如果是定量指标，请把指标值写成数字（如 ≥95 或 95%），单位写在计量单位中'
      : `指标值“${s(a.value)}”没有写比较符号；` +
        (a.why === 'cost' ? `“${s(a.level)}”是成本指标，按“不超过”` : `按“${s(a.level)}”通常的“不低于”`) +
        `推定为 ${s(a.guessed)}。如不对，请在指标值前写上 ≥ > = ≤ < 之一，或在生成的 YAML 中改 type`,
  IMPORT_COMPARATOR_CONFLICT: (a) =>
    `指标值“${s(a.inValue)}”中的比较符号与指标类型“${s(a.inColumn)}”不一致；已按指标类型导入，` +
    '指标值原文保留在备注中。请核对后改正其中之一',
  IMPORT_UNIT_CONFLICT: (a) =>
    `指标值中的单位“${s(a.inValue)}”与计量单位列的“${s(a.inColumn)}”不一致；已按计量单位列导入，` +
    '指标值原文保留在备注中。请核对后改正其中之一',
  IMPORT_POINTS_CONFLICT: (a) =>
    `分值列写的是 ${s(a.column)} 分，评分句子却写 ${s(a.sentence)} 分；已按分值列计分，句子原样保留。` +
    '请改正句子或分值，使两者一致',
  IMPORT_CONTINUATION: (a) =>
    `这一行只有“${s(a.field)}”，看作上一行指标“${s(a.name)}”的${s(a.field)}的续行（合并单元格或分页所致），` +
    '已接在其后；请核对',
  IMPORT_TOTAL_MISMATCH: (a) =>
    `合计行写的是 ${s(a.stated)} 分，但各指标分值之和是 ${s(a.sum)} 分；请核对各指标的分值（合计行已作为注释保留）`,
  IMPORT_NAME_FROM_FILER: (a) => `表中没有“部门（单位）名称”一行；部门名称取自“填报单位”：${s(a.name)}。请核对`,
  IMPORT_PRIVATE_USE: (a) =>
    `“${s(a.text)}”中有私用区字符 ${s(a.codePoint)}：它不是标准汉字，换一台电脑或换一种字体可能显示为空白或别的字；` +
    '请在 YAML 中改为标准的字（生僻字可用其 Unicode 标准编码的字）',
  SELF_EVAL_NO_TARGETS: (a) =>
    `没有这份自评所评价的目标表 ${s(a.targets)}；自评表必须与目标表放在同一文件夹，文件名为 <部门代码>.self-eval.yaml。` +
    '请检查文件名和 department 中的部门代码，或先添加该部门的目标表',
  SELF_EVAL_TARGETS_INVALID: (a) =>
    `这份自评所评价的目标表 ${s(a.targets)} 有错误，无法对照检查和计分；请先运行 jxmb validate ${s(a.targets)} 改正目标表`,
  SELF_EVAL_DEPARTMENT_MISMATCH: (a) =>
    `department 写的是 “${s(a.department)}”，文件名 ${s(a.file)} 却是部门 “${s(a.code)}” 的自评；` +
    `请把 department 改为 ${s(a.code)}，或把文件改名为 ${s(a.department)}.self-eval.yaml`,
  SELF_EVAL_YEAR_MISMATCH: (a) =>
    `fiscal_year 是 ${s(a.year)}，但所评价的目标表 ${s(a.targets)} 是 ${s(a.targetsYear)} 年度的；` +
    `请改为 ${s(a.targetsYear)}，或把文件放到对应年度的文件夹`,
  SELF_EVAL_GOALS_COUNT: (a) =>
    `goals（实际完成情况）有 ${s(a.count)} 条，目标表 ${s(a.targets)} 的年度总体目标有 ${s(a.expected)} 条；` +
    '每个目标写一条完成情况，顺序与目标表相同',
  SELF_EVAL_UNKNOWN_INDICATOR: (a) =>
    (a.byId === 'id'
      ? `目标表 ${s(a.targets)} 中没有 id 为 “${s(a.name)}” 的指标`
      : `目标表 ${s(a.targets)} 中没有名为 “${s(a.name)}” 的指标`) +
    (a.suggestions
      ? `；最接近的指标：${s(a.suggestions)}。请改为目标表中的名称`
      : '；请改为目标表中的三级指标名称，或删去这一条'),
  SELF_EVAL_DUPLICATE_RESULT: (a) =>
    `指标 “${s(a.name)}” 已在第 ${s(a.firstLine)} 行有结果；每个指标只写一条（同名指标按先后顺序对应），请删去多余的一条`,
  SELF_EVAL_MISSING_RESULT: (a) =>
    `目标表 ${s(a.targets)} 的第 ${s(a.position)} 个指标 “${s(a.name)}” 没有结果；` +
    `请在 results 中加上 “- name: ${s(a.name)}” 和 actual（jxmb self-eval init 可生成完整的骨架）`,
  SELF_EVAL_EMPTY: (a) => `${s(a.field)} 还没有填写；请填上实际的值`,
  SELF_EVAL_ACTUAL_NOT_NUMBER: (a) =>
    `指标 “${s(a.name)}” 按规则计分需要数字，actual 却是 “${s(a.actual)}”；` +
    (a.number !== undefined
      ? `请只写数字 ${s(a.number)}（单位 ${s(a.unit) || '同目标表'} 不写）`
      : `请写实际完成的数字（单位 ${s(a.unit) || '同目标表'} 不写）；无法用数字表示时用 score 手工给分并写明 reason`),
  SELF_EVAL_ACTUAL_NOT_DATE: (a) =>
    `指标 “${s(a.name)}” 是完成时限（${s(a.target)}），actual 应写完成日期 YYYY-MM-DD（例如 2026-12-20），` +
    `却是 “${s(a.actual)}”；请改为完成的日期`,
  SELF_EVAL_UNKNOWN_GRADE: (a) =>
    `“${s(a.actual)}” 不是指标 “${s(a.name)}” 评分规则中的档次；只能写 ${s(a.labels)} 之一`,
  SELF_EVAL_SCORE_REQUIRED: (a) =>
    `指标 “${s(a.name)}” ` +
    (a.why === 'text'
      ? '的评分规则是文字，无法自动计分'
      : a.why === 'no-deadline'
        ? '的完成时限中没有可读的日期（如 2026年12月31日前），无法自动计分'
        : '的指标值不是数字，无法按比例计分') +
    `；请用 score 手工给分（0 到 ${s(a.points)} 分）并在 reason 中说明依据`,
  SELF_EVAL_SCORE_OVER_POINTS: (a) =>
    `手工得分 ${s(a.score)} 超过该指标的分值 ${s(a.points)}；得分不能高于分值，请改正`,
  SELF_EVAL_REASON_MISSING: (a) =>
    `指标 “${s(a.name)}” 得 ${s(a.score)} 分，低于分值 ${s(a.points)} 分；请在 reason 中写明偏差原因和改进措施`,
  SELF_EVAL_MANUAL_REASON: (a) => `指标 “${s(a.name)}” 手工给分，须在 reason 中说明给分的依据`,
  SELF_EVAL_OVERSPENT: (a) =>
    `全年执行数 ${s(a.spent)} 万元超过全年预算数 ${s(a.adjusted)} 万元；请核对，超支的原因写在存在问题中`,
};

const en: Record<DiagnosticCode, Msg> = {
  FILE_NOT_FOUND: (a) => `file not found: ${s(a.path)}`,
  FILE_NOT_UTF8: (a) =>
    `the file is not UTF-8 (${a.line ? `line ${s(a.line)}, ` : ''}byte ${s(a.byte)} cannot be decoded); ` +
    'save it as UTF-8 in your editor ' +
    '(GBK/GB2312 files often cause this)',
  FILE_TOO_LARGE: (a) =>
    `the file is ${s(a.size)}, over the limit of ${s(a.limit)}; a target table is never this large: ` +
    'check for pasted content',
  FILE_EMPTY: () =>
    'the file is empty (or only comments); fill it in as schema/department-targets.schema.json ' +
    'describes, or copy an existing file from data/',
  FILE_IS_DIRECTORY: (a) =>
    `${s(a.path)} is a directory, not a file; a data file must be a regular .yaml file: rename or move the directory`,
  FILE_NOT_REGULAR: (a) =>
    `${s(a.path)} is not a regular file (it is a ${s(a.kind)}) and was not read; ` +
    'a data file must be a regular .yaml file: remove it',
  FILE_OUTSIDE_PROJECT: (a) =>
    `${s(a.path)} is a link to outside the project (${s(a.target)}) and was not read; ` +
    'put the file itself in the repository',
  FILE_UNREADABLE: (a) =>
    `cannot read ${s(a.path)} (${s(a.reason)}); ` +
    (a.reason === 'ELOOP'
      ? 'it is a loop of symbolic links: point it at a real file'
      : a.reason === 'EACCES' || a.reason === 'EPERM'
        ? "check the file's permissions"
        : 'check the file'),
  YAML_SYNTAX: (a) => `YAML syntax error: ${yamlHint(a, 'en')}`,
  YAML_TAB_INDENT: (a) =>
    a.want === undefined
      ? 'YAML does not allow tabs for indentation; use spaces (usually two per level)'
      : `line ${s(a.line)} is indented with a tab, which YAML does not allow; ${blanksEn(a)}${alignEn(a)}`,
  YAML_INDENT: (a) =>
    a.joined
      ? `the list item on line ${s(a.line)} is indented ${spaces(a.diff)} more than the other "-" of its list ` +
        `(line ${s(a.sibling)}), so it was read as the continuation of the item above (two items became one); ` +
        `remove the extra ${spaces(a.diff)}`
      : `line ${s(a.line)} is indented ${spaces(a.diff)} ${a.more ? 'more' : 'less'} than the other ` +
        `${a.what === 'item' ? 'list items ("-")' : 'keys'} of its level${siblingEn(a)}; ` +
        `${a.more ? 'remove' : 'add'} ${spaces(a.diff)} at the start of the line`,
  YAML_UNCLOSED: (a) =>
    a.open === '"' || a.open === "'"
      ? `the quote ${s(a.open)} opened here is never closed, so what follows was read as quoted text; ` +
        `add ${s(a.close)} at the end of the value on this line (or remove the opening ${s(a.open)})`
      : `this "${s(a.open)}" has no matching "${s(a.close)}"; add "${s(a.close)}" at the end of this line`,
  YAML_DUPLICATE_KEY: (a) =>
    `key "${s(a.key)}" appears twice at this level (first on line ${s(a.firstLine)}); delete or merge one`,
  YAML_ALIAS: () => 'this format uses no YAML anchors (&) or aliases (*); write the content out',
  YAML_TAG: (a) => `YAML tag "${s(a.tag)}" is not supported; remove it and write the plain value (quote it for text)`,
  YAML_DIRECTIVE: (a) =>
    `directive "${s(a.directive)}" is not supported; this format is YAML 1.2: delete the line (and the --- after it)`,
  YAML_MULTI_DOC: () => 'one file holds one table; remove the "---" separator and put the other table in its own file',
  UNQUOTED_COMPARATOR: (a) =>
    `indicator type "${s(a.text)}" is not quoted: in YAML ">" starts a folded block, so ${s(a.text)} ` +
    `was read as empty text; write type: "${s(a.text)}" (quoted) or simply ${s(a.symbol)}`,
  FULLWIDTH_INDENT: (a) =>
    a.want === undefined
      ? 'the line starts with a full-width space (U+3000); YAML indents with ASCII spaces only: replace it'
      : `line ${s(a.line)} starts with a full-width space (U+3000); YAML indents with ASCII spaces only: ` +
        `${blanksEn(a)}${alignEn(a)}`,
  FULLWIDTH_COLON: (a) =>
    `key "${s(a.key)}" is followed by a full-width colon "："; YAML separates key and value with an ` +
    `ASCII colon and a space: write "${s(a.key)}: "`,
  CONTROL_CHARACTER: (a) =>
    a.cp === 'U+000D'
      ? `a lone carriage return U+000D CARRIAGE RETURN${a.escape ? ` (escape "${s(a.escape)}")` : ''}` +
        ': it is not a line break and overprints the text before it; ' +
        'delete it, or use LF (or CRLF) line ends throughout'
      : `control character ${s(a.cp)} ${s(a.name)}${a.escape ? ` (escape "${s(a.escape)}")` : ''}` +
        ': it is invisible, prints differently from the file and can drive a terminal; delete it' +
        (a.cp === 'U+2028' || a.cp === 'U+2029' ? ' (for line breaks use a YAML | block)' : ''),
  BIDI_CONTROL: (a) =>
    `bidirectional control ${s(a.cp)} ${s(a.name)}${a.escape ? ` (escape "${s(a.escape)}")` : ''}` +
    ': it displays the text in another order than the file holds it, so the print differs from the YAML; delete it',
  INVISIBLE_CHARACTER: (a) =>
    `invisible character ${s(a.cp)} ${s(a.name)}${a.escape ? ` (escape "${s(a.escape)}")` : ''}` +
    ': it does not print but makes equal-looking texts differ ' +
    '(common in text copied from web pages, Word or PDF); delete it',
  GLYPH_MISSING: (a) =>
    `no bundled font has the character "${s(a.char)}" (${s(a.cp)}): it would print as an empty box; ` +
    (a.kind === 'emoji'
      ? 'the form cannot print emoji: delete it or write it out in words'
      : 'use a common character instead, or describe it in words (its pinyin, or its parts)'),
  UNKNOWN_KEY: (a) =>
    `unknown key "${s(a.key)}"` +
    (a.suggestion ? `; did you mean "${s(a.suggestion)}"?` : `; allowed keys: ${s(a.allowed)}`),
  MISSING_KEY: (a) => `missing required key "${s(a.key)}" (${s(a.title)}); add it ${s(a.whereEn) || 'here'}`,
  WRONG_TYPE: (a) =>
    `${s(a.field)} must be ${s(a.expected)}, not ${s(a.actual)}` +
    (a.expected === 'string' && a.actual === 'number' ? `; quote it: "${s(a.text)}"` : ''),
  INVALID_ENUM: (a) => `${s(a.field)} cannot be "${s(a.value)}"; allowed: ${s(a.allowed)}${hint(false, a)}`,
  LEVEL2_MISMATCH: (a) =>
    `二级指标 "${s(a.value)}" does not belong to 一级指标 "${s(a.level1)}"; allowed under it: ${s(a.allowed)}`,
  QUANTITATIVE_VALUE: (a) =>
    `a quantitative indicator (${s(a.type)}) takes a number as its value, not "${s(a.value)}"` +
    (a.number
      ? `; write value: ${s(a.number)}${a.unit ? ` and put "${s(a.unit)}" in unit` : ''}`
      : '; if the target is text, set type to 定性'),
  QUALITATIVE_VALUE: (a) =>
    `a qualitative (定性) indicator takes text as its value (e.g. 效果明显), not ${s(a.value)}; for a numeric ` +
    'target set type to one of ≥ > = ≤ <',
  QUALITATIVE_UNIT: (a) =>
    `a qualitative (定性) indicator has no unit (here "${s(a.value)}"); delete unit or make the type quantitative`,
  SCORING_FIELD: (a) =>
    `scoring kind ${s(a.kind)} does not use "${s(a.key)}"; delete it` +
    (a.allowed ? ` (${s(a.kind)} uses: ${s(a.allowed)})` : ''),
  INVALID_CODE: (a) =>
    `${s(a.field)} "${s(a.value)}" may contain only lowercase letters, digits and hyphens ` +
    `(e.g. zhijiang-swkjgxj)${hint(false, a)}`,
  DATE_INVALID: (a) => `date "${s(a.value)}" does not exist or is malformed; write YYYY-MM-DD, e.g. 2025-12-08`,
  OUT_OF_RANGE: (a) =>
    `${s(a.field)} value ${s(a.value)} is out of range (${s(a.limit)})` +
    (a.suggestion ? `; it is a fraction: write ${s(a.value)}% as ${s(a.suggestion)}` : ''),
  EMPTY_VALUE: (a) => `${s(a.field)} must not be empty`,
  TOO_LONG: (a) =>
    `${s(a.field)} is too long (${s(a.length)} characters, limit ${s(a.limit)}); keep the name short ` +
    'and put details in explanation',
  SCHEMA: (a) => `${s(a.field)}: ${s(a.detail)}`,
  POINTS_TOTAL: (a) =>
    `indicator points add up to ${s(a.sum)}, expected ${s(a.total)} ` +
    `(points_total in jxmb.settings.yaml); off by ${s(a.diff)}` +
    (a.subtotalsEn ? `. Subtotals per 一级指标: ${s(a.subtotalsEn)}` : ''),
  REQUIRED_LEVEL1: (a) => `一级指标 "${s(a.level1)}" is missing; this bureau requires: ${s(a.required)}`,
  DUPLICATE_INDICATOR: (a) =>
    `三级指标 "${s(a.name)}" appears twice in ${s(a.group)} (first on line ${s(a.firstLine)}` +
    (a.firstName
      ? ` as "${s(a.firstName)}": they differ only in invisible characters, spaces or full/half width`
      : '') +
    '); merge them or give distinct names',
  GROUP_SPLIT: (a) =>
    `the rows of ${s(a.group)} are separated by other rows (previous run on line ${s(a.firstLine)}); ` +
    'rows of one 一级/二级 group must be neighbours to merge: move them together',
  YEAR_IN_TEXT: (a) =>
    `the text says "${s(a.year)}年" but this is the ${s(a.fiscalYear)} table; copied from an older table?`,
  DEADLINE_AFTER_YEAR: (a) =>
    `deadline "${s(a.text)}" lies after fiscal year ${s(a.fiscalYear)}; an annual target is due ` +
    `by ${s(a.fiscalYear)}年12月31日`,
  DEADLINE_BEFORE_YEAR: (a) =>
    `the deadline "${s(a.text)}" is before fiscal year ${s(a.fiscalYear)}; it looks like last year's table: ` +
    `set a deadline within ${s(a.fiscalYear)}`,
  SIGNOFF_DATE_OUTSIDE: (a) =>
    `the ${signoffEn[s(a.field)] ?? s(a.field)} date ${s(a.date)} is outside the filing season of fiscal year ` +
    `${s(a.fiscalYear)} (${s(a.from)} to ${s(a.to)}); were an older table's dates left in? ` +
    '(the season is filing_window in jxmb.settings.yaml)',
  TABLE_UNCHANGED: (a) =>
    `this table is identical to last year's ${s(a.previous)} apart from the year; ` +
    'was it copied forward without updating its targets, texts and dates?',
  YEAR_FOLDER_MISMATCH: (a) =>
    `fiscal_year is ${s(a.year)} but the file is in folder ${s(a.folder)}/; fix the year or move the ` +
    `file to data/${s(a.year)}/`,
  CODE_FILENAME_MISMATCH: (a) =>
    `department.code is "${s(a.code)}" but the file is named "${s(a.file)}"; the file must be ${s(a.code)}.yaml`,
  DUPLICATE_CODE: (a) =>
    `department code "${s(a.code)}" is already used in ${s(a.year)} by ${s(a.other)}; one table per ` +
    'department per year',
  PERCENT_OVER_100: (a) => `value ${s(a.value)}% is over 100%; rates such as satisfaction never exceed 100%: check it`,
  SCORING_TEXT_MISMATCH: (a) =>
    `"${s(a.found)}" in the scoring sentence disagrees with the structured fields (${s(a.field)} ` +
    `is ${s(a.expected)}); make them agree`,
  SCORING_TOP_POINTS: (a) => `the top grade gives ${s(a.top)} points but points is ${s(a.points)}; they must be equal`,
  PHONE_FORMAT: (a) =>
    `phone number "${s(a.value)}" is malformed; a mobile number has 11 digits (13789290210), a landline ` +
    'has its area code (0745-6822345)',
  SCHEMA_COMMENT: (a) => `the first line should be "${s(a.line)}" so editors complete and explain keys; add it`,
  NUMBERED_ITEM: (a) =>
    `"${s(a.prefix)}" at the start is a hand-written number: this item is printed numbered "${s(a.auto)}", ` +
    `so it would be numbered twice; delete it (an item holding several numbered parts: make each its own item)`,
  XLSX_ROW_TOO_TALL: (a) =>
    `${s(a.field)} needs a row about ${s(a.need)} pt tall in Excel, over Excel's limit of ${s(a.limit)} pt: ` +
    'the .xlsx row shows only its start (the cell still holds the whole text; PDF and HTML print it all); ' +
    'shorten or split the text to see it whole in Excel',
  SETTINGS_INVALID: (a) => `settings file: ${s(a.detail)}`,
  IMPORT_EMPTY: () => 'the file is empty; import an .xlsx or tab-separated text exported from the official spreadsheet',
  IMPORT_UNREADABLE: (a) =>
    unreadableEn(a) ??
    (a.detail === 'binary'
      ? 'this is no table file jxmb can import (binary content, not .xlsx .xls .ods .docx .doc .odt, a web page ' +
        'or text); check the file, or open it in Excel/WPS and save it as "Excel Workbook (.xlsx)"'
      : a.detail === 'encoding'
        ? 'the text encoding is not recognised (neither UTF-8, UTF-16 nor GBK/GB18030); ' +
          'save it as .xlsx or UTF-8 text'
        : a.detail === 'pptx' || a.detail === 'zip'
          ? a.detail === 'pptx'
            ? 'this is a PowerPoint presentation (.pptx), which holds no table to import; ' +
              'copy the table into Excel/WPS and save it as .xlsx'
            : 'this is a plain zip archive; unzip it and import the tables inside (the folder can be imported)'
          : a.detail === 'pdf' || a.detail === 'rtf'
            ? a.detail === 'pdf'
              ? 'this is a PDF file: a table cannot be recovered reliably from a PDF; ' +
                'import the .xlsx or .docx it was made from, or text exported from it'
              : 'this is an RTF document; open it in Word/WPS and save it as "Word Document (.docx)"'
            : a.detail === 'corrupt'
              ? `the workbook is damaged and cannot be read${a.entry ? `: part "${s(a.entry)}": ` : ': '}` +
                `${s(a.reason)}; open it in Excel/WPS and save it again as .xlsx`
              : `the workbook cannot be read (the file may be damaged): ${s(a.detail)}; ` +
                'open it in Excel/WPS and save it again as .xlsx'),
  IMPORT_ENCODING: (a) => `the file is not UTF-8; it was decoded as ${s(a.encoding)}: check the imported text`,
  IMPORT_NO_TITLE: (a) =>
    `no title "部门（单位）整体绩效目标表" found${a.sheets ? ` (sheets looked at: ${s(a.sheets)})` : ''}; this does ` +
    'not look like a department performance target table',
  IMPORT_NO_YEAR: () =>
    'no year line such as "（2025）年度" under the title, so the fiscal year is unknown; give it with --year 2025',
  IMPORT_NO_CODE: (a) =>
    `the department code of ${a.name ? `"${s(a.name)}"` : '(no department name in the table)'} cannot be ` +
    'derived (no character of the name has a pinyin reading, no table of that department is under data/, ' +
    'and the file name is not a code); give it with --code, e.g. ' +
    `--code ${s(a.example) || 'zhijiang-swkjgxj'} (lowercase letters, digits, hyphens)`,
  IMPORT_YEAR_MISMATCH: (a) =>
    `the title says （${s(a.title)}）年度 but --year is ${s(a.year)}; imported as ${s(a.year)}`,
  IMPORT_MULTIPLE_FORMS: (a) =>
    `the workbook holds several target tables (${s(a.sheets)}); only sheet "${s(a.chosen)}" was ` +
    'imported: save the others as separate files',
  IMPORT_MISSING: (a) => `"${s(a.what)}" not found; left empty: fill it in in the generated YAML`,
  IMPORT_NO_HEADER: () =>
    'no indicator header row (一级指标, 二级指标 … 备注); the columns were inferred from each row’s 指标类型 cell: check the result',
  IMPORT_UNPLACED: (a) =>
    `"${s(a.text)}" has no place in the form; ` +
    (a.keptIn === '备注'
      ? "it was added to the indicator's note"
      : 'it was kept as a comment at the top of the generated YAML') +
    ': move it where it belongs or delete it',
  IMPORT_POINTS_INFERRED: (a) =>
    `the scoring sentence states no points; ${s(a.points)} inferred as the total ${s(a.total)} minus ` +
    'the other indicators: check it',
  IMPORT_NO_POINTS: () =>
    'the scoring sentence states no points ("得N分") and they cannot be inferred from the total; 0 was ' +
    'written: fill in points in the generated YAML',
  IMPORT_FILE_EXISTS: (a) => `${s(a.path)} already exists; add --force to overwrite it, or write elsewhere with --out`,
  IMPORT_TOO_LARGE: (a) => {
    const other = tooLargeEn(a);
    if (other) return other;
    const fix =
      'a target table unzips to under 1 MB and a few thousand cells: ' +
      'keep only the table in Excel/WPS, save it as a new .xlsx and import that';
    const size = a.declared
      ? `the zip directory declares ${s(a.size)}; nothing was unzipped`
      : `unzipping stopped at ${s(a.size)}`;
    if (a.what === 'entry')
      return (
        `part "${s(a.entry)}" of the workbook unzips to more than the per-part limit of ${s(a.limit)} (${size}) ` +
        `and was not read; the file may be a zip bomb or carry a large attachment. ${fix}`
      );
    if (a.what === 'total')
      return (
        `the workbook unzips to more than the limit of ${s(a.limit)} in total ` +
        `(up to part "${s(a.entry)}": ${size}) and was not read; ${fix}`
      );
    if (a.what === 'entries')
      return `the workbook has ${s(a.size)} parts, over the limit of ${s(a.limit)}, and was not read; ${fix}`;
    if (a.what === 'text-cells')
      return (
        `the text holds ${s(a.size)} non-empty cells, over the limit of ${s(a.limit)}, ` +
        'and was not imported; export just this table'
      );
    const what =
      a.what === 'cells'
        ? 'cells with content'
        : a.what === 'elements'
          ? 'cells (formatted empty ones included)'
          : 'cells (blanks within rows included)';
    return (
      `sheet "${s(a.entry)}" has ${s(a.size)} ${what}, over the limit of ${s(a.limit)}, and was not read; ` +
      `${fix} (or delete the rows and columns outside the table)`
    );
  },
  IMPORT_FORMULA: (a) =>
    `this cell holds the formula =${s(a.formula)} but the file does not store its result, so it was read as blank; ` +
    'open and save the file in Excel/WPS (so the formula is calculated) and import again, ' +
    'or replace the formula by its value',
  // import: a whole bureau at once (jxmb import DIR|FILES…)
  IMPORT_CODE_COLLISION: (a) =>
    `the code ${s(a.wanted)} derived from the name already belongs to "${s(a.other)}" (${s(a.where)}); ` +
    `this table gets ${s(a.code)}: to choose another, write "${s(a.name)}: code" under import.codes in ` +
    'jxmb.settings.yaml or in a --codes file',
  IMPORT_NAME_NO_CODE: (a) =>
    (a.name
      ? `the department name "${s(a.name)}" has no character with a pinyin reading`
      : 'the table has no department name') +
    ', so no code can be derived and nothing was written; fill in 部门（单位）名称 in the table, or write ' +
    '"name: code" under import.codes in jxmb.settings.yaml or in a --codes file',
  IMPORT_DUPLICATE_FORM: (a) =>
    `the same department and year as the table in ${s(a.other)}: both would be written to ${s(a.path)}; ` +
    'this one was not written: delete the duplicate file, or check both tables’ department name and year',
  IMPORT_SEVERAL_FORMS: (a) =>
    `the file holds ${s(a.count)} target tables, but ${s(a.option)} is for one table; nothing was written: ` +
    `drop ${s(a.option)} (each table's code is derived from its department name, or set in import.codes or a ` +
    '--codes file; --out may name a folder)',
  IMPORT_WRITE_FAILED: (a) => `${s(a.detail)}`,
  // import: containers (Word, web pages, old formats through LibreOffice)
  IMPORT_NO_TABLE: (a) =>
    a.container === 'html'
      ? 'the web page holds no table (<table>); the target table must be a table on the page: check that the ' +
        'page saved is the one with the table, or open it in Excel/WPS and save it as .xlsx'
      : 'the Word document holds no table; the target table must be a Word table (Insert → Table), not text ' +
        'laid out with spaces or tabs: check the file, or copy the table into Excel/WPS and save it as .xlsx',
  IMPORT_CONVERT_FAILED: (a) => {
    const [what, app, ext] = convertedFrom(a.from, 'en');
    const why =
      a.reason === 'timeout'
        ? 'the conversion took too long and was stopped'
        : 'the file may be damaged, password-protected, or not the format it seems';
    return (
      `LibreOffice could not convert this ${what} file (${why}${a.detail ? `: ${s(a.detail)}` : ''}); ` +
      `open it in ${app}, save it as ${ext} and import that`
    );
  },
  // import: layouts by meaning
  IMPORT_UNKNOWN_COLUMN: (a) =>
    `the heading "${s(a.header)}" is not a column of the form; its cells were added to each indicator's note. ` +
    'If it is another wording of a column (分值, 指标解释…), add it under import.synonyms in jxmb.settings.yaml ' +
    'and import again',
  IMPORT_COMPARATOR_GUESSED: (a) =>
    a.guessed === '定性'
      ? `the type says 定量 but the value "${s(a.value)}" is not a number; imported as 定性 (qualitative). ` +
        'If it is quantitative, write the value as a number (e.g. ≥95 or 95%) with its unit in 计量单位'
      : `the value "${s(a.value)}" has no comparator; ${s(a.guessed)} was assumed ` +
        (a.why === 'cost' ? `(${s(a.level)} is a cost, kept under a ceiling)` : `(usual for ${s(a.level)})`) +
        ': if wrong, write one of ≥ > = ≤ < before the value, or change type in the generated YAML',
  IMPORT_COMPARATOR_CONFLICT: (a) =>
    `the comparator in the value "${s(a.inValue)}" disagrees with the type "${s(a.inColumn)}"; the type was ` +
    'used and the value as written kept in the note: correct one of them',
  IMPORT_UNIT_CONFLICT: (a) =>
    `the unit in the value ("${s(a.inValue)}") disagrees with the unit column ("${s(a.inColumn)}"); the unit ` +
    "column's was used and the value as written kept in the note: correct one of them",
  IMPORT_POINTS_CONFLICT: (a) =>
    `the 分值 column gives ${s(a.column)} points but the scoring sentence says ${s(a.sentence)}; the column's ` +
    'were used and the sentence kept as written: make them agree',
  IMPORT_CONTINUATION: (a) =>
    `this row holds only ${s(a.field)}: read as the continuation of that field of the indicator above ` +
    `("${s(a.name)}", a merged cell or a page break) and appended to it: check it`,
  IMPORT_TOTAL_MISMATCH: (a) =>
    `the total row states ${s(a.stated)} points but the indicators' points add up to ${s(a.sum)}: check the ` +
    'points (the total row is kept as a comment)',
  IMPORT_NAME_FROM_FILER: (a) =>
    `the form has no 部门（单位）名称 row; the department's name was taken from 填报单位: ${s(a.name)}. Check it`,
  IMPORT_PRIVATE_USE: (a) =>
    `"${s(a.text)}" holds the private-use character ${s(a.codePoint)}: no standard character, it shows as a ` +
    'blank or another character on other computers or fonts; replace it in the YAML with the standard character',
  SELF_EVAL_NO_TARGETS: (a) =>
    `there is no targets file ${s(a.targets)} for this self-evaluation to evaluate; a self-evaluation sits beside ` +
    'its targets file, named <code>.self-eval.yaml: check the file name and department, or add the targets file first',
  SELF_EVAL_TARGETS_INVALID: (a) =>
    `the targets file ${s(a.targets)} this self-evaluation evaluates has errors, so it cannot be checked or ` +
    `scored against it; fix the targets first (jxmb validate ${s(a.targets)})`,
  SELF_EVAL_DEPARTMENT_MISMATCH: (a) =>
    `department says "${s(a.department)}" but the file ${s(a.file)} is the self-evaluation of "${s(a.code)}"; ` +
    `set department to ${s(a.code)}, or rename the file to ${s(a.department)}.self-eval.yaml`,
  SELF_EVAL_YEAR_MISMATCH: (a) =>
    `fiscal_year is ${s(a.year)} but the targets file ${s(a.targets)} is for ${s(a.targetsYear)}; ` +
    `write ${s(a.targetsYear)}, or move the file to its year's folder`,
  SELF_EVAL_GOALS_COUNT: (a) =>
    `goals has ${s(a.count)} entries but ${s(a.targets)} has ${s(a.expected)} goals; write one result per goal, ` +
    'in the same order',
  SELF_EVAL_UNKNOWN_INDICATOR: (a) =>
    `${s(a.targets)} has no indicator ${a.byId === 'id' ? 'with id' : 'named'} "${s(a.name)}"` +
    (a.suggestions
      ? `; the closest: ${s(a.suggestionsEn)}. Use the name as in the targets file`
      : '; use a 三级指标 name from the targets file, or remove this entry'),
  SELF_EVAL_DUPLICATE_RESULT: (a) =>
    `indicator "${s(a.name)}" already has a result on line ${s(a.firstLine)}; one result per indicator (equal names ` +
    'are matched in order): remove the extra one',
  SELF_EVAL_MISSING_RESULT: (a) =>
    `indicator ${s(a.position)} of ${s(a.targets)}, "${s(a.name)}", has no result; add "- name: ${s(a.name)}" with ` +
    'its actual under results (jxmb self-eval init writes a complete skeleton)',
  SELF_EVAL_EMPTY: (a) => `${s(a.field)} is not filled in yet; write the actual value`,
  SELF_EVAL_ACTUAL_NOT_NUMBER: (a) =>
    `indicator "${s(a.name)}" is scored from a number but actual is "${s(a.actual)}"; ` +
    (a.number !== undefined
      ? `write just the number ${s(a.number)} (no unit)`
      : 'write the number achieved (no unit), or give a score by hand with a reason'),
  SELF_EVAL_ACTUAL_NOT_DATE: (a) =>
    `indicator "${s(a.name)}" is a deadline (${s(a.target)}): actual is the date it was done, YYYY-MM-DD ` +
    `(e.g. 2026-12-20), not "${s(a.actual)}"`,
  SELF_EVAL_UNKNOWN_GRADE: (a) =>
    `"${s(a.actual)}" is not one of the grades of indicator "${s(a.name)}"; write one of ${s(a.labelsEn)}`,
  SELF_EVAL_SCORE_REQUIRED: (a) =>
    `indicator "${s(a.name)}" ` +
    (a.why === 'text'
      ? 'has a rule in words, which cannot be computed'
      : a.why === 'no-deadline'
        ? 'has a deadline with no readable date (like 2026年12月31日前)'
        : 'has a target that is not a number, so no ratio can be computed') +
    `; give a score by hand (0 to ${s(a.points)}) and say why in reason`,
  SELF_EVAL_SCORE_OVER_POINTS: (a) =>
    `the score ${s(a.score)} given by hand is above the indicator's ${s(a.points)} points; a score cannot exceed them`,
  SELF_EVAL_REASON_MISSING: (a) =>
    `indicator "${s(a.name)}" scores ${s(a.score)} of ${s(a.points)} points; explain the shortfall and the remedy ` +
    'in reason',
  SELF_EVAL_MANUAL_REASON: (a) => `indicator "${s(a.name)}" is scored by hand: say why in reason`,
  SELF_EVAL_OVERSPENT: (a) =>
    `spent (${s(a.spent)} 万元) is over the adjusted budget (${s(a.adjusted)} 万元); check it, and explain the ` +
    'overspend under problems',
};

/** The message for a diagnostic in the chosen language. */
export function messageFor(code: DiagnosticCode, args: DiagnosticArgs, lang: Lang): string {
  // A field is named in each language (`第 2 个指标“…”` / `indicator 2 (“…”)`).
  if (lang === 'en') return en[code](args.fieldEn === undefined ? args : { ...args, field: args.fieldEn });
  return zh[code](args);
}

// import: containers. The containers' own cases of IMPORT_UNREADABLE and IMPORT_TOO_LARGE (undefined: the
// workbook's and text's messages above apply).

/** `excel`, `word`, or neither (the file name did not tell). */
const app = (a: DiagnosticArgs): 'excel' | 'word' | undefined =>
  a.app === 'word' ? 'word' : a.app === 'excel' ? 'excel' : undefined;

/** What LibreOffice was converting, the program a person would open it in, and the format to save as. */
function convertedFrom(from: unknown, lang: 'zh' | 'en'): [string, string, string] {
  const word = from === 'doc' || from === 'odt';
  const what =
    from === 'doc'
      ? ['旧版 Word (.doc) ', 'old Word (.doc)']
      : from === 'odt'
        ? [' OpenDocument 文本 (.odt) ', 'OpenDocument text (.odt)']
        : from === 'ods'
          ? [' OpenDocument 表格 (.ods) ', 'OpenDocument spreadsheet (.ods)']
          : ['旧版 Excel (.xls) ', 'old Excel (.xls)'];
  return [what[lang === 'zh' ? 0 : 1]!, word ? 'Word/WPS' : 'Excel/WPS', word ? '.docx' : '.xlsx'];
}

function unreadableZh(a: DiagnosticArgs): string | undefined {
  if (a.detail === 'xls')
    return (
      '这是旧版 Excel (.xls) 文件（或 WPS 的 .et）：请安装 LibreOffice（jxmb doctor 会检查）后再导入，' +
      '或在 Excel/WPS 中“另存为 → Excel 工作簿 (.xlsx)”'
    );
  if (a.detail === 'doc')
    return (
      '这是旧版 Word (.doc) 文件：请安装 LibreOffice（jxmb doctor 会检查）后再导入，' +
      '或在 Word/WPS 中“另存为 → Word 文档 (.docx)”'
    );
  if (a.detail === 'ods' || a.detail === 'odt')
    return (
      `这是 OpenDocument ${a.detail === 'ods' ? '表格 (.ods)' : '文本 (.odt)'} 文件：请安装 LibreOffice（jxmb doctor 会` +
      `检查）后再导入，或另存为 ${a.detail === 'ods' ? 'Excel 工作簿 (.xlsx)' : 'Word 文档 (.docx)'}`
    );
  if (a.detail === 'encrypted') {
    const who = app(a);
    if (who === 'word')
      return (
        'Word 文档设有打开密码（已加密），无法读取；请在 Word/WPS 中打开，' +
        '去掉密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空密码）后另存为 .docx 再导入'
      );
    return (
      `${who === 'excel' ? '工作簿' : '文件'}设有打开密码（已加密），无法读取；请在 Excel/WPS${who ? ' ' : '（或 Word）'}中打开，` +
      '去掉密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）' +
      `后另存为 .xlsx${who ? ' ' : '（或 .docx）'}再导入`
    );
  }
  if (a.detail === 'corrupt' && a.container === 'docx')
    return (
      `Word 文档已损坏，无法读取${a.entry ? `：其中的 “${s(a.entry)}” ` : '：'}${s(a.reasonZh)}；` +
      '请在 Word/WPS 中打开并重新保存为 .docx（打不开则需找回原文件）'
    );
  return undefined;
}

function unreadableEn(a: DiagnosticArgs): string | undefined {
  if (a.detail === 'xls')
    return (
      'this is an old Excel (.xls) file (or a WPS .et): install LibreOffice (jxmb doctor checks it) and import ' +
      'again, or save it as "Excel Workbook (.xlsx)" in Excel/WPS'
    );
  if (a.detail === 'doc')
    return (
      'this is an old Word (.doc) file: install LibreOffice (jxmb doctor checks it) and import again, ' +
      'or save it as "Word Document (.docx)" in Word/WPS'
    );
  if (a.detail === 'ods' || a.detail === 'odt')
    return (
      `this is an OpenDocument ${a.detail === 'ods' ? 'spreadsheet (.ods)' : 'text (.odt)'}: install LibreOffice ` +
      `(jxmb doctor checks it) and import again, or save it as ${a.detail === 'ods' ? '.xlsx' : '.docx'}`
    );
  if (a.detail === 'encrypted') {
    const who = app(a);
    if (who === 'word')
      return (
        'the Word document is password-protected (encrypted) and cannot be read; ' +
        'remove the password in Word/WPS, save it as .docx and import that'
      );
    return (
      `the ${who === 'excel' ? 'workbook' : 'file'} is password-protected (encrypted) and cannot be read; ` +
      `remove the password in Excel/WPS${who ? '' : ' (or Word)'}, ` +
      `save it as .xlsx${who ? '' : ' (or .docx)'} and import that`
    );
  }
  if (a.detail === 'corrupt' && a.container === 'docx')
    return (
      `the Word document is damaged and cannot be read${a.entry ? `: part "${s(a.entry)}": ` : ': '}` +
      `${s(a.reason)}; open it in Word/WPS and save it again as .docx`
    );
  return undefined;
}

function tooLargeZh(a: DiagnosticArgs): string | undefined {
  const fixDoc =
    '一张绩效目标表的 Word 文档正文只有几百 KB；请在 Word/WPS 中只保留这张表，另存为新的 .docx，或把表格复制到 Excel 另存为 .xlsx 后再导入';
  const size = a.declared ? `zip 目录声明为 ${s(a.size)}，未解压` : `解压到 ${s(a.size)} 时即停止`;
  if (a.what === 'html-elements')
    return (
      `网页中的元素超过 ${s(a.limit)} 个，没有读取（读入这么大的网页会占用数 GB 内存）；` +
      '一张绩效目标表的网页远小于此。请只保存含这张表的页面，或在 Excel/WPS 中打开它另存为 .xlsx 后再导入'
    );
  if (a.what === 'document')
    return (
      `Word 文档的正文（到 “${s(a.entry)}” 为止）超过上限 ${s(a.limit)}（${size}），没有读取` +
      `（转换这么大的文档会占用数 GB 内存）；${fixDoc}`
    );
  if (a.container === 'docx' && (a.what === 'entry' || a.what === 'total' || a.what === 'entries')) {
    const what =
      a.what === 'entry'
        ? `其中的 “${s(a.entry)}” 解压后超过每个部件的上限 ${s(a.limit)}（${size}）`
        : a.what === 'total'
          ? `解压后的总大小超过上限 ${s(a.limit)}（到 “${s(a.entry)}” 为止${size}）`
          : `由 ${s(a.size)} 个部件组成，超过上限 ${s(a.limit)} 个`;
    return `Word 文档${what}，没有读取；文件可能是恶意构造的压缩包或夹带了大文件。${fixDoc}`;
  }
  if ((a.container === 'docx' || a.container === 'html') && (a.what === 'grid' || a.what === 'cells')) {
    const where = a.container === 'docx' ? 'Word 文档' : '网页';
    const what = a.what === 'cells' ? '有内容的单元格' : '单元格（含合并单元格展开后的）';
    return (
      `${where}${a.table ? `中的表${s(a.table)}` : ''}${what}有 ${s(a.size)} 个，超过上限 ${s(a.limit)} 个，没有读取；` +
      '一张绩效目标表只有几千个单元格，请只保留这张表后再导入'
    );
  }
  return undefined;
}

function tooLargeEn(a: DiagnosticArgs): string | undefined {
  const fixDoc =
    "a target table's Word document is a few hundred KB of text: keep only the table in Word/WPS and save it " +
    'as a new .docx, or copy the table into Excel and save it as .xlsx, and import that';
  const size = a.declared
    ? `the zip directory declares ${s(a.size)}; nothing was unzipped`
    : `unzipping stopped at ${s(a.size)}`;
  if (a.what === 'html-elements')
    return (
      `the web page has more than ${s(a.limit)} elements and was not read (so large a page would take ` +
      'gigabytes of memory); save just the page with the table, or open it in Excel/WPS and save it as .xlsx'
    );
  if (a.what === 'document')
    return (
      `the Word document's text (up to part "${s(a.entry)}") is over the limit of ${s(a.limit)} (${size}) and ` +
      `was not read (converting it would take gigabytes of memory); ${fixDoc}`
    );
  if (a.container === 'docx' && (a.what === 'entry' || a.what === 'total' || a.what === 'entries')) {
    const what =
      a.what === 'entry'
        ? `part "${s(a.entry)}" unzips to more than the per-part limit of ${s(a.limit)} (${size})`
        : a.what === 'total'
          ? `unzips to more than the limit of ${s(a.limit)} in total (up to part "${s(a.entry)}": ${size})`
          : `has ${s(a.size)} parts, over the limit of ${s(a.limit)}`;
    return (
      `the Word document: ${what}, and was not read; the file may be a zip bomb or carry a large attachment. ` + fixDoc
    );
  }
  if ((a.container === 'docx' || a.container === 'html') && (a.what === 'grid' || a.what === 'cells')) {
    const where = a.container === 'docx' ? 'the Word document' : 'the web page';
    const what = a.what === 'cells' ? 'cells with content' : 'cells (merged cells counted as laid out)';
    return (
      `${where}${a.table ? ` (table ${s(a.table)})` : ''} has ${s(a.size)} ${what}, over the limit of ${s(a.limit)}, ` +
      'and was not read; a target table has a few thousand cells: keep only the table and import again'
    );
  }
  return undefined;
}
