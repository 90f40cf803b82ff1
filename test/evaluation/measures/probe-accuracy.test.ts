import { beforeAll, describe, expect, it } from 'vitest';
import {
  labelledCodes,
  probeAccuracy,
  probeAccuracyOfCodes,
  probeTable,
} from '../../../src/evaluation/measures/probe-accuracy.js';
import { useBackend } from '../../support/backend.js';
import { MIXED_ROWS } from './mixed-rows.js';
import { LATENT, codeOf, stubModel, stubTable, type StubRow } from './stub-model.js';

beforeAll(() => useBackend('cpu'));

/**
 * Modality a's first feature is ±2 by label, so codes from a (or from both) separate the classes;
 * b depends only on i mod 5, and each of its values carries both labels equally often.
 */
function rows(from: number, to: number): StubRow[] {
  return Array.from({ length: to - from }, (_, j) => {
    const i = from + j;
    const step = (i % 5) - 2;
    return { label: i % 2, a: [i % 2 ? 2 : -2, step / 4], b: [step / 2, 1] };
  });
}
const TRAIN = rows(0, 40);
const TEST = rows(40, 60);

const meanNorm = (points: readonly StubRow[], name: 'a' | 'b') =>
  points.reduce((s, r) => s + Math.hypot(...r[name]!), 0) / points.length;

describe('labelledCodes', () => {
  it('keeps the rows with a label and a code from the modalities, in order', () => {
    const codes = labelledCodes(stubModel(['a', 'b']), stubTable(MIXED_ROWS), ['a']);
    // Row 2 carries no a, row 3 has no label (and nothing to code).
    expect(Array.from(codes.labels)).toEqual([0, 1, 0]);
    expect(Array.from(codes.codes)).toEqual(
      [0, 1, 4].flatMap((i) => codeOf(MIXED_ROWS[i]!, ['a'])!),
    );
  });
});

describe('probeAccuracy', () => {
  const model = stubModel(['a', 'b']);
  const train = stubTable(TRAIN);
  const test = stubTable(TEST);

  it("is the linear probe's test accuracy on the codes from the given modalities", async () => {
    expect(await probeAccuracy(model, train, test, ['a'], 7)).toBe(1);
    expect(await probeAccuracy(model, train, test, ['a', 'b'], 7)).toBe(1);
    // Codes from b say nothing of the label: one class is predicted for every code value.
    expect(await probeAccuracy(model, train, test, ['b'], 7)).toBe(0.5);
  });

  it('is the same from codes already computed', async () => {
    const onTrain = labelledCodes(model, train, ['a']);
    const onTest = labelledCodes(model, test, ['a']);
    expect(await probeAccuracyOfCodes(onTrain, onTest, LATENT, 7)).toBe(
      await probeAccuracy(model, train, test, ['a'], 7),
    );
  });
});

describe('probeTable', () => {
  it("holds the accuracy from all and from each modality, and each one's code norms", async () => {
    const result = await probeTable(stubModel(['a', 'b']), stubTable(TRAIN), stubTable(TEST), 7);
    expect(result.linearProbe).toEqual({ all: 1, a: 1, b: 0.5 });
    expect(Object.keys(result.codeNorm!).sort()).toEqual(['a', 'b']);
    for (const name of ['a', 'b'] as const) {
      expect(result.codeNorm![name]!.train).toBeCloseTo(meanNorm(TRAIN, name), 5);
      expect(result.codeNorm![name]!.test).toBeCloseTo(meanNorm(TEST, name), 5);
    }
  });

  it('holds only `all` for a one-modality model, and nothing when the test rows have no labels', async () => {
    const model = stubModel(['a']);
    expect(await probeTable(model, stubTable(TRAIN), stubTable(TEST), 7)).toEqual({
      linearProbe: { all: 1 },
    });
    const unlabelled = stubTable(TEST.map((r) => ({ ...r, label: -1 })));
    expect(await probeTable(model, stubTable(TRAIN), unlabelled, 7)).toEqual({ linearProbe: {} });
  });
});
