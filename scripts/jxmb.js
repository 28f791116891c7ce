#!/usr/bin/env node
// The `jxmb` command. Runs the compiled copy of scripts/ (scripts/dist/, made by `npm install` or
// `npm run compile`) while it is fresh; otherwise the TypeScript itself, through tsx, so there is no
// build step between editing a source and using it (scripts/setup/compile.js). JXMB_TSX=1: always tsx.
import { staleReason } from './setup/compile.js';

// Output piped into something that stops reading (`jxmb diff … | head`): stop quietly, as other
// command-line tools do, instead of ending with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const stale = process.env.JXMB_TSX === '1' ? 'JXMB_TSX=1' : staleReason();
let cli;
if (stale === undefined) {
  cli = await import('./dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./cli.ts');
}
process.env.JXMB_RUNTIME = stale === undefined ? 'compiled' : `tsx (${stale})`;
process.exitCode = await cli.main(process.argv.slice(2));
