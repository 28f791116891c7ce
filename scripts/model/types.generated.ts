// Generated from schema/*.schema.json by `npm run types` — do not edit by hand.

/** 部门（单位）整体绩效目标表: 一个部门（单位）一个预算年度的整体绩效目标表。文件位于 data/<fiscal_year>/<department.code>.yaml。 */
export interface DepartmentTargets {
  /** 预算年度: 表头“（2025）年度”中的年份；必须与所在文件夹名一致。 */
  fiscal_year: number;
  /** 部门（单位）: 部门代码和全称。 */
  department: Department;
  /** 部门（单位）职责: 每项职责一条，打印时自动编号为 1、2、……（不要自己写编号）。 */
  duties: Array<string>;
  /** 年度总体目标: 每个目标一条，打印时自动加上“目标1：”“目标2：”…… */
  goals: Array<string>;
  /** 绩效指标: 按打印顺序排列；相邻且一级/二级指标相同的行在表中合并。 */
  indicators: Array<Indicator>;
  /** 审核与签字: 表底的审核日期、填表人、联系电话、填报日期和单位负责人。 */
  signoff: Signoff;
}

/** 部门（单位）: 部门代码和全称。 */
export interface Department {
  /** 部门代码: 稳定的标识，只用小写字母、数字和连字符（例如 zhijiang-swkjgxj）；即文件名，跨年度据此对应。 */
  code: string;
  /** 部门（单位）名称: 打印在“部门（单位）名称”一行的全称。 */
  name: string;
}

/** 审核与签字: 表底的审核日期、填表人、联系电话、填报日期和单位负责人。 */
export interface Signoff {
  /** 业务股室审核: 审核日期，写作 YYYY-MM-DD（例如 2025-12-14），打印为 2025.12.14。 */
  business_review: IsoDate;
  /** 绩效股室审核: 审核日期，写作 YYYY-MM-DD，打印为 2025.12.14。 */
  performance_review: IsoDate;
  /** 填表人: 填表人姓名，打印在表底“填表人：”之后。 */
  preparer: string;
  /** 联系电话: 手机号或带区号的座机号；请加引号，例如 "13789290210"、"0745-6822345"。 */
  phone: string;
  /** 填报日期: 写作 YYYY-MM-DD，打印为 2025.12.8。 */
  filed: IsoDate;
  /** 单位负责人签字: 单位负责人姓名，打印在“单位负责人签字：”之后。 */
  head: string;
}

/** 日期: 写作 YYYY-MM-DD，例如 2025-12-08。 */
export type IsoDate = string;

/** 一级指标: 成本指标、产出指标、效益指标或满意度指标。 */
export type Level1 = "成本指标" | "产出指标" | "效益指标" | "满意度指标";

/** 二级指标: 须属于所选一级指标：成本指标→经济/社会/生态环境成本指标；产出指标→数量/质量/时效指标；效益指标→经济/社会/生态效益指标、可持续影响指标；满意度指标→服务对象满意度指标。 */
export type Level2 = "经济成本指标" | "社会成本指标" | "生态环境成本指标" | "数量指标" | "质量指标" | "时效指标" | "经济效益指标" | "社会效益指标" | "生态效益指标" | "可持续影响指标" | "服务对象满意度指标";

/** 绩效指标（一行）: 一行绩效指标：一级、二级、三级指标，指标类型、指标值、计量单位、指标解释、评分标准、备注。 */
export interface Indicator {
  /** 一级指标: 成本指标、产出指标、效益指标或满意度指标。 */
  level1: Level1;
  /** 二级指标: 必须属于所选的一级指标，例如 产出指标 下只能是 数量指标、质量指标、时效指标。 */
  level2: Level2;
  /** 三级指标: 指标名称，简洁明确、通俗易懂，如“房屋修缮面积”“验收合格率”。 */
  name: string;
  /** 指标类型: 定量：≥ > = ≤ < 之一（也可写 ">=" "<="，须加引号，会规范为 ≥ ≤）；定性：写“定性”。 */
  type: "≥" | ">" | "=" | "≤" | "<" | "定性" | ">=" | "<=";
  /** 指标值: 定量指标只能填数字（单位写在 unit）；定性指标填文字，如“效果明显”。 */
  value: number | string;
  /** 计量单位: 数字后的字符，如 个、家、%、万元。定量指标可填，定性指标不填。 */
  unit?: string;
  /** 指标解释: 该指标衡量的具体内容、计算方法和数据口径。 */
  explanation: string;
  /** 评（扣）分标准: 评分规则：kind 选择规则类型，points 为分值。 */
  scoring: Scoring;
  /** 备注: 可选，打印在“备注”列。 */
  note?: string;
  /** 指标标识: 可选。指标改名时保持跨年度对应的稳定标识，只用小写字母、数字和连字符。 */
  id?: string;
}

/** 评（扣）分标准: 评分规则：kind 选择规则类型，points 为分值；text 可写手工句子（其中数字须与结构化字段一致）。 */
export interface Scoring {
  /** 规则类型: 评分规则的类型（ratio、deadline、grades 等），每个值的含义见补全时的说明。 */
  kind: "ratio" | "deadline" | "grades" | "shortfall" | "overrun" | "direct" | "bands" | "text";
  /** 分值: 该指标的分值；全部指标分值之和须等于设置中的总分（默认 90）。 */
  points: number;
  /** 评分句子: 打印时代替自动生成的句子。 */
  text?: string;
  /** 及格门槛: ratio 可选：完成率低于该值不得分，例如 0.6 表示 60%。 */
  pass_rate?: number;
  /** 每推迟天数: deadline：每推迟多少天扣分。 */
  every_days?: number;
  /** 每变动百分点: shortfall/overrun：每下降（超出）多少个百分点扣分。 */
  every_percent?: number;
  /** 扣分: 每次扣多少分。 */
  deduct?: number;
  /** 分档: grades：从高到低的档次，例如 [{label: 效果明显, points: 5}, {label: 效果一般, points: 3}]；第一档分值等于 points。 */
  grades?: Array<{
    /** 档次: 如 效果明显、效果一般。 */
    label: string;
    /** 得分: 达到该档得多少分。 */
    points: number;
  }>;
  /** 区间: bands：从高到低的满意度区间下限（%）与得分，例如 [{min: 90, points: 10}, {min: 80, points: 8}]。 */
  bands?: Array<{
    /** 下限（%）: 满意度大于等于该值（%）时得分。 */
    min: number;
    /** 得分: 该区间得多少分。 */
    points: number;
  }>;
}

/** jxmb 设置: 仓库根目录下的 jxmb.settings.yaml：一个财政局的设置。 */
export interface Settings {
  /** 总分: 各指标分值之和（默认 90：年终自评另加 10 分预算执行率）。 */
  points_total?: number;
  /** 必填一级指标: 每张表都必须出现的一级指标。 */
  required_level1?: Array<"成本指标" | "产出指标" | "效益指标" | "满意度指标">;
  /** 打印日期格式: YYYY 年；M、D 不补零；MM、DD 补零。例如 YYYY.M.D → 2025.12.8，YYYY年M月D日 → 2025年12月8日。 */
  date_format?: string;
  /** 填报时段: 审核、填报日期应落在的时段，相对预算年度 Y 书写：Y-1-10-01 是上一年 10 月 1 日，Y-12-31 是当年 12 月 31 日。日期在此之外时给出警告（常见于照抄上年的表）。 */
  filing_window?: FilingWindow;
  /** 语言: 诊断信息语言：zh（中文）或 en（English）。 */
  lang?: "zh" | "en";
  /** 导入设置: jxmb import 用的设置：把已有的表转成 YAML 时如何认部门代码、如何读本局表格中列名和标签的其他写法。 */
  import?: Import;
  /** 分年度设置: 某一预算年度与上面不同的设置，例如 2026 年起总分改为 100：years: { 2026: { points_total: 100 } }。未写的项沿用上面的值。 */
  years?: Record<string, YearSettings>;
  /** 预算执行分值: 年终自评中“预算执行率”一行的分值（默认 10）：得分 = 分值 × min(全年执行数 / 全年预算数, 1)。 */
  budget_points?: number;
  /** 扣分方式: 年终自评中“每下降 1% 扣 0.5 分”一类规则的算法：proportional 按比例（下降 3 个百分点扣 1.5 分，默认）；whole_steps 只按整步扣，不足一步按一步计。 */
  deductions?: "proportional" | "whole_steps";
  /** 评价等级分数线: 年终自评总分的等级下限：总分 ≥ 优 为优，≥ 良 为良，≥ 中 为中，其余为差（默认 90、80、60）。 */
  grade_bands?: GradeBands;
}

/** 填报时段: 审核、填报日期应落在的时段，相对预算年度 Y 书写：Y-1-10-01 是上一年 10 月 1 日，Y-12-31 是当年 12 月 31 日。日期在此之外时给出警告（常见于照抄上年的表）。 */
export interface FilingWindow {
  /** 最早日期: 相对预算年度 Y 的最早日期，如 Y-1-10-01（上一年 10 月 1 日）。 */
  from: string;
  /** 最晚日期: 相对预算年度 Y 的最晚日期，如 Y-12-31（当年 12 月 31 日）。 */
  to: string;
}

/** 导入设置: jxmb import 用的设置：把已有的表转成 YAML 时如何认部门代码、如何读本局表格中列名和标签的其他写法。 */
export interface Import {
  /** 部门代码对照: 部门名称 → 部门代码，优先于由名称拼音推得的代码。例如 芷江侗族自治县商务科技和工业和信息化局: zhijiang-swkjgxj。 */
  codes?: Record<string, string>;
  /** 表头与标签的其他写法: 本局表格中列名和标签的其他写法，补充内置同义词表（scripts/import/synonyms.ts）；比较时忽略必填标记、空格、括号全半角和末尾冒号。 */
  synonyms?: Synonyms;
}

/** 表头与标签的其他写法: 本局表格中列名和标签的其他写法，补充内置同义词表（scripts/import/synonyms.ts）；比较时忽略必填标记、空格、括号全半角和末尾冒号。 */
export interface Synonyms {
  /** 一级指标: 表头中“一级指标”列的其他写法。 */
  level1?: SynonymList;
  /** 二级指标: 表头中“二级指标”列的其他写法。 */
  level2?: SynonymList;
  /** 三级指标: 表头中“三级指标”列的其他写法，例如 指标名称、考核内容。 */
  name?: SynonymList;
  /** 指标类型: 表头中“指标类型”列的其他写法，例如 指标性质。 */
  type?: SynonymList;
  /** 指标值: 表头中“指标值”列的其他写法，例如 年度目标值。 */
  value?: SynonymList;
  /** 计量单位: 表头中“计量单位”列的其他写法，例如 度量单位。 */
  unit?: SynonymList;
  /** 分值: 表头中“分值”列的其他写法，例如 权重、标准分。 */
  points?: SynonymList;
  /** 指标解释: 表头中“指标解释”列的其他写法，例如 指标说明。 */
  explanation?: SynonymList;
  /** 评（扣）分标准: 表头中“评（扣）分标准”列的其他写法，例如 评分规则。 */
  scoring?: SynonymList;
  /** 备注: 表头中“备注”列的其他写法。 */
  note?: SynonymList;
  /** 序号: 表头中“序号”列的其他写法（序号列的编号不导入）。 */
  seq?: SynonymList;
  /** 绩效指标: 一级、二级、三级指标上方合并的“绩效指标”表头的其他写法。 */
  band?: SynonymList;
  /** 部门（单位）名称: “部门（单位）名称”一行标签的其他写法，例如 预算单位。 */
  department_name?: SynonymList;
  /** 部门（单位）职责: “部门（单位）职责”一行标签的其他写法，例如 主要职能。 */
  duties?: SynonymList;
  /** 年度总体目标: “年度总体目标”一行标签的其他写法，例如 年度绩效目标。 */
  goals?: SynonymList;
  /** 填报单位: 表名下方“填报单位”一行的其他写法；表中没有“部门（单位）名称”一行时，部门名称取自这里（并给出警告）。 */
  filer?: SynonymList;
  /** 合计: 合计行的其他写法（合计行不是指标；写有分值时与各指标分值之和核对）。 */
  total?: SynonymList;
}

/** 评价等级分数线: 年终自评总分的等级下限：总分 ≥ 优 为优，≥ 良 为良，≥ 中 为中，其余为差（默认 90、80、60）。 */
export interface GradeBands {
  /** 优: 评为“优”的最低总分（默认 90）。 */
  优: number;
  /** 良: 评为“良”的最低总分（默认 80）。 */
  良: number;
  /** 中: 评为“中”的最低总分（默认 60），低于此为“差”。 */
  中: number;
}

/** 一个年度的设置: 只写与全局设置不同的项。 */
export interface YearSettings {
  /** 总分: 该年度各指标分值之和。 */
  points_total?: number;
  /** 必填一级指标: 该年度每张表都必须出现的一级指标。 */
  required_level1?: Array<"成本指标" | "产出指标" | "效益指标" | "满意度指标">;
  /** 打印日期格式: 该年度表格的日期格式。 */
  date_format?: string;
  /** 填报时段: 该年度表格的审核、填报日期应落在的时段。 */
  filing_window?: {
    /** 最早日期: 相对预算年度 Y 的最早日期，如 Y-1-10-01（上一年 10 月 1 日）。 */
    from: string;
    /** 最晚日期: 相对预算年度 Y 的最晚日期，如 Y-12-31（当年 12 月 31 日）。 */
    to: string;
  };
  /** 预算执行分值: 该年度年终自评中预算执行率一行的分值。 */
  budget_points?: number;
  /** 扣分方式: 该年度年终自评的扣分方式：proportional 或 whole_steps。 */
  deductions?: "proportional" | "whole_steps";
  /** 评价等级分数线: 该年度年终自评的等级分数线。 */
  grade_bands?: {
    /** 优: 评为“优”的最低总分（默认 90）。 */
    优: number;
    /** 良: 评为“良”的最低总分（默认 80）。 */
    良: number;
    /** 中: 评为“中”的最低总分（默认 60），低于此为“差”。 */
    中: number;
  };
}

/** 其他写法: 每项一种写法，例如 [指标名称, 考核内容]。 */
export type SynonymList = Array<string>;

/** 部门（单位）整体支出绩效自评表: 一个部门（单位）一个预算年度的年终自评，位于 data/<fiscal_year>/<department>.self-eval.yaml（与目标表并列）；得分由 jxmb 按目标表的评分规则计算。 */
export interface SelfEvaluation {
  /** 预算年度: 被评价的预算年度，即“（2025）年度”中的年份；必须与目标表和所在文件夹一致。 */
  fiscal_year: number;
  /** 部门代码: 所评价的目标表的部门代码（例如 zhijiang-swkjgxj）；即文件名中 .self-eval.yaml 之前的部分。 */
  department: string;
  /** 预算执行情况（万元）: 年初预算数、全年预算数（A）和全年执行数（B），单位万元；执行率 B/A 决定预算执行一行的得分。 */
  budget: BudgetExecution;
  /** 实际完成情况: 年度总体目标的实际完成情况，与目标表的 goals 一一对应、顺序相同，每个目标一条。 */
  goals: Array<string | null>;
  /** 绩效指标完成情况: 每个指标一条：name 写三级指标名称（指标有 id 时可写 id），actual 写实际完成值。同名指标按先后顺序对应。 */
  results: Array<IndicatorResult>;
  /** 评价结论: 自评的总体结论（文字），打印在“评价结论”一栏。 */
  conclusion?: string;
  /** 存在问题: 存在的主要问题（文字），打印在“存在问题”一栏。 */
  problems?: string;
  /** 改进措施: 下一步的改进措施（文字），打印在“改进措施”一栏。 */
  improvements?: string;
  /** 填报与签字: 表底的填表人、联系电话、填报日期和单位负责人。 */
  signoff?: SelfEvalSignoff;
}

/** 预算执行情况（万元）: 年初预算数、全年预算数（A）和全年执行数（B），单位万元。 */
export interface BudgetExecution {
  /** 年初预算数: 年初批复的预算数（万元）。 */
  initial: number | null;
  /** 全年预算数（A）: 调整后的全年预算数（万元），执行率的分母。 */
  adjusted: number | null;
  /** 全年执行数（B）: 全年实际支出（万元）；超过全年预算数时给出警告。 */
  spent: number | null;
}

/** 指标完成情况（一条）: 一个指标的实际完成值；得分由评分规则算出，规则无法计算时手工给分。 */
export interface IndicatorResult {
  /** 三级指标: 与目标表中的三级指标名称一致；同名的指标按先后顺序对应。 */
  name: string;
  /** 指标标识: 可选：目标表中该指标的 id；写了 id 就按 id 对应，不看名称。 */
  id?: string;
  /** 实际完成值: 定量指标填数字（单位同目标表，不写单位）；完成时限填完成日期 YYYY-MM-DD；分档指标填档次名称，如“效果明显”。 */
  actual: number | string | null;
  /** 手工得分: 可选：手工给定的得分，代替按规则算出的得分（文字规则必须填）；不得超过分值，须写 reason。 */
  score?: number;
  /** 偏差原因分析及改进措施: 得分低于分值或手工给分时必填：未完成的原因和改进措施。 */
  reason?: string;
}

/** 填报与签字: 表底的填表人、联系电话、填报日期和单位负责人。 */
export interface SelfEvalSignoff {
  /** 填表人: 填表人姓名，打印在表底“填表人：”之后。 */
  preparer?: string;
  /** 联系电话: 手机号或带区号的座机号；请加引号，例如 "13789290210"。 */
  phone?: string;
  /** 填报日期: 写作 YYYY-MM-DD，例如 2026-01-15。 */
  filed?: string;
  /** 单位负责人签字: 单位负责人姓名，打印在“单位负责人签字：”之后。 */
  head?: string;
}
