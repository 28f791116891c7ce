/**
 * The build, by its parts (one idea a file), re-exported for callers that take it whole:
 *
 * - plan.ts: check the sources and decide what to render (`planBuild`), no browser, no writes;
 * - build-browser.ts: the one owner of a run's Chromium (`BuildBrowser`), and a cold build's early start;
 * - head-start.ts: forms measured and printed while the plan is still being made;
 * - print-form.ts: the one path from a planned form to a printed one (head start, measure ahead,
 *   prediction are strategies behind it);
 * - render-context.ts, render-document.ts: render one document and write it atomically;
 * - run.ts: the run over a plan (`runBuild`), and `build`, plan and run for the command line.
 */
export { BuildBrowser, closeWhileFinishing, createFormPool, type EarlyStart } from './build-browser.ts';
export { HeadStart } from './head-start.ts';
export { docPathOf, outputPath } from './paths.ts';
export {
  type BuildDocument,
  type BuildOptions,
  type BuildPlan,
  type FailedSource,
  planBuild,
  type Shard,
  shardOf,
} from './plan.ts';
export { measureAhead, printForm } from './print-form.ts';
export { createRenderContext, type RenderContext } from './render-context.ts';
export { type DocumentResult, indexEntry, removeOutputs, renderDocument, verifiedRecords } from './render-document.ts';
export { build, type BuildHooks, type BuildResult, runBuild, type RunOptions } from './run.ts';
