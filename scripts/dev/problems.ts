/**
 * The overlay's problem list after a rebuild: every diagnostic of the files (and settings) that have
 * errors, errors first, each with its source text for the excerpt; then the documents that failed to render.
 */
import type { CheckedFile } from '../check/check-file.ts';
import { hasErrors, type LocatedDiagnostic } from '../check/diagnostic.ts';
import type { Lang } from '../check/messages.ts';
import type { BuildPlan } from '../build/plan.ts';
import { locateAll } from '../io/report.ts';
import type { DevProblem } from './page.ts';

const bySeverity = (a: LocatedDiagnostic, b: LocatedDiagnostic): number =>
  a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1;

/** The problems a plan's checks found, followed by `renderFailures`. */
export function overlayProblems(plan: BuildPlan, renderFailures: readonly DevProblem[], lang: Lang): DevProblem[] {
  // A file with only warnings is not shown, unless the settings fail: then every file is blocked.
  const failing = plan.checked.filter((c) => hasErrors(c.diagnostics) || (plan.settingsFailed && c.diagnostics.length));
  const located = locateAll(failing, hasErrors(plan.settings.diagnostics) ? plan.settings : undefined, lang);
  const texts = new Map<string, string>(plan.checked.map((c: CheckedFile) => [c.file, c.source.text]));
  if (plan.settings.file) texts.set(plan.settings.file, plan.settings.text);
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
