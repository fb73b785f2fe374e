// A small, strict ZIP reader for uploads: entries come from the central directory, names are
// checked for path traversal, and limits on entry count, declared and actual uncompressed
// size and compression ratio stop zip bombs before and during inflation. Only "stored" and
// "deflate" entries are read, never encrypted, spanned or ZIP64 ones. Nothing is written to
// disk and nothing in the archive is ever run.
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  /** Sum of all entries' uncompressed sizes. */
  maxUncompressedBytes: number;
  /** Uncompressed over compressed size, per entry. */
  maxRatio: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  flags: number;
}

export class ZipError extends Error {
  override name = 'ZipError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new ZipError('not a zip archive (no end of central directory)');
}

/** True for names that could leave the folder they are extracted into. */
export function unsafeName(name: string): boolean {
  if (name.length === 0 || name.includes('\0')) return true;
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[\\/]/).some((part) => part === '..');
}

/** Lists the entries of a ZIP held in memory, checking names and limits. */
export function listZip(buf: Buffer, limits: ZipLimits): ZipEntry[] {
  if (buf.length < 22) throw new ZipError('not a zip archive (too short)');
  const end = findEndOfCentralDirectory(buf);
  const disk = buf.readUInt16LE(end + 4);
  const count = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (disk !== 0 || buf.readUInt16LE(end + 8) !== count)
    throw new ZipError('multi-part (spanned) archives are not accepted');
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('ZIP64 archives are not accepted');
  if (count > limits.maxEntries)
    throw new ZipError(`the archive has ${count} entries; at most ${limits.maxEntries} are accepted`);
  if (cdOffset + cdSize > end) throw new ZipError('the central directory lies outside the archive');
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CENTRAL)
      throw new ZipError(`central directory entry ${i + 1} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen > end) throw new ZipError(`central directory entry ${i + 1} is damaged`);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (unsafeName(name)) throw new ZipError(`entry "${name}" has an unsafe path (absolute or with "..")`);
    if (flags & 0x1) throw new ZipError(`entry "${name}" is encrypted`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff)
      throw new ZipError(`entry "${name}" needs ZIP64, which is not accepted`);
    if (method !== 0 && method !== 8)
      throw new ZipError(
        `entry "${name}" uses compression method ${method}; only stored and deflate are read`,
      );
    if (method === 0 && size !== compressedSize) throw new ZipError(`entry "${name}" is damaged`);
    if (size > Math.max(1, compressedSize) * limits.maxRatio)
      throw new ZipError(
        `entry "${name}" expands ${Math.round(size / Math.max(1, compressedSize))} times; at most ${limits.maxRatio} is accepted (zip bomb?)`,
      );
    total += size;
    if (total > limits.maxUncompressedBytes)
      throw new ZipError(`the archive expands to more than ${limits.maxUncompressedBytes} bytes (zip bomb?)`);
    entries.push({ name, method, crc, compressedSize, size, localOffset, flags });
  }
  return entries;
}

/** Reads one entry; its size may not exceed what the central directory declared. */
export function readZipEntry(buf: Buffer, e: ZipEntry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL)
    throw new ZipError(`entry "${e.name}" has no local header`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new ZipError(`entry "${e.name}" is truncated`);
  const raw = buf.subarray(start, start + e.compressedSize);
  let out: Buffer;
  if (e.method === 0) out = Buffer.from(raw);
  else {
    try {
      // Inflation stops at the declared size: an entry that lies about it cannot expand further.
      out = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      throw new ZipError(
        (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
          ? `entry "${e.name}" expands beyond its declared size (zip bomb?)`
          : `entry "${e.name}" does not inflate (${(err as Error).message})`,
      );
    }
  }
  if (out.length !== e.size) throw new ZipError(`entry "${e.name}" is not the size it declares`);
  if (crc32(out) >>> 0 !== e.crc >>> 0) throw new ZipError(`entry "${e.name}" fails its CRC check`);
  return out;
}

/** The one .jsonl file of an upload (folders and macOS metadata aside). */
export function jsonlFromZip(buf: Buffer, limits: ZipLimits): { name: string; text: Buffer } {
  const files = listZip(buf, limits).filter(
    (e) =>
      !e.name.endsWith('/') && !e.name.startsWith('__MACOSX/') && !e.name.split('/').pop()?.startsWith('._'),
  );
  const jsonl = files.filter((e) => e.name.toLowerCase().endsWith('.jsonl'));
  if (jsonl.length !== 1)
    throw new ZipError(
      `the archive must hold exactly one .jsonl file; it holds ${jsonl.length}${
        files.length
          ? ` (${files
              .slice(0, 5)
              .map((e) => e.name)
              .join(', ')})`
          : ''
      }`,
    );
  return { name: jsonl[0].name, text: readZipEntry(buf, jsonl[0]) };
}
