/**
 * A self-evaluation through the front of the pipeline: bytes → load → schema → the rules of SELF-EVAL.md
 * ("Rules a good validator enforces") against the targets file it sits beside → scores. Pure; the caller
 * reads both files.
 */
import { type Document, isScalar } from 'yaml';
import { loadSource, type LoadedSource } from '../load/load-yaml.ts';
import { keyPositionOf, locate, positionOf, rangeOf, type Path } from '../load/positions.ts';
import { formatNumber } from '../model/scoring.ts';
import {
  computeScore,
  type Evaluation,
  evaluate,
  isSelfEvalPath,
  matchResults,
  SELF_EVAL_SCHEMA_COMMENT,
  selfEvalCodeOf,
} from '../model/self-eval.ts';
import { type ResolvedSettings, settingsForYear } from '../model/settings.ts';
import type { DepartmentTargets, SelfEvaluation } from '../model/types.generated.ts';
import { checkCharacters } from './characters.ts';
import { diag, type Diagnostic, hasErrors } from './diagnostic.ts';
import { checkGlyphs, type GlyphCoverage } from './glyphs.ts';
import { checkSelfEvaluationSchema } from './schema.ts';
import { closestNames } from './suggest.ts';

/** The targets file a self-evaluation evaluates, as the caller found it. */
export interface TargetsBeside {
  /** Its path as shown to the user (`data/2025/zhijiang-swkjgxj.yaml`). */
  file: string;
  /** Its data, when it exists and has no errors; `exists` false when there is no such file. */
  data?: DepartmentTargets;
  exists: boolean;
}

export interface SelfEvalCheckOptions {
  settings: ResolvedSettings;
  /** Path relative to the data folder (`2025/code.self-eval.yaml`), when the file lives in one. */
  dataPath?: string;
  targets: TargetsBeside;
  coverage?: GlyphCoverage;
}

export interface CheckedSelfEval {
  file: string;
  source: LoadedSource;
  diagnostics: Diagnostic[];
  /** Schema-valid data (may still carry rule errors). */
  data?: SelfEvaluation;
  /** The scores, when neither file has an error. */
  evaluation?: Evaluation;
  /** The targets file's data the scores were computed from (with `evaluation`). */
  targets?: DepartmentTargets;
}

const byPosition = (a: Diagnostic, b: Diagnostic): number => a.pos[0] - b.pos[0] || a.code.localeCompare(b.code);

export function checkSelfEvalFile(file: string, bytes: Uint8Array, opts: SelfEvalCheckOptions): CheckedSelfEval {
  const source = loadSource(bytes);
  const diagnostics = [...source.diagnostics, ...checkCharacters(source.text, source.doc)];
  if (opts.coverage && source.doc) diagnostics.push(...checkGlyphs(source.text, source.doc, opts.coverage));
  const finish = (extra: Partial<CheckedSelfEval> = {}): CheckedSelfEval => ({
    file,
    source,
    diagnostics: diagnostics.sort(byPosition),
    ...extra,
  });
  if (source.data === undefined || !source.doc) return finish();
  const explained = new Set(source.diagnostics.map((d) => source.lineCounter.linePos(d.pos[0]).line));
  const schemaDiags = checkSelfEvaluationSchema(source.data, source.doc, source.text).filter(
    (d) => !explained.has(source.lineCounter.linePos(d.pos[0]).line),
  );
  diagnostics.push(...schemaDiags);
  if (hasErrors(schemaDiags)) return finish();
  const data = source.data as SelfEvaluation;
  diagnostics.push(...checkSelfEvalRules(data, { doc: source.doc, text: source.text }, opts, file));
  const targets = opts.targets.data;
  if (hasErrors(diagnostics) || !targets) return finish({ data });
  const settings = settingsForYear(opts.settings, data.fiscal_year);
  return finish({ data, evaluation: evaluate(targets, data, settings), targets });
}

interface Src {
  doc: Document.Parsed;
  text: string;
}

/** The value at a path, or its key where the value is empty (`actual:` with nothing after it). */
function valuePosition(doc: Document.Parsed, text: string, path: Path): [number, number] {
  const at = locate(doc, path);
  if (at.node && isScalar(at.node) && at.node.value === null) return rangeOf(at.key) ?? positionOf(doc, text, path);
  return positionOf(doc, text, path);
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** The rules of SELF-EVAL.md on schema-valid data. */
export function checkSelfEvalRules(
  data: SelfEvaluation,
  { doc, text }: Src,
  opts: SelfEvalCheckOptions,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: Path): [number, number] => valuePosition(doc, text, path);

  // The editor's schema line, as for targets files.
  if (opts.dataPath) {
    const first = text.split('\n', 1)[0]!.replace(/\r$/, '');
    if (!/^#\s*yaml-language-server:\s*\$schema=\S*self-evaluation\.schema\.json\s*$/.test(first))
      out.push(diag('SCHEMA_COMMENT', 'warning', [0, first.length || 1], { line: SELF_EVAL_SCHEMA_COMMENT }));
  }

  // Which department and year: the file's name and folder, and the targets file they name.
  const code = isSelfEvalPath(file) ? selfEvalCodeOf(file) : undefined;
  if (code !== undefined && data.department !== code)
    out.push(
      diag('SELF_EVAL_DEPARTMENT_MISMATCH', 'error', at(['department']), {
        department: data.department,
        code,
        file: file.split(/[\\/]/).pop()!,
      }),
    );
  const folder = opts.dataPath?.split(/[\\/]/).slice(-2, -1)[0];
  if (folder !== undefined && /^\d{4}$/.test(folder) && Number(folder) !== data.fiscal_year)
    out.push(
      diag('YEAR_FOLDER_MISMATCH', 'error', at(['fiscal_year']), { year: data.fiscal_year, folder: Number(folder) }),
    );

  // Empty values a clerk still has to fill in (a skeleton from `jxmb self-eval init`).
  for (const k of ['initial', 'adjusted', 'spent'] as const)
    if (data.budget[k] === null)
      out.push(diag('SELF_EVAL_EMPTY', 'error', at(['budget', k]), { field: `budget.${k}` }));
  const { adjusted, spent } = data.budget;
  if (typeof adjusted === 'number' && typeof spent === 'number' && spent > adjusted)
    out.push(
      diag('SELF_EVAL_OVERSPENT', 'warning', at(['budget', 'spent']), {
        spent: formatNumber(spent),
        adjusted: formatNumber(adjusted),
      }),
    );
  data.goals.forEach((g, i) => {
    if (g === null || !g.trim())
      out.push(diag('SELF_EVAL_EMPTY', 'error', at(['goals', i]), { field: `goals[${i + 1}]` }));
  });

  const targets = opts.targets;
  if (!targets.exists) {
    out.push(diag('SELF_EVAL_NO_TARGETS', 'error', at(['department']), { targets: targets.file }));
    return out;
  }
  if (!targets.data) {
    out.push(diag('SELF_EVAL_TARGETS_INVALID', 'error', at(['department']), { targets: targets.file }));
    return out;
  }
  const t = targets.data;
  if (t.fiscal_year !== data.fiscal_year)
    out.push(
      diag('SELF_EVAL_YEAR_MISMATCH', 'error', at(['fiscal_year']), {
        year: data.fiscal_year,
        targetsYear: t.fiscal_year,
        targets: targets.file,
      }),
    );
  if (data.goals.length !== t.goals.length)
    out.push(
      diag('SELF_EVAL_GOALS_COUNT', 'error', keyPositionOf(doc, text, ['goals']), {
        count: data.goals.length,
        expected: t.goals.length,
        targets: targets.file,
      }),
    );

  // Every indicator exactly one result; every result an indicator.
  const match = matchResults(t.indicators, data.results);
  const names = [...new Set(t.indicators.map((i) => i.name))];
  for (const ri of match.unknown) {
    const r = data.results[ri]!;
    const byId = r.id !== undefined;
    const near = byId ? [] : closestNames(r.name, names);
    out.push(
      diag('SELF_EVAL_UNKNOWN_INDICATOR', 'error', at(['results', ri, byId ? 'id' : 'name']), {
        name: byId ? r.id! : r.name,
        byId: byId ? 'id' : 'name',
        targets: targets.file,
        ...(near.length ? { suggestions: near.join('、'), suggestionsEn: near.map((x) => `"${x}"`).join(', ') } : {}),
      }),
    );
  }
  for (const [ri, , earlier] of match.duplicate)
    out.push(
      diag('SELF_EVAL_DUPLICATE_RESULT', 'error', at(['results', ri, data.results[ri]!.id ? 'id' : 'name']), {
        name: data.results[ri]!.name,
        firstLine: lineAt(text, at(['results', earlier, 'name'])[0]),
      }),
    );
  match.byIndicator.forEach((ri, i) => {
    if (ri !== undefined) return;
    const ind = t.indicators[i]!;
    out.push(
      diag('SELF_EVAL_MISSING_RESULT', 'error', keyPositionOf(doc, text, ['results']), {
        name: ind.name,
        position: i + 1,
        targets: targets.file,
      }),
    );
  });

  // Each result: an actual of the kind its rule reads, a score within the points, a reason where points are lost.
  const settings = settingsForYear(opts.settings, data.fiscal_year);
  match.byResult.forEach((ii, ri) => {
    if (ii === undefined) return;
    const ind = t.indicators[ii]!;
    const r = data.results[ri]!;
    const base: Path = ['results', ri];
    const points = ind.scoring.points;
    const c = computeScore(ind, r.actual, settings);
    const manual = r.score !== undefined;
    const emptyActual = r.actual === null || (typeof r.actual === 'string' && !r.actual.trim());
    if (emptyActual) out.push(diag('SELF_EVAL_EMPTY', 'error', at([...base, 'actual']), { field: `${r.name}.actual` }));
    let known = !('problem' in c) || manual;
    if ('problem' in c && !emptyActual) {
      const p = c.problem;
      const actual = String(r.actual);
      if (p.kind === 'not-number')
        out.push(
          diag('SELF_EVAL_ACTUAL_NOT_NUMBER', 'error', at([...base, 'actual']), {
            name: ind.name,
            actual,
            ...(numberIn(actual) !== undefined ? { number: numberIn(actual)! } : {}),
            unit: ind.unit ?? '',
          }),
        );
      else if (p.kind === 'not-date')
        out.push(
          diag('SELF_EVAL_ACTUAL_NOT_DATE', 'error', at([...base, 'actual']), {
            name: ind.name,
            actual,
            target: String(ind.value),
          }),
        );
      else if (p.kind === 'unknown-grade')
        out.push(
          diag('SELF_EVAL_UNKNOWN_GRADE', 'error', at([...base, 'actual']), {
            name: ind.name,
            actual,
            labels: p.labels.join('、'),
            labelsEn: p.labels.map((l) => `"${l}"`).join(', '),
          }),
        );
      if (p.kind !== 'needs-score') known = false;
    }
    if ('problem' in c && c.problem.kind === 'needs-score' && !manual)
      out.push(
        diag('SELF_EVAL_SCORE_REQUIRED', 'error', at([...base, 'name']), {
          name: ind.name,
          why: c.problem.why,
          points: formatNumber(points),
        }),
      );
    if (manual && r.score! > points)
      out.push(
        diag('SELF_EVAL_SCORE_OVER_POINTS', 'error', at([...base, 'score']), {
          score: formatNumber(r.score!),
          points: formatNumber(points),
        }),
      );
    const score = manual ? r.score! : 'problem' in c ? undefined : c.score;
    if (r.reason === undefined && known && score !== undefined && score < points)
      out.push(
        diag('SELF_EVAL_REASON_MISSING', 'error', at([...base, manual ? 'score' : 'actual']), {
          name: ind.name,
          score: formatNumber(Math.round(score * 100) / 100),
          points: formatNumber(points),
        }),
      );
    else if (r.reason === undefined && manual)
      out.push(diag('SELF_EVAL_MANUAL_REASON', 'error', at([...base, 'score']), { name: ind.name }));
  });
  return out;
}

/** The number in text like `95%` or `3家`, for the fix hint. */
function numberIn(s: string): string | undefined {
  return /^\s*([-+]?\d+(?:\.\d+)?)\s*\S{0,4}\s*$/.exec(s)?.[1];
}
