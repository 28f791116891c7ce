/**
 * Outputs whose source is gone, or now builds under another year or department code: `jxmb dev` keeps
 * the last good outputs of a source that fails its checks, so it must itself remember where each
 * source's outputs are to remove the ones nothing will rebuild.
 */
import path from 'node:path';
import type { KindModel } from '../build/form-kind.ts';
import type { BuildPlan } from '../build/plan.ts';
import { removeOutputs } from '../build/render-document.ts';

type Target = { fiscalYear: number; code: string };

const docKey = (d: Target): string => `${d.fiscalYear}/${d.code}`;

/** Where each source's outputs are, by source path relative to the root; removes what went stale. */
export class OutputTargets {
  readonly #targets = new Map<string, Target>();
  readonly #dirs: { cwd: string; root: string; outDir: string };

  constructor(dirs: { cwd: string; root: string; outDir: string }) {
    this.#dirs = dirs;
  }

  /**
   * Removes the outputs of sources the plan no longer has and of sources whose year or code changed,
   * then records where the plan's documents go. Returns the files removed.
   */
  async prune(plan: BuildPlan<KindModel>): Promise<string[]> {
    const { cwd, root, outDir } = this.#dirs;
    const removed: string[] = [];
    // A source that merely fails its checks is still in the plan (checked), so it keeps its outputs.
    const present = new Set(plan.checked.map((c) => path.resolve(cwd, c.file)));
    for (const [source, target] of this.#targets) {
      if (present.has(path.resolve(root, source))) continue;
      removed.push(...(await removeOutputs(outDir, target)));
      this.#targets.delete(source);
    }
    for (const d of plan.documents) {
      const before = this.#targets.get(d.source);
      if (before && docKey(before) !== docKey(d.model)) removed.push(...(await removeOutputs(outDir, before)));
      this.#targets.set(d.source, { fiscalYear: d.model.fiscalYear, code: d.model.code });
    }
    return removed;
  }
}
