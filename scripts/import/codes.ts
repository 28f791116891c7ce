/**
 * A department's code from its name, as `zhijiang-swkjgxj` was made from 芷江侗族自治县商务科技和工业和信息化局:
 * the place (县/市/区/州… with 侗族…自治 dropped) in full pinyin, then the initials of the rest, after the
 * usual short forms (工业和信息化 → 工信) and without the joining words (和、与、及). Pure and deterministic;
 * polyphones are read by word through pinyin-pro (长沙 chang, 银行 hang, 重庆 chong). The tables below are
 * data: a bureau's own short form is one line. A bureau's exceptions go in the `import.codes` setting or a
 * `--codes` file (parseCodesFile), which win over anything derived here.
 */
import { pinyin } from 'pinyin-pro';
import { parseDocument } from 'yaml';
import { normalizeName } from '../check/characters.ts';

const CODE_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_CODE_LENGTH = 64;
/** A code must name something: `2025` or `1` is a year or a number, not a department. */
export const usableCode = (s: string): boolean => CODE_RE.test(s) && /[a-z]/.test(s) && s.length <= MAX_CODE_LENGTH;

/** Long official wordings and the short forms bureaus use for them; the longest match is taken first. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  中国共产党: '中共',
  工业和信息化: '工信',
  发展和改革: '发改',
  人力资源和社会保障: '人社',
  住房和城乡建设: '住建',
  卫生和计划生育: '卫计',
  卫生健康: '卫健',
  市场监督管理: '市监',
  退役军人事务: '退役军人',
  医疗保障: '医保',
  文化和旅游: '文旅',
  文化旅游广电体育: '文旅广体',
  广播电视: '广电',
  科学技术: '科技',
};

/** Words joining two parts of a name (商务科技和工信局): no letter of their own in the code. */
export const CONNECTORS: readonly string[] = ['和', '与', '及', '、'];

/** The 55 minorities, as in 芷江侗族自治县 or 湘西土家族苗族自治州: dropped from the place's name. */
export const ETHNIC_GROUPS: readonly string[] = [
  ...['壮', '回', '满', '维吾尔', '苗', '彝', '土家', '藏', '蒙古', '侗', '布依', '瑶', '白', '朝鲜', '哈尼', '黎'],
  ...['哈萨克', '傣', '畲', '傈僳', '东乡', '仡佬', '拉祜', '佤', '水', '纳西', '羌', '土', '仫佬', '锡伯'],
  ...['柯尔克孜', '景颇', '达斡尔', '撒拉', '布朗', '毛南', '塔吉克', '普米', '阿昌', '怒', '鄂温克', '京'],
  ...['基诺', '德昂', '保安', '俄罗斯', '裕固', '乌孜别克', '门巴', '鄂伦春', '独龙', '赫哲', '高山', '珞巴'],
  ...['塔塔尔', '各'],
];

/**
 * Endings that look like a place (…区, …市) but are not one: 工业园区, 经济开发区, 城市管理局. (城区 is not
 * among them: 鹤城区, 西城区 and 新城区 are districts.)
 */
export const NOT_PLACES: readonly string[] = [
  ...['开发区', '园区', '景区', '社区', '片区', '库区', '矿区', '林区', '示范区', '试验区', '实验区'],
  ...['保护区', '合作区', '集中区', '功能区', '管理区', '保税区', '自贸区', '高新区', '风景区'],
  ...['城市', '超市', '都市', '门市', '夜市', '集市'],
];

const HAN = String.raw`[\p{Script=Han}]`;
const ethnic = [...ETHNIC_GROUPS].sort((a, b) => b.length - a.length).join('|');
/** 芷江侗族自治县, 湘西土家族苗族自治州: the place is what comes before the groups. */
const AUTONOMOUS = new RegExp(String.raw`^(${HAN}{2,4}?)(?:(?:${ethnic})族)+自治(?:县|州|区|旗)`, 'u');
/** 长沙市, 朝阳区, 湖南省; a county may have a one-character name (单县). */
const PLACE = new RegExp(String.raw`^(?:(${HAN}{2,4}?)(?:省|市|县|区|州|旗|盟)|(${HAN})县)`, 'u');

/** Anything in brackets: 商务局（知识产权局）, （本级）. */
const BRACKETED = /[（(【[〔][^）)】\]〕]*[）)】\]〕]/gu;

export interface NameParts {
  /** The place, without its 县/市/区… and its 民族自治 (芷江); absent when the name starts with none. */
  place?: string;
  /** The rest, with the short forms applied and the joining words dropped (商务科技工信局). */
  rest: string;
}

/** Splits a department name into its place and the rest (see codeFromName). */
export function splitName(name: string, abbreviations: Readonly<Record<string, string>> = ABBREVIATIONS): NameParts {
  let s = normalizeName(name);
  const unbracketed = s.replace(BRACKETED, '');
  if (unbracketed) s = unbracketed;
  // 中共芷江侗族自治县委员会组织部: the party comes before the place; its letters go with the rest.
  const party = /^(?:中国共产党|中共)/u.exec(s)?.[0];
  if (party) s = s.slice(party.length);
  let place: string | undefined;
  // 湖南省怀化市芷江侗族自治县…: the nearest (last) place is the department's.
  for (;;) {
    const m = AUTONOMOUS.exec(s) ?? PLACE.exec(s);
    if (!m || NOT_PLACES.some((w) => m[0].endsWith(w))) break;
    place = m[1] ?? m[2];
    s = s.slice(m[0].length);
  }
  let rest = (party ?? '') + s;
  const long = Object.keys(abbreviations).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  for (const k of long) rest = rest.split(k).join(abbreviations[k]);
  for (const c of CONNECTORS) rest = rest.split(c).join('');
  return { ...(place ? { place } : {}), rest };
}

/** Pinyin of a text, one entry per character: Han as pinyin (ü as v), letters and digits as themselves. */
function syllables(text: string): { latin: string; han: boolean }[] {
  if (!text) return [];
  // pinyin-pro's minimum-tokens segmentation reads 中国人民银行长沙中心支行 as …chang sha…, not zhang sha.
  const opts = { toneType: 'none', type: 'all', v: true, segmentit: 3 } as unknown as { type: 'all' };
  return pinyin(text, opts).map((x) => ({
    latin: (x.isZh ? x.pinyin : x.origin.normalize('NFKC')).toLowerCase().replace(/[^a-z0-9]/g, ''),
    han: x.isZh,
  }));
}

/**
 * The code derived from a department name, or undefined when the name yields none (empty, or only
 * characters without pinyin such as 𠀾, which are dropped). Lower-case a–z, 0–9 and `-`, at most 64
 * characters, always a usableCode. Without a place at the start, only the initials.
 */
export function codeFromName(
  name: string,
  abbreviations: Readonly<Record<string, string>> = ABBREVIATIONS,
): string | undefined {
  const { place, rest } = splitName(name, abbreviations);
  const placePart = place
    ? syllables(place)
        .map((x) => x.latin)
        .join('')
    : '';
  // Han characters give their initial; letters and digits within the name (5G, 12345) are kept whole.
  const restPart = syllables(rest)
    .map((x) => (x.han ? x.latin.slice(0, 1) : x.latin))
    .join('');
  const code = [placePart, restPart].filter(Boolean).join('-').slice(0, MAX_CODE_LENGTH).replace(/-+$/, '');
  return usableCode(code) ? code : undefined;
}

/** `code-2`, `code-3`…, the base shortened so the whole stays within 64 characters. */
export function numberedCode(code: string, n: number): string {
  const suffix = `-${n}`;
  return `${code.slice(0, MAX_CODE_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** One department's claim on a code: its name and where it comes from (a data file, a source file). */
export interface CodeHolder {
  name: string;
  where: string;
}

/**
 * The codes of one run: those already in data/ and those given out so far. The same department (by
 * normalised name) keeps one code; a derived code another department holds gets `-2`, `-3`…
 */
export class CodeBook {
  private readonly holders = new Map<string, CodeHolder>();
  /** Normalised name → its codes in data/, and those given in this run. */
  private readonly existing = new Map<string, Set<string>>();
  private readonly given = new Map<string, Set<string>>();

  private static add(map: Map<string, Set<string>>, key: string, code: string): void {
    if (key) map.set(key, new Set([...(map.get(key) ?? []), code]));
  }

  /** A department already in data/ (each year's file of it). */
  addExisting(code: string, name: string, where: string): void {
    if (!this.holders.has(code)) this.holders.set(code, { name, where });
    CodeBook.add(this.existing, normalizeName(name), code);
  }

  /** The code the department was given earlier in this run, else has in data/, when there is just one. */
  codeOf(name: string): { code: string; inRun: boolean } | undefined {
    const key = normalizeName(name);
    for (const [map, inRun] of [
      [this.given, true],
      [this.existing, false],
    ] as const) {
      const codes = map.get(key);
      if (codes?.size === 1) return { code: [...codes][0]!, inRun };
    }
    return undefined;
  }

  /** Who holds a code, if anyone. */
  holder(code: string): CodeHolder | undefined {
    return this.holders.get(code);
  }

  /**
   * Gives `wanted` to the department, or (derived codes only) the first free numbered one when another
   * department holds it; returns the code and the holder it gave way to.
   */
  claim(
    name: string,
    wanted: string,
    where: string,
    derived: boolean,
  ): { code: string; collidedWith?: CodeHolder & { code: string } } {
    const key = normalizeName(name);
    const other = (c: string): CodeHolder | undefined => {
      const h = this.holders.get(c);
      return h && normalizeName(h.name) !== key ? h : undefined;
    };
    let code = wanted;
    const first = derived ? other(wanted) : undefined;
    for (let n = 2; derived && other(code); n++) code = numberedCode(wanted, n);
    if (!this.holders.has(code)) this.holders.set(code, { name, where });
    CodeBook.add(this.given, key, code);
    return { code, ...(first ? { collidedWith: { ...first, code: wanted } } : {}) };
  }
}

/** The header line a spreadsheet saved as CSV starts with: `名称,代码`, `name,code`. */
const HEADER = /^(?:code|部门代码|代码|单位代码)$/i;

/** A problem in a codes file, at its line. */
export interface CodesProblem {
  line: number;
  text: string;
}

/**
 * A name → code table from a `--codes` file: YAML (a mapping `name: code`, or `codes:` holding one, as
 * in the settings) or CSV/TSV (`name,code` a line; a header line and blank lines are skipped). Names are
 * compared normalised. Unusable codes and lines that are not a pair come back as problems.
 */
export function parseCodesFile(
  text: string,
  fileName: string,
): { codes: Map<string, string>; problems: CodesProblem[] } {
  const codes = new Map<string, string>();
  const problems: CodesProblem[] = [];
  const put = (name: string, code: string, line: number): void => {
    const n = normalizeName(name);
    const c = code.trim();
    if (!n || !usableCode(c)) problems.push({ line, text: `${name.trim()} → ${c}` });
    else codes.set(n, c);
  };
  const body = text.replace(/^\uFEFF/, '');
  if (/\.ya?ml$/i.test(fileName)) {
    const doc = parseDocument(body);
    if (doc.errors.length) {
      const line = body.slice(0, doc.errors[0]!.pos[0]).split('\n').length;
      return { codes, problems: [{ line, text: doc.errors[0]!.message.split('\n')[0]! }] };
    }
    const data = doc.toJS() as unknown;
    const table =
      (data as { codes?: unknown } | null)?.codes ?? (data as { import?: { codes?: unknown } } | null)?.import?.codes;
    const map = table ?? data;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      return { codes, problems: [{ line: 1, text: 'name: code' }] };
    }
    const lineOf = (name: string): number => {
      const i = body.indexOf(name);
      return i < 0 ? 1 : body.slice(0, i).split('\n').length;
    };
    for (const [name, code] of Object.entries(map as Record<string, unknown>)) {
      put(name, typeof code === 'string' || typeof code === 'number' ? String(code) : '', lineOf(name));
    }
    return { codes, problems };
  }
  for (const [i, raw] of body.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const cells = (line.includes('\t') ? line.split('\t') : line.split(/[,，]/)).map((c) =>
      c.trim().replace(/^"(.*)"$/, '$1'),
    );
    if (cells.length === 2 && HEADER.test(cells[1]!) && !codes.size && !problems.length) continue;
    if (cells.length !== 2) problems.push({ line: i + 1, text: line });
    else put(cells[0]!, cells[1]!, i + 1);
  }
  return { codes, problems };
}
