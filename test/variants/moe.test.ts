import { expect, it } from 'vitest';
import { evalJob } from '../../src/experiment/eval-job.js';
import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily(
  'the mixture-of-experts family (MMVAE)',
  smallJointConfig('moe', { model: { importanceSamples: 2 } }),
  (trained) => {
    it('is evaluated without an IW-NLL, since its posterior is a mixture', async () => {
      const report = await evalJob(trained().runDir, { probeRows: 300 });
      expect(report.iwNll).toBeUndefined();
      expect(report.testElbo).toBeDefined();
      expect(report.crossModal).toBeDefined();
    });
  },
);
