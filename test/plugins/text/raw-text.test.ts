import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/errors/errors.js';
import { nodeTextIo } from '../../../plugins/text/index.js';
import { readCaption } from '../../../plugins/text/raw-text.js';

describe('reading captions', () => {
  it('reads a caption given as a string', async () => {
    expect(await readCaption({ kind: 'text', text: 'a seven' }, 'row 1')).toBe('a seven');
  });

  it('decodes a caption given as UTF-8 bytes', async () => {
    const bytes = new TextEncoder().encode('fünf – 5');
    expect(await readCaption({ kind: 'text', text: bytes }, 'row 1')).toBe('fünf – 5');
  });

  it('rejects invalid UTF-8 with a DataError naming the source', async () => {
    const bad = Uint8Array.from([0x61, 0xff, 0xfe, 0x62]);
    const reading = readCaption({ kind: 'text', text: bad }, 'captions.csv row 17');
    await expect(reading).rejects.toBeInstanceOf(DataError);
    await expect(reading).rejects.toThrow(/captions\.csv row 17.*not valid UTF-8/);
  });

  it('reads a .txt caption file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmae-text-'));
    const path = join(dir, 'seven.txt');
    await writeFile(path, '\uFEFFthe digit seven\n');
    expect(await readCaption({ kind: 'file', path }, 'sample 3', nodeTextIo)).toBe(
      'the digit seven\n',
    );
  });

  it('rejects a missing caption file with a DataError naming the path', async () => {
    const path = join(tmpdir(), 'mmae-text-no-such-dir', 'gone.txt');
    const reading = readCaption({ kind: 'file', path }, 'sample 3', nodeTextIo);
    await expect(reading).rejects.toBeInstanceOf(DataError);
    await expect(reading).rejects.toThrow(path);
  });

  it('rejects a caption file that is not .txt', async () => {
    const reading = readCaption({ kind: 'file', path: '/data/seven.png' }, 'sample 3', nodeTextIo);
    await expect(reading).rejects.toThrow(/seven\.png.*not a \.txt file/);
  });

  it('rejects a file of invalid UTF-8 naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmae-text-'));
    const path = join(dir, 'latin1.txt');
    await writeFile(path, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await expect(readCaption({ kind: 'file', path }, 'sample 3', nodeTextIo)).rejects.toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*not valid UTF-8`),
    );
  });

  it('rejects a non-text raw value with a DataError naming the sample and the kind', async () => {
    const audio = {
      kind: 'decoded',
      value: { sampleRate: 8000, samples: new Float32Array(4) },
    } as const;
    await expect(readCaption(audio, 'fsdd/3_jackson_0')).rejects.toThrow(
      /fsdd\/3_jackson_0.*'decoded'/,
    );
  });
});
