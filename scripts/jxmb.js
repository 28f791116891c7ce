#!/usr/bin/env node
// The `jxmb` command. TypeScript runs through tsx: no build step between editing and using the tool.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
