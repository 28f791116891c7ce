/**
 * Run as a child process by browser-pool.test.ts: opens and closes a pool `N` times, closing while its
 * pages are still being opened, and prints how many uncaught exceptions that caused.
 */
import { createFormPool } from '../../scripts/build/pipeline.ts';

let uncaught = 0;
process.on('uncaughtException', (e) => {
  uncaught++;
  process.stderr.write(`uncaught: ${e.message}\n`);
});
const cycles = Number(process.argv[2] ?? 10);
for (let i = 0; i < cycles; i++) {
  const pool = await createFormPool({}, 2);
  void pool.warm(2);
  await new Promise((r) => setTimeout(r, (i * 97) % 500));
  await pool.close();
}
await new Promise((r) => setTimeout(r, 300));
process.stdout.write(`uncaught ${uncaught}\n`);
