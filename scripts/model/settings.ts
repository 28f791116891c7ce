/**
 * A bureau's settings (jxmb.settings.yaml at the repository root) and their defaults, which fit the
 * reference instance. The shape comes from schema/settings.schema.json. A rule that changes in some
 * year (the points total, say) goes under `years:`, so older tables keep validating under their rules.
 */
import type { Settings, YearSettings } from './types.generated.ts';

/** Every rule with its value; `import` (how jxmb import reads codes and wordings) only when set. */
export type ResolvedSettings = Required<Omit<Settings, 'years' | 'import'>> & {
  years: Record<string, YearSettings>;
  import?: Settings['import'];
};

export const DEFAULT_SETTINGS: ResolvedSettings = {
  points_total: 90,
  required_level1: ['成本指标', '产出指标', '效益指标', '满意度指标'],
  date_format: 'YYYY.M.D',
  // From 1 October of the year before to the fiscal year's end: the seed (fiscal 2025) was signed in
  // December 2025, its 2026 successor in January 2026; a date of two years back is a copied table's.
  filing_window: { from: 'Y-1-10-01', to: 'Y-12-31' },
  lang: 'zh',
  years: {},
  budget_points: 10,
  deductions: 'proportional',
  grade_bands: { 优: 90, 良: 80, 中: 60 },
};

export const resolveSettings = (s: Settings | undefined): ResolvedSettings => ({ ...DEFAULT_SETTINGS, ...(s ?? {}) });

/** The settings that apply to one fiscal year's tables: the year's overrides over the global ones. */
export function settingsForYear(s: ResolvedSettings, fiscalYear: number): ResolvedSettings {
  const y = s.years?.[String(fiscalYear)];
  return y ? { ...s, ...y } : s;
}

/** A filing-window bound (`Y-1-10-01`) as the ISO date it is for one fiscal year (`2024-10-01`). */
export function windowDate(bound: string, fiscalYear: number): string {
  const m = /^Y([+-]\d)?-(\d{2})-(\d{2})$/.exec(bound);
  if (!m) return bound;
  return `${fiscalYear + Number(m[1] ?? 0)}-${m[2]}-${m[3]}`;
}
