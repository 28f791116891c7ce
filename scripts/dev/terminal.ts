/**
 * What the terminal shows of the rebuilds: the diagnostics of the files that changed since the last one
 * (not the whole list again at every save), and one line per rebuild that did something.
 */
import type { Lang } from '../check/messages.ts';
import type { CheckedFile } from '../check/check-file.ts';
import type { KindModel } from '../build/form-kind.ts';
import type { BuildPlan } from '../build/plan.ts';
import { SETTINGS_FILE } from '../io/project.ts';
import { report } from '../io/report.ts';

/** Prints each rebuild's diagnostics of the files whose text changed since the previous rebuild. */
export class ChangedDiagnostics {
  /** Source texts as last seen, by checked file name (and SETTINGS_FILE for the settings). */
  readonly #seen = new Map<string, string>();
  readonly #opts: { lang: Lang; color: boolean; log: (s: string) => void };

  constructor(opts: { lang: Lang; color: boolean; log: (s: string) => void }) {
    this.#opts = opts;
  }

  /** Prints the diagnostics of the files that changed (all of them the first time), and the settings'. */
  report(plan: BuildPlan<KindModel>): void {
    const changedFiles = (plan.checked as unknown as CheckedFile[]).filter(
      (c) => this.#seen.get(c.file) !== c.source.text,
    );
    // One instance hears every kind's plan: the settings (the same in each) are reported once.
    const settingsChanged = this.#seen.get(SETTINGS_FILE) !== plan.settings.text;
    for (const c of plan.checked) this.#seen.set(c.file, c.source.text);
    this.#seen.set(SETTINGS_FILE, plan.settings.text);
    if (!changedFiles.length && !(settingsChanged && plan.settings.diagnostics.length)) return;
    report(changedFiles, settingsChanged ? plan.settings : undefined, {
      format: 'text',
      lang: this.#opts.lang,
      color: this.#opts.color,
      out: this.#opts.log,
      summary: false,
    });
  }
}

/** What one rebuild did, as far as its terminal line is concerned. */
export interface RebuildOutcome {
  /** `<year>/<code>` rendered. */
  rendered: readonly string[];
  /** Output files removed. */
  removed: readonly string[];
  errors: number;
  problemsChanged: boolean;
  ms: number;
}

const time = (): string => new Date().toTimeString().slice(0, 8);

/** The rebuild's line (`[12:00:00] 已生成 rebuilt 2025/x（0.4 秒）`), or undefined when it did nothing. */
export function rebuildLine(r: RebuildOutcome): string | undefined {
  if (!r.rendered.length && !r.removed.length && !r.problemsChanged) return undefined;
  const parts: string[] = [];
  const n = r.rendered.length;
  if (n) parts.push(`已生成 rebuilt ${n > 3 ? `${n} 个部门 departments` : r.rendered.join(', ')}`);
  if (r.removed.length) parts.push(`删除 removed ${r.removed.length} 个旧输出 stale files`);
  if (r.errors)
    parts.push(
      `${r.errors} 个错误，页面保留上次成功的结果 ` +
        `${r.errors} error${r.errors === 1 ? '' : 's'}: pages keep the last good output`,
    );
  else if (r.problemsChanged && !n) parts.push('错误已改正 errors fixed');
  return `[${time()}] ${parts.join('；')}（${(r.ms / 1000).toFixed(1)} 秒）`;
}
