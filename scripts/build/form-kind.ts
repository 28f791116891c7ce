/**
 * A form kind is data the build is given: how its sources are checked and turned into models (schema,
 * checks, model builder), how a model is rendered into which outputs (templates, writers), and what the
 * index shows of it. The targets form (scripts/forms/targets.ts) is one; a second kind plugs in without copying the
 * pipeline (tests/forms/ has a small one).
 */
import type { CheckedFile } from '../check/check-file.ts';
import type { TargetsHandover } from '../io/self-eval.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import type { IndexEntry, OutputFormat } from '../render/outputs.ts';
import type { PageSlice } from '../render/paginate.ts';
import type { RequestLogEntry } from '../browser/form-page.ts';
import type { BuildDocument } from '../build/plan.ts';
import type { RenderContext } from '../build/render-context.ts';

/** What the build needs of every model: where its outputs go and what the index calls it. */
export interface KindModel {
  fiscalYear: number;
  code: string;
  name: string;
}

/** A checked source of a kind: its diagnostics, and its model when it has no errors. */
export type KindChecked<M extends KindModel> = Omit<CheckedFile, 'model'> & { model?: M };

export interface KindCheckOptions<M extends KindModel> {
  dataDir: string;
  root: string;
  cwd: string;
  settings: ResolvedSettings;
  /** Called as each source is checked (a cold build's head start). */
  onChecked?: (c: KindChecked<M>) => void;
  /** Keep each valid source small once checked (io/project.ts leanChecked): a build of thousands. */
  lean?: boolean;
  /** The targets files a plan alongside is checking, handed over as they are checked (self-evaluations). */
  handover?: TargetsHandover;
  /** Awaited between sources when it returns a promise: the plan alongside has fallen behind. */
  pace?: () => Promise<void> | undefined;
}

/** One document rendered: its bytes per format, and what printing it found. */
export interface RenderedDocument {
  files: Partial<Record<OutputFormat, string | Uint8Array>>;
  pages?: PageSlice[];
  /** Pages whose single row (or title block) is taller than a page, so their end is cut off. */
  overfull?: number[];
  requests?: RequestLogEntry[];
}

export interface FormKind<M extends KindModel = KindModel> {
  readonly id: string;
  /** Formats that need the browser (printed or measured in Chromium). */
  readonly browserFormats: readonly OutputFormat[];
  /**
   * Optional: the kind's sources. `find`: every one under the data folder (default: the targets files);
   * `select`: of the files and folders given on the command line, expanded, those the kind builds
   * (default: every file that is not a self-evaluation).
   */
  readonly sources?: {
    find(dataDir: string): Promise<string[]>;
    select(expanded: readonly string[]): string[];
  };
  /** Schema, checks and model builder, source by source (in order). */
  checkFiles(files: string[], opts: KindCheckOptions<M>): Promise<KindChecked<M>[]>;
  /** Checks across sources (a code used twice); marks the failing ones by dropping their model. */
  checkProject(checked: KindChecked<M>[]): void;
  /** Year and code a failing source's outputs would have, from its data when it can be read. */
  targetOf(c: KindChecked<M>): { fiscalYear: number; code: string } | undefined;
  /** The index columns of a model (dates ISO `YYYY-MM-DD`, when the kind has them). */
  indexColumns(model: M): {
    indicators: number;
    pointsSum: number;
    filed?: string;
    reviewed?: string;
    selfEval?: IndexEntry['selfEval'];
  };
  /** Optional: the name a failing source gives itself, when its data can be read that far (the index row). */
  nameOf?(c: KindChecked<M>): string | undefined;
  /** Renders one document in `formats` (a subset of what it may produce). */
  render(doc: BuildDocument<M>, formats: readonly OutputFormat[], ctx: RenderContext): Promise<RenderedDocument>;
  /**
   * Optional: the HTML page of what changed from one table of a department to the next (build/diff-pages.ts
   * writes it beside the forms); undefined when a side does not pass its checks.
   */
  diffHtml?(from: DiffPageSide, to: DiffPageSide, settings: ResolvedSettings, src: DiffPageSources): string | undefined;
  /** Optional: work done for a chunk of documents before they render (the targets form measures them). */
  prepare?(docs: readonly BuildDocument<M>[], ctx: RenderContext): Promise<void>;
}

/** One side of a diff page: a source's bytes, where it is, and what to call it (its year). */
export interface DiffPageSide {
  shown: string;
  bytes: Uint8Array;
  /** Its path under the data folder (`2025/x.yaml`), for the checks of folder year and file name. */
  dataPath: string;
  label: string;
}

/** templates/diff.hbs, diff.css and form.css. */
export interface DiffPageSources {
  page: string;
  css: string;
  formCss?: string;
}
