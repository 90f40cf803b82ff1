import { beforeAll, describe, expect, it } from 'vitest';
import { estimateNll } from '../../../src/evaluation/measures/estimate-nll.js';
import { useBackend } from '../../support/backend.js';
import { stubModel, stubTable, type StubRow } from './stub-model.js';

beforeAll(() => useBackend('cpu'));

const ROWS: readonly StubRow[] = [
  { label: 0, a: [-1.5, 0.2] },
  { label: 1, a: [0.9, 2.1] },
  { label: 0, a: [-0.4, 0] },
  { label: 1, a: [3, -1] },
];

/** −log N(x; 0, 2I) for x in R²: ‖x‖²/4 + log 4π, the stub VAE's true NLL. */
const trueNll =
  ROWS.reduce((s, { a }) => s + (a![0] ** 2 + a![1] ** 2) / 4 + Math.log(4 * Math.PI), 0) /
  ROWS.length;

describe('estimateNll', () => {
  const table = stubTable(ROWS);

  it("is the model's exact NLL when its encoder is the true posterior, for any K and seed", async () => {
    const model = stubModel(['a'], { gaussian: true });
    for (const [k, seed] of [
      [1, 3],
      [20, 3],
      [20, 8],
    ] as const) {
      const nll = await estimateNll(model, table, k, 1000, seed);
      expect(nll, `K=${k} seed=${seed}`).toBeCloseTo(trueNll, 4);
    }
  });

  it('is not estimated for a model whose encoder gives no Gaussian posterior', async () => {
    expect(await estimateNll(stubModel(['a']), table, 5, 1000, 1)).toBeUndefined();
  });
});
