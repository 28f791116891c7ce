/**
 * Run as a child process by files.test.ts: leaves a temporary file of an atomic write in flight in the
 * folder given, says `ready`, and waits to be ended by a signal. With `listen`, the program listens for
 * SIGINT itself (as jxmb dev does) and says what it got.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempPathFor } from '../../scripts/io/files.ts';

const [dir, mode] = process.argv.slice(2);
if (mode === 'listen') process.on('SIGINT', () => {
  process.stdout.write('handled SIGINT\n');
  process.exit(0);
});
const tmp = tempPathFor(path.join(dir!, 'a.xlsx'));
writeFileSync(tmp, 'half a workbook');
process.stdout.write(`ready ${tmp}\n`);
// `exit`: the program ends itself (as jxmb.js does when its output pipe closes).
if (mode === 'exit') setTimeout(() => process.exit(3), 50);
setInterval(() => undefined, 1000);
