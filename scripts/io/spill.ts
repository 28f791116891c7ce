/**
 * Bytes set aside on disk until needed (issue 17). A build holds every source from its check to its
 * render: kept in the heap, even deflated, a province's texts and models grow it without bound — and V8
 * lets a heap grow to several times what it holds before collecting it (measured: ~85 MB live, 350 MB
 * resident at 4,000 departments). Spilled, each costs a few bytes of heap and one read (~10 µs) when it
 * is wanted. One temporary file per process, removed when the process ends (at once where the system
 * lets an open file be removed). Should the disk refuse (full, read-only temp), the bytes stay in memory:
 * slower to nothing, only larger.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where spilled bytes are: in the file, or kept in memory when it could not be written. */
export type Spilled = { at: number; length: number } | Uint8Array;

let file: { fd: number; dir: string; size: number } | undefined;
let refused = false;

function open(): typeof file {
  if (file || refused) return file;
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-spill-'));
    const name = path.join(dir, 'spill');
    const fd = openSync(name, 'w+');
    file = { fd, dir, size: 0 };
    try {
      // Gone from the folder now; the open file lives on until the process ends (not on Windows).
      unlinkSync(name);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Removed at exit instead.
    }
    process.once('exit', () => {
      if (!file) return;
      closeSync(file.fd);
      rmSync(file.dir, { recursive: true, force: true });
    });
  } catch {
    refused = true;
  }
  return file;
}

/**
 * Sets `bytes` aside. Kept in memory they are copied (zlib hands back a view of its 16 KB output chunk,
 * which a view would keep whole).
 */
export function spill(bytes: Uint8Array): Spilled {
  const f = refused ? undefined : open();
  if (!f) return new Uint8Array(bytes);
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(f.fd, bytes, done, bytes.length - done, f.size + done);
    const at = f.size;
    f.size += bytes.length;
    return { at, length: bytes.length };
  } catch {
    refused = true;
    return new Uint8Array(bytes);
  }
}

/** The bytes set aside. */
export function unspill(s: Spilled): Uint8Array {
  if (s instanceof Uint8Array) return s;
  const out = Buffer.allocUnsafe(s.length);
  let done = 0;
  while (done < s.length) {
    const n = readSync(file!.fd, out, done, s.length - done, s.at + done);
    if (n === 0) throw new Error(`spill file ended at ${s.at + done}, ${s.length - done} bytes short`);
    done += n;
  }
  return out;
}
