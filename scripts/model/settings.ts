/**
 * A bureau's settings (jxmb.settings.yaml at the repository root) and their defaults, which fit the
 * reference instance. The shape comes from schema/settings.schema.json.
 */
import type { Settings } from './types.generated.ts';

export type ResolvedSettings = Required<Settings>;

export const DEFAULT_SETTINGS: ResolvedSettings = {
  points_total: 90,
  required_level1: ['成本指标', '产出指标', '效益指标', '满意度指标'],
  date_format: 'YYYY.M.D',
  lang: 'zh',
};

export const resolveSettings = (s: Settings | undefined): ResolvedSettings => ({ ...DEFAULT_SETTINGS, ...(s ?? {}) });
