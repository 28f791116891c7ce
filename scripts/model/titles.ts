/**
 * The form's own words for the data's fields, read from the schema's `title`s, so that the
 * renderers, diff and import name a field exactly as editors show it on hover.
 */
import schema from '../../schema/department-targets.schema.json' with { type: 'json' };
import type { Signoff } from './types.generated.ts';

/** 业务股室审核, 绩效股室审核, 填表人, 联系电话, 填报日期, 单位负责人签字 by signoff key. */
export const SIGNOFF_TITLES = Object.fromEntries(
  Object.entries(schema.properties.signoff.properties).map(([k, v]) => [k, v.title]),
) as Record<keyof Signoff, string>;
