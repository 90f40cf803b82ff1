import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAttentionEncoder } from '../../../plugins/text/encoders/attention-encoder.js';
import { buildGruEncoder } from '../../../plugins/text/encoders/gru-encoder.js';
import { buildMeanEncoder } from '../../../plugins/text/encoders/mean-encoder.js';
import { buildPretrainedMlpEncoder } from '../../../plugins/text/encoders/pretrained-mlp-encoder.js';
import type { TextEncoderArgs } from '../../../plugins/text/encoders/encoder-args.js';
import { useWasmBackend } from '../../support/backend.js';

const args: TextEncoderArgs = {
  maxLength: 6,
  vocabularySize: 9,
  embeddingSize: 4,
  hiddenSize: 8,
  pretrainedDimension: 0,
  seed: 3,
};

beforeAll(useWasmBackend);

describe('text encoders', () => {
  it("'mean' gives the mean of the embedding rows of the non-pad tokens", () => {
    const encoder = buildMeanEncoder(args);
    const ids = [
      [5, 7, 3, 0, 0, 0],
      [3, 0, 0, 0, 0, 0],
      [4, 4, 8, 6, 1, 3],
    ];
    const output = tf.tidy(() => encoder.predict(tf.tensor2d(ids, [3, 6], 'int32')) as tf.Tensor);
    const table = encoder.getWeights()[0]?.arraySync() as number[][];
    const expected = ids.map((row) => {
      const tokens = row.filter((id) => id !== 0);
      return [0, 1, 2, 3].map(
        (e) => tokens.reduce((sum, id) => sum + (table[id]?.[e] ?? NaN), 0) / tokens.length,
      );
    });
    expect(output.shape).toEqual([3, 4]);
    const actual = output.arraySync() as number[][];
    actual.flat().forEach((value, i) => expect(value).toBeCloseTo(expected.flat()[i] as number, 6));
    output.dispose();
    encoder.dispose();
  });

  it("'gru' ignores padding: a padded caption encodes like the unpadded one", () => {
    const long = buildGruEncoder(args);
    const short = buildGruEncoder({ ...args, maxLength: 3 });
    short.setWeights(long.getWeights());
    const [padded, exact] = tf.tidy(() => [
      long.predict(tf.tensor2d([[5, 7, 3, 0, 0, 0]], [1, 6], 'int32')) as tf.Tensor,
      short.predict(tf.tensor2d([[5, 7, 3]], [1, 3], 'int32')) as tf.Tensor,
    ]);
    expect(padded.shape).toEqual([1, 4]);
    const a = padded.arraySync() as number[][];
    const b = exact.arraySync() as number[][];
    a[0]?.forEach((value, i) => expect(value).toBeCloseTo(b[0]?.[i] as number, 6));
    tf.dispose([padded, exact]);
    long.dispose();
    short.dispose();
  });

  it.each([
    ['mean', buildMeanEncoder],
    ['gru', buildGruEncoder],
    ['attention', buildAttentionEncoder],
  ] as const)("'%s' output does not depend on what the <pad> embedding holds", (_, build) => {
    const encoder = build(args);
    const ids = [
      [5, 7, 3, 0, 0, 0],
      [3, 0, 0, 0, 0, 0],
    ];
    const encode = (): number[] =>
      tf.tidy(() =>
        Array.from((encoder.predict(tf.tensor2d(ids, [2, 6], 'int32')) as tf.Tensor).dataSync()),
      );
    const before = encode();
    const weights = encoder.getWeights();
    const table = weights[0] as tf.Tensor;
    const changed = tf.tidy(() => {
      const padRow = tf.fill([1, args.embeddingSize], 50);
      return tf.concat([padRow, tf.slice(table, [1, 0], [-1, -1])], 0);
    });
    encoder.setWeights([changed, ...weights.slice(1)]);
    const after = encode();
    expect(after).toHaveLength(2 * args.embeddingSize);
    after.forEach((value, i) => expect(value).toBeCloseTo(before[i] as number, 5));
    changed.dispose();
    encoder.dispose();
  });

  it.each([
    ['mean', buildMeanEncoder],
    ['gru', buildGruEncoder],
    ['attention', buildAttentionEncoder],
  ] as const)(
    "'%s' survives a Keras topology round trip (custom layers are registered)",
    async (_, build) => {
      const encoder = build(args);
      const json = encoder.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
      const copy = (await tf.models.modelFromJSON({ modelTopology: json })) as tf.LayersModel;
      copy.setWeights(encoder.getWeights());
      const [a, b] = tf.tidy(() => {
        const ids = tf.tensor2d([[5, 7, 3, 0, 0, 0]], [1, 6], 'int32');
        return [encoder.predict(ids) as tf.Tensor, copy.predict(ids) as tf.Tensor];
      });
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b]);
      encoder.dispose();
      copy.dispose();
    },
  );

  it('builds the same weights twice from the same seed', () => {
    const a = buildMeanEncoder(args);
    const b = buildMeanEncoder(args);
    const [wa, wb] = [a.getWeights()[0]?.dataSync(), b.getWeights()[0]?.dataSync()];
    expect(Array.from(wa ?? [])).toEqual(Array.from(wb ?? []));
    a.dispose();
    b.dispose();
  });

  it('the pretrained MLP reads only the sentence vector after the token ids', () => {
    const encoder = buildPretrainedMlpEncoder({ ...args, pretrainedDimension: 3 });
    const [one, other] = tf.tidy(() => [
      encoder.predict(tf.tensor2d([[5, 7, 3, 0, 0, 0, 0.5, -0.5, 1]])) as tf.Tensor,
      encoder.predict(tf.tensor2d([[8, 8, 8, 8, 8, 3, 0.5, -0.5, 1]])) as tf.Tensor,
    ]);
    expect(one.shape).toEqual([1, 4]);
    expect(Array.from(one.dataSync())).toEqual(Array.from(other.dataSync()));
    tf.dispose([one, other]);
    encoder.dispose();
  });
});
