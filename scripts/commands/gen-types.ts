/** `jxmb gen-types [--check]`: TypeScript types from the JSON Schemas (CI runs --check so they cannot drift). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCommand } from '../_command.ts';
import { departmentSchema, selfEvaluationSchema, settingsSchema } from '../check/schema.ts';
import { writeFileAtomic } from '../io/files.ts';
import { schemaToTypes } from '../model/gen-types.ts';

const TARGET = fileURLToPath(new URL('../model/types.generated.ts', import.meta.url));

export function generatedTypes(): string {
  return [
    '// Generated from schema/*.schema.json by `npm run types` — do not edit by hand.',
    '',
    schemaToTypes(departmentSchema, 'DepartmentTargets'),
    schemaToTypes(settingsSchema, 'Settings'),
    schemaToTypes(selfEvaluationSchema, 'SelfEvaluation'),
  ].join('\n');
}

export default defineCommand({
  meta: {
    name: 'gen-types',
    description:
      '由 schema/ 生成 scripts/model/types.generated.ts。\n' +
      'Generate the TypeScript types of the data model from the JSON Schemas.',
  },
  args: { check: { type: 'boolean', description: '只检查是否过期 only check that the file is up to date' } },
  async run({ args, out, err }) {
    const want = generatedTypes();
    const have = await fs.readFile(TARGET, 'utf8').catch(() => '');
    const rel = path.relative(process.cwd(), TARGET);
    if (args.check) {
      if (have === want) return 0;
      err(`${rel} 与 schema 不一致 is out of date with the schema: run \`npm run types\``);
      return 1;
    }
    if (have !== want) await writeFileAtomic(TARGET, want);
    out(have === want ? `${rel} 已是最新 up to date` : `${rel} 已更新 written`);
    return 0;
  },
});
