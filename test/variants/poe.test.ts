import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily('the product-of-experts family (MVAE)', smallJointConfig('poe'));

// The paper's sub-sampled objective: each unimodal term reconstructs only its own modality.
describeFamily(
  "the product-of-experts family with unimodalReconstruction: 'own'",
  smallJointConfig('poe', { model: { unimodalReconstruction: 'own' } }),
);
