/**
 * A minimal zip reader and writer for the import tests, written independently of the importer's own
 * zip checks: take a good workbook apart, swap or add parts, break sizes, CRCs and flags, put it back.
 */
import { createDeflateRaw, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface Part {
  name: string;
  /** The deflated bytes as stored. */
  deflated: Uint8Array;
  /** Written into the directory as is, so a test can lie. */
  size: number;
  crc: number;
  flags?: number;
}

/** A part from its content. */
export const part = (name: string, content: string | Uint8Array): Part => {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  return { name, deflated: deflateRawSync(data), size: data.length, crc: crc32(data) };
};

/** A part of `size` zero bytes, deflated as a stream (a few hundred KB for 800 MB, never held whole). */
export async function zerosPart(name: string, size: number): Promise<Part> {
  const chunk = Buffer.alloc(1024 * 1024);
  const out: Buffer[] = [];
  const z = createDeflateRaw({ level: 9 });
  z.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((resolve) => z.on('end', resolve));
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    if (!z.write(piece)) await new Promise((resolve) => z.once('drain', resolve));
  }
  z.end();
  await done;
  return { name, deflated: Buffer.concat(out), size, crc };
}

/** The parts of a zip (deflated ones only, as Excel and exceljs write them). */
export function readZip(bytes: Uint8Array): Part[] {
  const b = Buffer.from(bytes);
  let eocd = b.length - 22;
  while (b.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const parts: Part[] = [];
  let at = b.readUInt32LE(eocd + 16);
  for (let k = b.readUInt16LE(eocd + 10); k > 0; k--) {
    const nameLen = b.readUInt16LE(at + 28);
    const local = b.readUInt32LE(at + 42);
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    parts.push({
      name: b.toString('utf8', at + 46, at + 46 + nameLen),
      deflated: b.subarray(start, start + b.readUInt32LE(at + 20)),
      size: b.readUInt32LE(at + 24),
      crc: b.readUInt32LE(at + 16),
    });
    at += 46 + nameLen + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  return parts;
}

/** A part's content. */
export const contentOf = (p: Part): string => inflateRawSync(p.deflated).toString('utf8');

/** Parts → zip bytes (method 8, no data descriptors). */
export function writeZip(parts: Part[]): Uint8Array {
  const locals: Buffer[] = [];
  const dir: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(p.flags ?? 0x0800, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(p.crc >>> 0, 14);
    h.writeUInt32LE(p.deflated.length, 18);
    h.writeUInt32LE(p.size, 22);
    h.writeUInt16LE(name.length, 26);
    locals.push(h, name, Buffer.from(p.deflated));
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(p.flags ?? 0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(p.crc >>> 0, 16);
    c.writeUInt32LE(p.deflated.length, 20);
    c.writeUInt32LE(p.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    dir.push(c, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const dirBytes = Buffer.concat(dir);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dirBytes, end]));
}
