/**
 * A store-only ZIP writer (no compression) with CRC-32, for the training page's "Save run": a
 * run directory's files as one download. Written here because no ZIP library is installed and
 * the project adds no packages; a run's weights are float32 and barely compress anyway. It writes
 * the plain PKZIP layout every unzip reads (APPNOTE 6.3.10: local headers, central directory,
 * end record), without ZIP64, so it refuses what ZIP64 would need: more than 65,535 files or 4 GiB.
 * Names are relative '/'-separated paths of printable ASCII, none absolute or with `..`.
 */

const MAX_ENTRIES = 0xffff;
const MAX_BYTES = 0xffffffff;

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, the polynomial ZIP and gzip use) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

function checkName(name: string): Uint8Array {
  const ok =
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= 255 &&
    /^[\x21-\x7e]+$/.test(name) &&
    !name.startsWith('/') &&
    !name.includes('\\') &&
    name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
  if (!ok) {
    throw new Error(
      `zip: ${JSON.stringify(name)} is not a file name a zip can hold here (relative, printable ` +
        'ASCII, no empty, "." or ".." parts, at most 255 characters).',
    );
  }
  return new TextEncoder().encode(name);
}

/** The ZIP archive of `entries`, in order, stored uncompressed, dated `date` (DOS time). */
export function zipStore(entries: readonly ZipEntry[], date = new Date()): Uint8Array {
  if (entries.length > MAX_ENTRIES) {
    throw new Error(`zip: ${entries.length} files; a zip without ZIP64 holds ${MAX_ENTRIES}.`);
  }
  const seen = new Set<string>();
  const time =
    (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2);
  const day =
    ((Math.max(1980, date.getFullYear()) - 1980) << 9) |
    ((date.getMonth() + 1) << 5) |
    date.getDate();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = checkName(entry.name);
    if (seen.has(entry.name)) throw new Error(`zip: ${entry.name} is given twice.`);
    seen.add(entry.name);
    if (!(entry.data instanceof Uint8Array)) throw new Error(`zip: ${entry.name} has no bytes.`);
    const size = entry.data.byteLength;
    const crc = crc32(entry.data);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, 0, true); // flags
    l.setUint16(8, 0, true); // method: stored
    l.setUint16(10, time, true);
    l.setUint16(12, day, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, size, true);
    l.setUint32(22, size, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true); // made by: MS-DOS-compatible, 2.0
    c.setUint16(6, 20, true);
    c.setUint16(8, 0, true);
    c.setUint16(10, 0, true);
    c.setUint16(12, time, true);
    c.setUint16(14, day, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, size, true);
    c.setUint32(24, size, true);
    c.setUint16(28, name.length, true);
    // extra, comment, disk, internal and external attributes: zero
    c.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, entry.data);
    centrals.push(central);
    offset += local.byteLength + size;
    if (offset > MAX_BYTES)
      throw new Error('zip: more than 4 GiB; a zip without ZIP64 holds less.');
  }
  const centralSize = centrals.reduce((sum, b) => sum + b.byteLength, 0);
  if (offset + centralSize + 22 > MAX_BYTES) {
    throw new Error('zip: more than 4 GiB; a zip without ZIP64 holds less.');
  }
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  const out = new Uint8Array(offset + centralSize + 22);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * Reads back what zipStore writes (stored entries, no ZIP64): by the central directory, each
 * entry's local header checked against it and its CRC-32 checked. For tests and for a page that
 * opens a saved run; anything else (compressed, encrypted, spanned) is refused by name.
 */
export function unzipStore(zip: Uint8Array, maxBytes = 1 << 30): Map<string, Uint8Array> {
  if (zip.byteLength > maxBytes)
    throw new Error(`unzip: ${zip.byteLength} bytes, over ${maxBytes}.`);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const fail = (why: string): never => {
    throw new Error(`unzip: ${why}`);
  };
  if (zip.byteLength < 22) fail('too short for a zip');
  const endAt = zip.byteLength - 22; // no archive comment: zipStore writes none
  if (view.getUint32(endAt, true) !== 0x06054b50) fail('no end record (or an archive comment)');
  const count = view.getUint16(endAt + 10, true);
  const centralSize = view.getUint32(endAt + 12, true);
  const centralAt = view.getUint32(endAt + 16, true);
  if (centralAt + centralSize !== endAt)
    fail('the central directory is not where the end record says');
  const files = new Map<string, Uint8Array>();
  let at = centralAt;
  for (let i = 0; i < count; i++) {
    if (at + 46 > endAt || view.getUint32(at, true) !== 0x02014b50) fail(`entry ${i} is damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    if (method !== 0 || (flags & 1) !== 0) fail(`entry ${i} is compressed or encrypted`);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const localAt = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    checkName(name);
    if (files.has(name)) fail(`${name} appears twice`);
    if (localAt + 30 > centralAt || view.getUint32(localAt, true) !== 0x04034b50) {
      fail(`${name}: no local header`);
    }
    const dataAt =
      localAt + 30 + view.getUint16(localAt + 26, true) + view.getUint16(localAt + 28, true);
    if (dataAt + size > centralAt) fail(`${name} runs past the data`);
    const data = zip.slice(dataAt, dataAt + size);
    if (crc32(data) !== crc) fail(`${name} fails its CRC-32`);
    files.set(name, data);
    at += 46 + nameLength + skip;
  }
  return files;
}
