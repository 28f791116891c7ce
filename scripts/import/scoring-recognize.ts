/**
 * A printed 评（扣）分标准 sentence → a scoring rule: the inverse of scripts/model/scoring.ts.
 * A sentence becomes a structured rule only when the rule regenerates it character for character;
 * anything else is kept as written (`kind: text`, or `overrun` with its text) with its points extracted,
 * so importing never changes what the form prints. Pure.
 */
import { generatedSentence } from '../model/scoring.ts';
import type { Indicator, Scoring } from '../model/types.generated.ts';

type Ind = Pick<Indicator, 'name' | 'value' | 'unit'>;

export interface RecognizedScoring {
  /** The rule; when `pointsKnown` is false its `points` is 0 and must be filled in by the caller. */
  scoring: Scoring;
  /** False when the sentence does not state the points (e.g. the pass-mark ratio sentence). */
  pointsKnown: boolean;
  /** The sentence's own points, when they differ from the points given (which were used). */
  statedPoints?: number;
}

const N = '(\\d+(?:\\.\\d+)?)';
const num = (s: string): number => Number(s);
const re = (src: string): RegExp => new RegExp(`^${src}$`, 's');

/** Candidate rules read off the sentence's shape; each is accepted only if it regenerates the sentence. */
function candidates(sentence: string): Array<{ scoring: Scoring; pointsKnown: boolean }> {
  const out: Array<{ scoring: Scoring; pointsKnown: boolean }> = [];
  const known = (scoring: Scoring): void => void out.push({ scoring, pointsKnown: true });
  let m: RegExpExecArray | null;
  if ((m = re(`达到目标得${N}分，否则不得分。`).exec(sentence))) known({ kind: 'direct', points: num(m[1]!) });
  if ((m = re(`按计划完成得${N}分，否则按实际值/计划值\\*指标分值计分。`).exec(sentence)))
    known({ kind: 'ratio', points: num(m[1]!) });
  if ((m = re(`完成率小于${N}%不得分；.*`).exec(sentence))) {
    out.push({
      scoring: { kind: 'ratio', points: 0, pass_rate: Number((num(m[1]!) / 100).toPrecision(12)) },
      pointsKnown: false,
    });
  }
  if ((m = re(`.*完成，得${N}分，每推迟(\\d+)天扣${N}分，扣完为止。`).exec(sentence))) {
    known({ kind: 'deadline', points: num(m[1]!), every_days: num(m[2]!), deduct: num(m[3]!) });
  }
  if ((m = re(`.*以上得${N}分，每下降${N}%，扣${N}分，扣完为止。`).exec(sentence))) {
    known({ kind: 'shortfall', points: num(m[1]!), every_percent: num(m[2]!), deduct: num(m[3]!) });
  }
  if ((m = re(`.*以内得${N}分，每超出${N}%，扣${N}分，扣完为止。`).exec(sentence))) {
    known({ kind: 'overrun', points: num(m[1]!), every_percent: num(m[2]!), deduct: num(m[3]!) });
  }
  const tiers = /^(.+)，否则不得分。$/s.exec(sentence);
  if (tiers) {
    const items = splitTiers(tiers[1]!);
    const bands = items?.map((t) => /^满意度大于等于(\d+(?:\.\d+)?)%的$/.exec(t.label)).every(Boolean)
      ? items.map((t) => ({ min: num(/(\d+(?:\.\d+)?)/.exec(t.label)![1]!), points: t.points }))
      : undefined;
    if (bands?.length) known({ kind: 'bands', points: bands[0]!.points, bands });
    if (items?.length)
      known({
        kind: 'grades',
        points: items[0]!.points,
        grades: items.map((t) => ({ label: t.label, points: t.points })),
      });
  }
  return out;
}

/** `效果明显得5分，效果一般得3分` → [{label: 效果明显, points: 5}, …]; undefined when it is not that shape. */
function splitTiers(body: string): Array<{ label: string; points: number }> | undefined {
  const out: Array<{ label: string; points: number }> = [];
  const tier = /(.+?)得(\d+(?:\.\d+)?)分(?:，|$)/gsy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = tier.exec(body))) {
    out.push({ label: m[1]!, points: num(m[2]!) });
    at = tier.lastIndex;
    if (at >= body.length) break;
  }
  return at === body.length && out.length ? out : undefined;
}

const P = '(\\d+(?:\\.\\d+)?)\\s*分';
/** Points the sentence awards: `得N分`. */
const AWARDED = new RegExp(`得${P}`, 'g');
/** The indicator's weight said outright: `本项N分`, `满分N分`, `分值为N分`, `共N分`. */
const WEIGHT = new RegExp(`(?:本项|本指标|该项|该指标|满分|分值|总分|权重|共|计)\\s*(?:为|是|[：:])?\\s*${P}`, 'g');
/** A sentence opening with its points: `10分，…`. */
const LEADING = new RegExp(`^\\s*${P}(?=$|[，,。；;：:\\s(（])`, 'g');
const ANY = new RegExp(P, 'g');
/** A clause that deducts (`每…扣N分`, `扣N分`, `减N分`): its numbers are no points to award. */
const DEDUCTING = /[扣减]/;

/**
 * The points a sentence gives the indicator: the largest `得N分` (a hand-written rule's full marks), else
 * its weight said outright (`本项N分`, `满分N分`, `分值N分`, a leading `N分，`), else the largest `N分`
 * of a clause that deducts nothing. Never a deduction's `扣N分` (`每推迟1天扣0.5分`, `扣完为止`).
 */
export function pointsInText(sentence: string): number | undefined {
  const pick = (r: RegExp, ok: (at: number) => boolean = () => true): number | undefined => {
    const ns = [...sentence.matchAll(r)].filter((m) => ok(m.index)).map((m) => num(m[1]!));
    return ns.length ? Math.max(...ns) : undefined;
  };
  // The clause a number stands in: from the last comma or stop before it.
  const clause = (at: number): string =>
    sentence
      .slice(0, at)
      .split(/[，,。；;：:！!？?]/)
      .at(-1) ?? '';
  return pick(AWARDED) ?? pick(WEIGHT) ?? pick(LEADING) ?? pick(ANY, (at) => !DEDUCTING.test(clause(at)));
}

/**
 * A hand-written shortfall or overrun rule: `每下降1%，扣0.5分`, `每降低1个百分点扣0.5分` (shortfall),
 * `每超出1%，扣2分`, `每超过1个百分点扣1分` (overrun) — the wordings the validator compares with the
 * structured fields.
 */
const PER_PERCENT = /每(下降|降低|超出|超过)(\d+(?:\.\d+)?)(?:%|个百分点)[，,、\s]?扣(\d+(?:\.\d+)?)分/;

/**
 * Recognises a scoring sentence for an indicator. Structured when regeneration reproduces the sentence
 * exactly; a shortfall or overrun sentence in its own words (`…每超出1%，扣2分。`, `满意度≥90%得满分，
 * 每降低1个百分点扣0.5分`) keeps its text with the structured `every_percent`/`deduct`; everything else
 * stays `text` with its points.
 *
 * `points` (a separate 分值 column) are the indicator's points: a sentence stating none is then complete
 * with them. A sentence stating other points keeps its words (`text`) under the given points, and its own
 * are returned as `statedPoints` for the caller to report: the column wins, because it is the one the
 * table's total adds up, and the printed sentence is not changed behind anyone's back.
 */
export function recognizeScoring(sentence: string, ind: Ind, points?: number): RecognizedScoring {
  const r = recognizeAlone(sentence, ind);
  if (points === undefined) return r;
  if (!r.pointsKnown) return { scoring: { ...r.scoring, points }, pointsKnown: true };
  if (r.scoring.points === points) return r;
  return { scoring: { kind: 'text', points, text: sentence }, pointsKnown: true, statedPoints: r.scoring.points };
}

function recognizeAlone(sentence: string, ind: Ind): RecognizedScoring {
  for (const c of candidates(sentence)) {
    if (generatedSentence(ind, c.scoring) === sentence) return c;
  }
  const points = pointsInText(sentence);
  const per = PER_PERCENT.exec(sentence);
  if (per) {
    // Kept as written, with its rule: points the sentence does not state (`得满分`) are the 分值 column's.
    const kind = per[1] === '下降' || per[1] === '降低' ? 'shortfall' : 'overrun';
    return {
      scoring: { kind, points: points ?? 0, every_percent: num(per[2]!), deduct: num(per[3]!), text: sentence },
      pointsKnown: points !== undefined,
    };
  }
  return { scoring: { kind: 'text', points: points ?? 0, text: sentence }, pointsKnown: points !== undefined };
}
