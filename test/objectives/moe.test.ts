import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily(
  'the mixture-of-experts family (MMVAE)',
  smallJointConfig('moe', { model: { importanceSamples: 2 } }),
);
