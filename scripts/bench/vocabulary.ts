/**
 * Vocabulary for synthetic departments: real county and bureau names, each bureau's areas of work,
 * and the phrase patterns real 整体绩效目标表 use. Data only; generate.ts combines it.
 */

/** A county-level government: its name, short pinyin code, and what its area is called in text. */
export interface County {
  name: string;
  code: string;
}

/** Counties of western Hunan (the reference instance's region): 县, 市 and 区 all occur. */
export const COUNTIES: readonly County[] = [
  { name: '芷江侗族自治县', code: 'zhijiang' },
  { name: '鹤城区', code: 'hecheng' },
  { name: '中方县', code: 'zhongfang' },
  { name: '沅陵县', code: 'yuanling' },
  { name: '辰溪县', code: 'chenxi' },
  { name: '溆浦县', code: 'xupu' },
  { name: '会同县', code: 'huitong' },
  { name: '麻阳苗族自治县', code: 'mayang' },
  { name: '新晃侗族自治县', code: 'xinhuang' },
  { name: '靖州苗族侗族自治县', code: 'jingzhou' },
  { name: '通道侗族自治县', code: 'tongdao' },
  { name: '洪江市', code: 'hongjiang' },
  { name: '凤凰县', code: 'fenghuang' },
  { name: '泸溪县', code: 'luxi' },
  { name: '吉首市', code: 'jishou' },
  { name: '花垣县', code: 'huayuan' },
  { name: '保靖县', code: 'baojing' },
  { name: '古丈县', code: 'guzhang' },
  { name: '永顺县', code: 'yongshun' },
  { name: '龙山县', code: 'longshan' },
  { name: '桑植县', code: 'sangzhi' },
  { name: '慈利县', code: 'cili' },
];

/** `县`, `市` or `区`: how duties speak of the whole area (全县, 全市, 全区). */
export const areaWord = (county: County): string => county.name.slice(-1);

/** A bureau: its name after the county's, a pinyin-initials code, and its areas of work. */
export interface Bureau {
  name: string;
  code: string;
  /** Noun phrases for what the bureau does; indicator names and duties are built from them. */
  areas: readonly string[];
}

export const BUREAUS: readonly Bureau[] = [
  {
    name: '农业农村局',
    code: 'nyncj',
    areas: [
      '粮食生产',
      '高标准农田建设',
      '农产品质量安全',
      '农村人居环境整治',
      '动物疫病防控',
      '农业机械化推广',
      '农村集体经济发展',
      '乡村特色产业发展',
      '农业技术推广',
      '农村宅基地管理',
    ],
  },
  {
    name: '教育局',
    code: 'jyj',
    areas: [
      '义务教育均衡发展',
      '学前教育普及',
      '校园安全管理',
      '教师队伍建设',
      '学生资助',
      '职业教育发展',
      '教育信息化建设',
      '控辍保学',
      '学校基础设施建设',
    ],
  },
  {
    name: '卫生健康局',
    code: 'wsjkj',
    areas: [
      '基本公共卫生服务',
      '家庭医生签约服务',
      '重大疾病预防控制',
      '妇幼健康服务',
      '医疗质量管理',
      '爱国卫生运动',
      '卫生应急处置',
      '基层医疗卫生机构建设',
    ],
  },
  {
    name: '交通运输局',
    code: 'jtysj',
    areas: [
      '农村公路建设',
      '公路养护管理',
      '道路运输安全监管',
      '城乡客运一体化',
      '交通工程质量监督',
      '治超治限',
      '水上交通安全监管',
      '公路安全生命防护工程',
    ],
  },
  {
    name: '水利局',
    code: 'slj',
    areas: [
      '农田水利建设',
      '河长制工作',
      '水土保持治理',
      '小型水库安全运行',
      '防汛抗旱',
      '农村饮水安全保障',
      '水资源管理',
      '山洪灾害防治',
    ],
  },
  {
    name: '自然资源局',
    code: 'zrzyj',
    areas: [
      '国土空间规划编制',
      '耕地保护',
      '不动产登记',
      '地质灾害防治',
      '矿产资源管理',
      '土地综合整治',
      '自然资源执法监察',
      '测绘地理信息管理',
    ],
  },
  {
    name: '住房和城乡建设局',
    code: 'zfhcxjsj',
    areas: [
      '保障性住房建设',
      '城镇老旧小区改造',
      '建筑施工安全监管',
      '市政设施维护',
      '农村危房改造',
      '建筑市场监管',
      '城镇燃气安全管理',
      '物业服务管理',
    ],
  },
  {
    name: '民政局',
    code: 'mzj',
    areas: [
      '城乡最低生活保障',
      '特困人员救助供养',
      '养老服务体系建设',
      '儿童福利保障',
      '社会组织管理',
      '殡葬改革',
      '婚姻登记服务',
      '区划地名管理',
    ],
  },
  {
    name: '人力资源和社会保障局',
    code: 'rlzyhshbzj',
    areas: [
      '就业创业服务',
      '城乡居民养老保险',
      '职业技能培训',
      '劳动保障监察',
      '人才引进培养',
      '工伤保险经办',
      '根治欠薪',
      '人事考试组织',
    ],
  },
  {
    name: '财政局',
    code: 'czj',
    areas: [
      '预算编制管理',
      '国库集中支付',
      '政府采购监管',
      '行政事业单位国有资产管理',
      '政府债务风险防控',
      '财会监督',
      '惠民惠农财政补贴发放',
      '预算绩效管理',
    ],
  },
  {
    name: '文化旅游广电体育局',
    code: 'wlgtj',
    areas: [
      '公共文化服务',
      '文物保护利用',
      '旅游市场监管',
      '全民健身活动',
      '广播电视公共服务',
      '非物质文化遗产保护',
      '文化市场综合执法',
      '乡村旅游发展',
    ],
  },
  {
    name: '林业局',
    code: 'lyj',
    areas: [
      '国土绿化',
      '森林防火',
      '林业有害生物防治',
      '公益林管护',
      '林长制工作',
      '野生动植物保护',
      '林地资源管理',
      '油茶产业发展',
    ],
  },
  {
    name: '应急管理局',
    code: 'yjglj',
    areas: [
      '安全生产监管',
      '防灾减灾救灾',
      '应急救援队伍建设',
      '危险化学品安全监管',
      '非煤矿山安全监管',
      '应急物资储备',
      '安全生产宣传教育',
      '自然灾害救助',
    ],
  },
  {
    name: '市场监督管理局',
    code: 'scjdglj',
    areas: [
      '食品安全监管',
      '药品医疗器械监管',
      '特种设备安全监察',
      '市场主体登记',
      '产品质量监督抽查',
      '价格监督检查',
      '知识产权保护',
      '计量标准化管理',
    ],
  },
  {
    name: '统计局',
    code: 'tjj',
    areas: [
      '统计调查',
      '统计执法检查',
      '经济普查',
      '统计数据质量管理',
      '统计信息化建设',
      '农业统计调查',
      '人口抽样调查',
      '统计咨询服务',
    ],
  },
  {
    name: '审计局',
    code: 'sjj',
    areas: [
      '预算执行审计',
      '经济责任审计',
      '政府投资项目审计',
      '专项资金审计',
      '审计整改督促',
      '内部审计指导',
      '国有企业审计',
      '民生资金审计',
    ],
  },
  {
    name: '司法局',
    code: 'sfj',
    areas: ['法治宣传教育', '人民调解', '法律援助', '社区矫正', '行政复议', '公共法律服务', '律师公证管理', '安置帮教'],
  },
  {
    name: '退役军人事务局',
    code: 'tyjrswj',
    areas: [
      '退役军人安置',
      '优抚对象抚恤',
      '退役军人就业创业',
      '烈士纪念设施管护',
      '双拥共建',
      '退役军人服务站建设',
      '走访慰问',
      '军休服务管理',
    ],
  },
  {
    name: '医疗保障局',
    code: 'ylbzj',
    areas: [
      '城乡居民医保参保',
      '医保基金监管',
      '医疗救助',
      '异地就医直接结算',
      '药品集中带量采购',
      '医保经办服务',
      '长期护理保险试点',
      '医保支付方式改革',
    ],
  },
  {
    name: '发展和改革局',
    code: 'fzhggj',
    areas: [
      '重点项目建设',
      '固定资产投资',
      '价格监测',
      '地方粮食储备',
      '能源安全保障',
      '以工代赈',
      '社会信用体系建设',
      '项目谋划储备',
    ],
  },
  {
    name: '商务局',
    code: 'swj',
    areas: [
      '外贸进出口',
      '农村电子商务',
      '消费促进',
      '招商引资',
      '生活必需品市场保供',
      '成品油流通管理',
      '家政服务',
      '商贸流通体系建设',
    ],
  },
  {
    name: '城市管理和综合执法局',
    code: 'cgzfj',
    areas: [
      '市容环境卫生',
      '违法建设治理',
      '城市道路照明',
      '生活垃圾分类',
      '园林绿化管护',
      '户外广告管理',
      '数字城管',
      '渣土运输管理',
    ],
  },
  {
    name: '信访局',
    code: 'xfj',
    areas: [
      '信访事项办理',
      '矛盾纠纷排查化解',
      '网上信访',
      '信访积案化解',
      '领导干部接访下访',
      '信访工作督查',
      '信访工作法治化',
      '群众来信来访',
    ],
  },
  {
    name: '工业和信息化局',
    code: 'gyhxxhj',
    areas: [
      '规模工业运行',
      '中小企业服务',
      '工业园区建设',
      '专精特新企业培育',
      '节能降耗',
      '数字经济发展',
      '企业技术改造',
      '电力运行调度',
    ],
  },
  {
    name: '科学技术局',
    code: 'kxjsj',
    areas: [
      '高新技术企业培育',
      '科技成果转化',
      '科技特派员服务',
      '科普宣传',
      '研发投入',
      '科技项目管理',
      '知识产权创造',
      '科技创新平台建设',
    ],
  },
];

/**
 * Duty sentences. `{area}` = 全县/全市/全区 and `{w}` = 县/市/区 (from the county), `{a}` and `{b}` = areas
 * of the bureau.
 * Real duties read like these: long, administrative, each ending in 。
 */
export const DUTY_PATTERNS: readonly string[] = [
  '贯彻执行国家和省、市关于{a}的方针政策和法律法规，拟订{area}{a}的中长期规划、年度计划并组织实施。',
  '负责{area}{a}工作，统筹协调{b}中的重大问题，指导乡镇（街道）和有关部门开展相关工作。',
  '承担{a}的监督管理责任，建立健全{b}工作机制，依法查处违法违规行为，维护人民群众合法权益。',
  '组织实施{a}项目，负责项目资金的申报、分配、使用、监督和绩效管理，提高财政资金使用效益。',
  '指导{a}体系建设，推进{b}标准化、规范化、信息化建设，提升基层服务能力和水平。',
  '负责{a}统计、监测和信息发布工作，分析研判发展形势，提出相关政策建议。',
  '组织开展{a}宣传教育和业务培训，普及相关法律法规和专业知识，增强社会公众参与意识。',
  '负责{a}领域安全生产和应急管理工作，制定应急预案，组织开展隐患排查治理和应急演练。',
  '会同有关部门做好{a}与{b}的衔接工作，推动相关政策措施落地见效。',
  '负责本部门及所属单位的机构编制、人事管理、财务管理、国有资产管理和党风廉政建设工作。',
];

export const LAST_DUTY = '完成{w}委、{w}人民政府交办的其他任务。';

/** Goal sentences: `{a}`/`{b}`/`{c}` areas, `{n}` a whole number, `{r}` a rate, `{fy}` the fiscal year, `{w}` 县/市/区. */
export const GOAL_PATTERNS: readonly string[] = [
  '围绕{a}、{b}和{c}等重点工作，全面完成上级下达的各项目标任务，{a}任务完成率达到{r}%以上，确保{fy}年度各项工作按期完成、取得实效。',
  '加快推进{a}项目建设，年内完成{n}个项目的建设任务，项目验收合格率达到100%，项目资金拨付及时、使用规范，切实发挥资金使用效益。',
  '持续深化{b}工作，健全长效管理机制，开展专项检查和督查调度{n}次以上，发现问题整改率达到{r}%以上，服务对象满意度达到90%以上。',
  '严格执行部门预算，规范财务管理，“三公”经费只减不增，部门预算支出控制在批复的预算范围内，全面提升预算绩效管理水平。',
  '全面完成上级下达的关于{c}的各项工作和{w}委、{w}人民政府交办的其他工作任务。',
];

/** 数量指标: name pattern, unit, whole-number range. */
export interface QuantityPattern {
  name: string;
  unit: string;
  min: number;
  max: number;
  /** Values are money: two decimals. */
  money?: boolean;
}

export const QUANTITY_PATTERNS: readonly QuantityPattern[] = [
  { name: '{a}培训人次', unit: '人次', min: 200, max: 5000 },
  { name: '开展{a}专项检查', unit: '次', min: 4, max: 60 },
  { name: '开展{a}宣传活动', unit: '场', min: 3, max: 40 },
  { name: '{a}覆盖乡镇（街道）', unit: '个', min: 5, max: 25 },
  { name: '实施{a}项目', unit: '个', min: 2, max: 30 },
  { name: '{a}资金投入', unit: '万元', min: 50, max: 3000, money: true },
  { name: '编报{a}工作信息', unit: '期', min: 12, max: 52 },
  { name: '组织{a}督查调度', unit: '次', min: 4, max: 24 },
  { name: '{a}服务人次', unit: '人次', min: 500, max: 20000 },
  { name: '印发{a}宣传资料', unit: '份', min: 1000, max: 30000 },
];

/** 质量指标 (rates, %). */
export const QUALITY_PATTERNS: readonly string[] = [
  '{a}任务完成率',
  '{a}项目验收合格率',
  '{a}问题整改率',
  '{a}群众诉求办结率',
  '{a}数据上报准确率',
  '{a}档案资料规范率',
];

/** 定性 outcomes: name pattern, the printed value, and the grade labels (best first). */
export interface QualitativePattern {
  name: string;
  labels: readonly string[];
}

export const ECONOMIC_PATTERNS: readonly QuantityPattern[] = [
  { name: '带动{a}相关产业增收', unit: '万元', min: 100, max: 5000, money: true },
  { name: '{a}节约财政资金', unit: '万元', min: 10, max: 500, money: true },
];
export const ECONOMIC_QUALITATIVE: readonly QualitativePattern[] = [
  { name: '促进{a}相关产业发展', labels: ['效果明显', '效果一般'] },
];

export const SOCIAL_PATTERNS: readonly QualitativePattern[] = [
  { name: '提升{a}公共服务水平', labels: ['效果明显', '效果一般'] },
  { name: '保障{a}工作有序开展', labels: ['有效保障', '基本保障'] },
  { name: '提供良好履职基础，提升{a}服务社会发展能力', labels: ['效果明显', '效果一般'] },
];
export const SOCIAL_QUANTITY: readonly QuantityPattern[] = [
  { name: '{a}受益群众', unit: '人', min: 1000, max: 200000 },
];

export const ECOLOGY_PATTERNS: readonly QualitativePattern[] = [
  { name: '改善{a}区域生态环境', labels: ['效果明显', '效果一般'] },
  { name: '{a}节能减排', labels: ['成效显著', '有所成效'] },
];

export const SUSTAIN_PATTERNS: readonly QualitativePattern[] = [
  { name: '健全{a}长效管理机制', labels: ['健全', '基本健全'] },
  { name: '推动{a}高质量发展', labels: ['效果明显', '效果一般'] },
  { name: '{a}工作经验可复制可推广', labels: ['可推广', '部分可推广'] },
];

export const SATISFACTION_NAMES: readonly string[] = ['服务对象满意度', '社会公众满意度', '{a}群众满意度'];

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万覃武钱戴严欧莫孔向汤舒'.split(
    '',
  );
export const GIVEN =
  '建国军华平明芳红英伟丽敏静强磊洋勇艳杰娟涛超霞刚秀兰辉玲鹏飞桂林春梅海波宏志文斌俊峰琴云成荣新德永庆亮健燕萍雪晓慧婷宇凯'.split(
    '',
  );
