/**
 * The training page's data file (web/train-data.ts): what encodeTrainData writes parses back into
 * the same samples, and a damaged or oversized file is refused, by what is wrong, before a sample
 * is made.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeTrainData,
  parseTrainData,
  rawSplitOf,
  type TrainData,
} from '../../web/train-data.js';

function data(n: number, caption = (i: number) => `digit ${i % 10}`): TrainData {
  const split = (count: number, from: number) => ({
    ids: Array.from({ length: count }, (_, i) => `s/${from + i}`),
    labels: Array.from({ length: count }, (_, i) => (from + i) % 10),
    captions: Array.from({ length: count }, (_, i) => caption(from + i)),
    pixels: Uint8Array.from({ length: count * 16 }, (_, i) => (i * 7 + from) % 256),
  });
  return {
    config: { name: 'x' },
    image: { width: 4, height: 4, channels: 1 },
    train: split(n, 0),
    validation: split(2, n),
  };
}

/** The file with its header JSON replaced (pixels kept). */
function withHeader(
  bytes: Uint8Array,
  edit: (header: Record<string, unknown>) => void,
): Uint8Array {
  const length = new DataView(bytes.buffer).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as Record<
    string,
    unknown
  >;
  edit(header);
  const text = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + text.byteLength + bytes.byteLength - 12 - length);
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setUint32(8, text.byteLength, true);
  out.set(text, 12);
  out.set(bytes.subarray(12 + length), 12 + text.byteLength);
  return out;
}

describe('the training page data file', () => {
  it("round-trips samples: ids, labels, captions and each image's pixels", () => {
    const original = data(5);
    const parsed = parseTrainData(encodeTrainData(original));
    expect(parsed.train.captions).toEqual(original.train.captions);
    expect(parsed.validation.ids).toEqual(['s/5', 's/6']);
    const sample = rawSplitOf(parsed.train, parsed.image).sample(3);
    expect(sample).toMatchObject({
      id: 's/3',
      label: 3,
      values: { text: { kind: 'text', text: 'digit 3' } },
    });
    const image = sample.values.image as { value: { data: Uint8Array } };
    expect(Array.from(image.value.data)).toEqual(
      Array.from(original.train.pixels.subarray(48, 64)),
    );
    expect(() => rawSplitOf(parsed.train, parsed.image).sample(5)).toThrow(RangeError);
  });

  it('refuses a damaged, truncated or oversized file by what is wrong', () => {
    const good = encodeTrainData(data(5));
    const wrongMagic = good.slice();
    wrongMagic[0] = 0x4e;
    expect(() => parseTrainData(wrongMagic)).toThrow(/MMAETD01/);
    expect(() => parseTrainData(good.subarray(0, good.byteLength - 1))).toThrow(/fewer pixels/);
    expect(() => parseTrainData(new Uint8Array([...good, 0]))).toThrow(/1 bytes after the pixels/);
    expect(() => parseTrainData(new Uint8Array(65 * 1024 * 1024))).toThrow(/over/);
    expect(() =>
      parseTrainData(withHeader(good, (h) => ((h.image as { width: number }).width = 65))),
    ).toThrow(/1–64 pixels a side/);
    expect(() =>
      parseTrainData(
        withHeader(good, (h) => (h.splits as { train: { labels: unknown[] } }).train.labels.pop()),
      ),
    ).toThrow(/differ in count/);
    expect(() => encodeTrainData(data(2, (i) => 'x'.repeat(200 + i)))).toThrow(
      /caption 1 must be 1–200/,
    );
    expect(() => encodeTrainData(data(2, () => ''))).toThrow(/caption 0/);
    expect(() => encodeTrainData(data(0))).toThrow(/no training sample/);
    expect(() =>
      parseTrainData(
        withHeader(good, (h) => {
          const train = (h.splits as { train: { ids: unknown[] } }).train;
          train.ids = Array.from({ length: 20_001 }, (_, i) => `i${i}`);
        }),
      ),
    ).toThrow(/more than 20000 samples/);
  });
});
