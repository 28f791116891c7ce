/**
 * Run as a child process by files.test.ts: leaves a temporary file of an atomic write in flight in the
 * folder given, says `ready`, and waits to be ended by a signal. With `listen`, the program listens for
 * SIGINT itself (as jxmb dev does) and says what it got. With `busy`, atomic writes go on in a loop and
 * a second listener holds the main thread for a while before ending the process (as the browser pool
 * does while Chromium goes): writes the thread pool had in hand meanwhile must not leave files either.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempPathFor, writeFileAtomic } from '../../scripts/io/files.ts';

const [dir, mode] = process.argv.slice(2);
if (mode === 'listen')
  process.on('SIGINT', () => {
    process.stdout.write('handled SIGINT\n');
    process.exit(0);
  });
if (mode === 'busy') {
  const onSignal = (signal: NodeJS.Signals): void => {
    const until = Date.now() + 300;
    while (Date.now() < until);
    process.off('SIGTERM', onSignal);
    process.kill(process.pid, signal);
  };
  process.on('SIGTERM', onSignal);
  const data = Buffer.alloc(256 * 1024, 1);
  let said = false;
  for (;;) {
    await Promise.all(Array.from({ length: 16 }, (_, j) => writeFileAtomic(path.join(dir!, `f${j}.bin`), data)));
    if (!said) process.stdout.write(`ready ${path.join(dir!, 'f0.bin')}\n`);
    said = true;
  }
}
const tmp = tempPathFor(path.join(dir!, 'a.xlsx'));
writeFileSync(tmp, 'half a workbook');
process.stdout.write(`ready ${tmp}\n`);
// `exit`: the program ends itself (as jxmb.js does when its output pipe closes).
if (mode === 'exit') setTimeout(() => process.exit(3), 50);
setInterval(() => undefined, 1000);
