import { describe, expect, it } from 'vitest';
import { TEXT_CORRUPTIONS, dropWords, typos } from '../../../plugins/text/corruptions.js';
import { DataError, SeededRandom } from '../../../src/index.js';

describe('text corruptions', () => {
  const text = 'a handwritten digit seven with a long stroke';

  it('drop nothing at rate 0, keep one word at rate 1 and repeat under a seed', () => {
    expect(dropWords(text, 0, new SeededRandom(1))).toBe(text);
    expect(dropWords(text, 1, new SeededRandom(1)).split(' ')).toHaveLength(1);
    const a = dropWords(text, 0.5, new SeededRandom(5));
    expect(a).toBe(dropWords(text, 0.5, new SeededRandom(5)));
    expect(a.split(' ').length).toBeLessThan(text.split(' ').length);
  });

  it('typos keep length and word count, change letters, and repeat under a seed', () => {
    expect(typos(text, 0, new SeededRandom(1))).toBe(text);
    const a = typos(text, 0.3, new SeededRandom(6));
    expect(a).toBe(typos(text, 0.3, new SeededRandom(6)));
    expect(a).not.toBe(text);
    expect(a).toHaveLength(text.length);
    expect(a.split(' ')).toHaveLength(text.split(' ').length);
  });

  it('rejects a rate outside [0, 1]', () => {
    expect(() => typos(text, 1.5, new SeededRandom(0))).toThrow(/rate is 1.5/);
  });
});

describe('the text corruptions a text instance declares', () => {
  it('corrupt a raw caption into a text value, a caption given as bytes too', async () => {
    const [dropout, typo] = TEXT_CORRUPTIONS;
    expect(TEXT_CORRUPTIONS.map((c) => `${c.on}:${c.name}`)).toEqual([
      'raw:word-dropout',
      'raw:typos',
    ]);
    if (dropout?.on !== 'raw' || typo?.on !== 'raw') throw new Error('text corruptions are raw');
    const caption = 'a handwritten digit seven with a long stroke';
    const dropped = await dropout.corrupt(
      { kind: 'text', text: caption },
      1,
      new SeededRandom(1),
      's1',
    );
    expect(dropped).toEqual({ kind: 'text', text: dropWords(caption, 1, new SeededRandom(1)) });
    const bytes = new TextEncoder().encode(caption);
    const mistyped = await typo.corrupt(
      { kind: 'bytes', data: bytes },
      0.3,
      new SeededRandom(6),
      's2',
    );
    expect(mistyped).toEqual({ kind: 'text', text: typos(caption, 0.3, new SeededRandom(6)) });
  });

  it('refuses a value that is no caption, naming the sample', async () => {
    const [dropout] = TEXT_CORRUPTIONS;
    if (dropout?.on !== 'raw') throw new Error('word drop-out is raw');
    const audio = {
      kind: 'decoded',
      value: { sampleRate: 8000, samples: new Float32Array(8) },
    } as const;
    await expect(dropout.corrupt(audio, 0.2, new SeededRandom(0), 'sample 7')).rejects.toThrow(
      DataError,
    );
    await expect(dropout.corrupt(audio, 0.2, new SeededRandom(0), 'sample 7')).rejects.toThrow(
      /sample 7/,
    );
  });
});
