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
