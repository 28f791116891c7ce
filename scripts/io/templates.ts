/** Reads the Handlebars templates and the print stylesheet from templates/ (the edge of the render stage). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FormTemplateSources } from '../render/html.ts';

/** templates/ of this installation (not of the user's project: the form is the tool's, not the data's). */
export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates');

/** templates/self-eval.css: the 自评表's print stylesheet (render/self-eval-form.ts). */
export const readSelfEvalCss = (dir = TEMPLATES_DIR): Promise<string> =>
  fs.readFile(path.join(dir, 'self-eval.css'), 'utf8');

/** The form template, its partials (`templates/partials/*.hbs`, named by file) and form.css. */
export async function readFormTemplates(dir = TEMPLATES_DIR): Promise<FormTemplateSources> {
  const partialsDir = path.join(dir, 'partials');
  const names = (await fs.readdir(partialsDir).catch(() => [] as string[])).filter((f) => f.endsWith('.hbs')).sort();
  const partials: Record<string, string> = {};
  for (const f of names) partials[f.slice(0, -'.hbs'.length)] = await fs.readFile(path.join(partialsDir, f), 'utf8');
  const [form, css] = await Promise.all([
    fs.readFile(path.join(dir, 'form.hbs'), 'utf8'),
    fs.readFile(path.join(dir, 'form.css'), 'utf8'),
  ]);
  return { form, css, partials };
}

/** templates/summary.hbs: the bureau's summary of a year's self-evaluations (render/summary.ts). */
export const readSummaryTemplate = (dir = TEMPLATES_DIR): Promise<string> =>
  fs.readFile(path.join(dir, 'summary.hbs'), 'utf8');
