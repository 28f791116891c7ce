/**
 * A worker thread of `validate` (validate-files.ts): checks the units it is sent and sends back their
 * reports. Two messages may be in flight: each is answered when done, in any order, with its id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkUnit, type Unit, type UnitOptions, type WorkerReply } from './validate-files.ts';

const opts = workerData as UnitOptions;
let queue = Promise.resolve();
parentPort!.on('message', (m: { id: number; unit: Unit }) => {
  // One at a time (checking is synchronous work; the queue keeps replies in order of arrival).
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = { id: m.id, reports: await checkUnit(m.unit, opts) };
    } catch (e) {
      reply = { id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    parentPort!.postMessage(reply);
  });
});
