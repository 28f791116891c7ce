/**
 * The parts of an .xlsx by name, unzipped one at a time when asked for. `zip-guard.ts` has already
 * checked the directory, every size and CRC by the time the import gets here; this reader still never
 * trusts the zip: each part is inflated under the caps of `limits.ts`, so it is safe on its own. Pure.
 */
import { inflateRawSync } from 'node:zlib';
import { MAX_ENTRY_BYTES, MAX_TOTAL_BYTES, MAX_ZIP_ENTRIES } from './limits.ts';
import { XlsxDamage } from './xlsx-damage.ts';

/** A zip's parts, looked up by name (case-insensitive, as Excel does). */
export interface ZipParts {
  /** Whether the zip holds a part of that name. */
  has(name: string): boolean;
  /** The part's text (UTF-8, or UTF-16 with a byte-order mark); undefined when the zip lacks it. */
  text(name: string): string | undefined;
}

interface Entry {
  name: string;
  method: number;
  compressed: number;
  local: number;
}

const DAMAGED = ['zip 的文件目录损坏', 'the zip directory is damaged'] as const;

/** Reads the zip's directory. Throws `XlsxDamage` when it cannot be read. */
export function openZip(bytes: Uint8Array): ZipParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  const within = (at: number, len: number): boolean => at >= 0 && len >= 0 && at + len <= bytes.length;

  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxDamage(...DAMAGED);
  let count = u16(eocd + 10);
  let at = u32(eocd + 16);
  if ((count === 0xffff || at === 0xffffffff) && eocd >= 20 && u32(eocd - 20) === 0x07064b50) {
    const z64 = u64(eocd - 12);
    if (!within(z64, 56) || u32(z64) !== 0x06064b50) throw new XlsxDamage(...DAMAGED);
    count = u64(z64 + 32);
    at = u64(z64 + 48);
  }
  if (count > MAX_ZIP_ENTRIES) throw new XlsxDamage(...DAMAGED);
  const entries = new Map<string, Entry>();
  for (let k = 0; k < count; k++) {
    if (!within(at, 46) || u32(at) !== 0x02014b50) throw new XlsxDamage(...DAMAGED);
    const nameLen = u16(at + 28);
    const extraLen = u16(at + 30);
    if (!within(at + 46, nameLen + extraLen)) throw new XlsxDamage(...DAMAGED);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen)).replace(/^\//, '');
    const e: Entry = { name, method: u16(at + 10), compressed: u32(at + 20), local: u32(at + 42) };
    const size = u32(at + 24);
    // Sizes and offsets too big for 32 bits live in the zip64 extra field, in this order.
    for (let x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen; x += 4 + u16(x + 2)) {
      if (u16(x) !== 0x0001) continue;
      let p = x + 4;
      if (size === 0xffffffff) p += 8;
      for (const key of ['compressed', 'local'] as const) {
        if (e[key] !== 0xffffffff || !within(p, 8)) continue;
        e[key] = u64(p);
        p += 8;
      }
    }
    entries.set(name.toLowerCase(), e);
    at += 46 + nameLen + extraLen + u16(at + 32);
  }

  let total = 0;
  const data = (e: Entry): Uint8Array => {
    if (!within(e.local, 30) || u32(e.local) !== 0x04034b50) {
      throw new XlsxDamage('部件的本地文件头损坏', 'its local header is damaged', e.name);
    }
    const start = e.local + 30 + u16(e.local + 26) + u16(e.local + 28);
    if (!within(start, e.compressed)) {
      throw new XlsxDamage('部件不完整（文件被截断）', 'it is cut short (the file is truncated)', e.name);
    }
    const stored = bytes.subarray(start, start + e.compressed);
    const room = Math.max(1, Math.min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES - total));
    let out: Uint8Array;
    if (e.method === 0) out = stored;
    else if (e.method === 8) {
      try {
        out = inflateRawSync(stored, { maxOutputLength: room });
      } catch {
        throw new XlsxDamage('部件的压缩数据损坏或过大', 'its compressed data is damaged or too large', e.name);
      }
    } else throw new XlsxDamage('部件使用了不支持的压缩方式', 'it uses an unsupported compression method', e.name);
    if (out.length > room) throw new XlsxDamage('部件过大', 'it is too large', e.name);
    total += out.length;
    return out;
  };
  return {
    has: (name) => entries.has(name.toLowerCase()),
    text: (name) => {
      const e = entries.get(name.toLowerCase());
      return e && decodePart(data(e));
    },
  };
}

/** XML parts are UTF-8 unless a byte-order mark says UTF-16 (allowed by OPC, never written by Excel). */
function decodePart(b: Uint8Array): string {
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b);
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b);
  return new TextDecoder().decode(b);
}
