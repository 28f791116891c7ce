/**
 * Scoring rules as data, and the sentence the form prints for each (FORM.md "Scoring").
 * The sentences reproduce the reference instance character for character.
 */
import type { Indicator, Scoring } from './types.generated.ts';

/** Numbers print as people write them: 0.5, 8.5, 934.41, 1000 (no exponent, no trailing zeros). */
/**
 * Whether `text` writes `value` as a plain decimal (`12.50`, `0.5`; no sign, leading zero or exponent):
 * such a value prints as written, trailing zeros included.
 */
export const isPlainDecimal = (text: string, value: number): boolean =>
  /^-?(?:0|[1-9]\d*)\.\d+$/.test(text) && Number(text) === value;

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toFixed(0);
  return String(Number(n.toPrecision(12)));
}

const pct = (rate: number): string => `${formatNumber(Math.round(rate * 10000) / 100)}%`;

/** The sentence generated from a structured rule (ignores `text`). */
export function generatedSentence(
  ind: Pick<Indicator, 'name' | 'value' | 'unit'>,
  s: Scoring,
  valueText?: string,
): string {
  const p = formatNumber(s.points);
  const value = valueText ?? (typeof ind.value === 'number' ? formatNumber(ind.value) : ind.value);
  switch (s.kind) {
    case 'ratio':
      if (s.pass_rate !== undefined) {
        const r = pct(s.pass_rate);
        return `完成率小于${r}不得分；大于等于${r}的，得分=（实际完成率-${r}）/（1-${r}）×指标分值。`;
      }
      return `按计划完成得${p}分，否则按实际值/计划值*指标分值计分。`;
    case 'deadline':
      return `${value}完成，得${p}分，每推迟${formatNumber(s.every_days ?? 0)}天扣${formatNumber(s.deduct ?? 0)}分，扣完为止。`;
    case 'grades':
      return `${(s.grades ?? []).map((g) => `${g.label}得${formatNumber(g.points)}分`).join('，')}，否则不得分。`;
    case 'shortfall':
      return (
        `${ind.name}达${value}${ind.unit ?? '%'}以上得${p}分，每下降${formatNumber(s.every_percent ?? 0)}%，` +
        `扣${formatNumber(s.deduct ?? 0)}分，扣完为止。`
      );
    case 'overrun':
      return (
        `${ind.name}控制在${value}${ind.unit ?? ''}以内得${p}分，每超出${formatNumber(s.every_percent ?? 0)}%，` +
        `扣${formatNumber(s.deduct ?? 0)}分，扣完为止。`
      );
    case 'direct':
      return `达到目标得${p}分，否则不得分。`;
    case 'bands':
      return (
        `${(s.bands ?? []).map((b) => `满意度大于等于${formatNumber(b.min)}%的得${formatNumber(b.points)}分`).join('，')}` +
        '，否则不得分。'
      );
    case 'text':
      return s.text ?? '';
  }
}

/** The sentence printed in 评（扣）分标准: the hand-written text where given, else the generated one. */
export function scoringSentence(
  ind: Pick<Indicator, 'name' | 'value' | 'unit'>,
  s: Scoring,
  valueText?: string,
): string {
  return s.text ?? generatedSentence(ind, s, valueText);
}
