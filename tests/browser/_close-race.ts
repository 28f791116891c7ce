/**
 * Run as a child process by pool.test.ts: opens and closes a pool `N` times, closing while its pages are
 * still being opened, and prints how many uncaught exceptions that caused.
 *
 * Each cycle closes at another point of the launch, reached by waiting for it rather than by the clock (a
 * loaded machine would shift a delay past the point it aimed at): before the browser is up, once it is up
 * while the pages are opening, and once the first page exists.
 */
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import { createFormPool } from '../../scripts/build/pipeline.ts';

let uncaught = 0;
process.on('uncaughtException', (e) => {
  uncaught++;
  process.stderr.write(`uncaught: ${e.message}\n`);
});

const POINTS: ((pool: BrowserPool, warming: Promise<void>) => Promise<unknown>)[] = [
  async () => undefined,
  (pool) => pool.browser(),
  async (pool, warming) => {
    const browser = await pool.browser();
    const created = new Promise((resolve) => browser.once('targetcreated', resolve));
    // The launch's own tab is one page; a second is the pool's. Warming that ends first ends the wait too.
    if ((await browser.pages()).length < 2) await Promise.race([created, warming]);
  },
];

const cycles = Number(process.argv[2] ?? 10);
for (let i = 0; i < cycles; i++) {
  const pool = await createFormPool({}, 2);
  const warming = pool.warm(2);
  await POINTS[i % POINTS.length]!(pool, warming);
  await pool.close();
  await warming;
}
// A late error (a pipe reset after Chromium was killed) is delivered before the event loop runs dry.
process.once('beforeExit', () => process.stdout.write(`uncaught ${uncaught}\n`));
