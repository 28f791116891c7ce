/**
 * The overlay's problem list after a rebuild: every diagnostic of the files (and settings) that have
 * errors, errors first, each with its source text for the excerpt; then the documents that failed to render.
 */
import type { CheckedFile } from '../check/check-file.ts';
import { hasErrors, type LocatedDiagnostic } from '../check/diagnostic.ts';
import type { Lang } from '../check/messages.ts';
import type { KindModel } from '../build/form-kind.ts';
import type { BuildPlan } from '../build/plan.ts';
import { locateAll } from '../io/report.ts';
import type { DevProblem } from './page.ts';

const bySeverity = (a: LocatedDiagnostic, b: LocatedDiagnostic): number =>
  a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1;

/**
 * The problems the plans' checks found (the targets files', then the self-evaluations'; the settings are
 * the same for every plan, said once), followed by `renderFailures`.
 */
export function overlayProblems(
  plans: readonly BuildPlan<KindModel>[],
  renderFailures: readonly DevProblem[],
  lang: Lang,
): DevProblem[] {
  const settings = plans[0]!.settings;
  const checked = plans.flatMap((p) => p.checked) as unknown as CheckedFile[];
  // A file with only warnings is not shown, unless the settings fail: then every file is blocked.
  const settingsFailed = hasErrors(settings.diagnostics);
  const failing = checked.filter((c) => hasErrors(c.diagnostics) || (settingsFailed && c.diagnostics.length));
  const located = locateAll(failing, settingsFailed ? settings : undefined, lang);
  const texts = new Map<string, string>(checked.map((c) => [c.file, c.source.text]));
  if (settings.file) texts.set(settings.file, settings.text);
  return [
    ...located
      .sort(bySeverity)
      .map((d) => ({ diagnostic: d, ...(texts.get(d.file) ? { text: texts.get(d.file)! } : {}) })),
    ...renderFailures,
  ];
}

/** What tells two problem lists apart (the source texts aside): open pages reload when it changes. */
export const problemsKey = (problems: readonly DevProblem[]): string =>
  JSON.stringify(problems.map((p) => p.diagnostic ?? p.renderFailure));

/** How many of the problems are errors (render failures included). */
export const errorCount = (problems: readonly DevProblem[]): number =>
  problems.filter((p) => p.renderFailure || p.diagnostic?.severity === 'error').length;
