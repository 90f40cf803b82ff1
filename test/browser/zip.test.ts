/**
 * The training page's store-only ZIP writer (web/zip.ts): CRC-32 against zlib's, a round trip
 * through its reader, the archive read by Python's zipfile (an independent reader) where python3
 * is installed, and the names and sizes it refuses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, unzipStore, zipStore } from '../../web/zip.js';

const python = spawnSync('python3', ['-c', 'import zipfile']).status === 0;

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('zipStore', () => {
  it('computes the CRC-32 zlib computes', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    for (const n of [0, 1, 255, 4096, 100_001]) {
      const data = bytes(n, n + 7);
      if (typeof zlibCrc32 === 'function') expect(crc32(data)).toBe(zlibCrc32(data));
    }
  });

  const entries = [
    { name: 'manifest.json', data: new TextEncoder().encode('{"a": 1}\n') },
    { name: 'weights.bin', data: bytes(70_000, 1) },
    { name: 'empty.txt', data: new Uint8Array(0) },
    { name: 'eval/report.md', data: new TextEncoder().encode('# report\n') },
  ];

  it('round-trips through its reader, byte for byte', () => {
    const zip = zipStore(entries, new Date(2026, 11, 4, 3, 4, 6));
    const back = unzipStore(zip);
    expect([...back.keys()]).toEqual(entries.map((e) => e.name));
    for (const e of entries)
      expect(Buffer.from(back.get(e.name)!).equals(Buffer.from(e.data))).toBe(true);
    // A flipped data byte fails the CRC.
    const damaged = zip.slice();
    damaged[30 + 'manifest.json'.length + 2]! ^= 1;
    expect(() => unzipStore(damaged)).toThrow(/CRC-32/);
  });

  it.skipIf(!python)('writes a zip that Python zipfile reads, with its CRCs checked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmae-zip-'));
    try {
      const file = join(dir, 'run.zip');
      await writeFile(file, zipStore(entries));
      const script =
        'import sys, zipfile, json, hashlib\n' +
        'z = zipfile.ZipFile(sys.argv[1])\n' +
        'assert z.testzip() is None\n' +
        'print(json.dumps([[i.filename, i.file_size, i.compress_type, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))\n';
      const out = JSON.parse(
        execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }),
      ) as [string, number, number, string][];
      const { createHash } = await import('node:crypto');
      expect(out).toEqual(
        entries.map((e) => [
          e.name,
          e.data.byteLength,
          0,
          createHash('sha256').update(e.data).digest('hex'),
        ]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses names a zip should not carry, and duplicates', () => {
    for (const name of ['', '/abs', '../up', 'a/../b', 'a\\b', 'a//b', 'sp ace', 'é']) {
      expect(() => zipStore([{ name, data: new Uint8Array(1) }])).toThrow(/not a file name/);
    }
    const one = { name: 'a', data: new Uint8Array(1) };
    expect(() => zipStore([one, one])).toThrow(/twice/);
    expect(() => unzipStore(new Uint8Array(10))).toThrow(/too short/);
  });
});
