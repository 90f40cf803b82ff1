import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily(
  'the variational joint autoencoder with concat fusion',
  smallJointConfig('variational', { fusion: 'concat', model: { modalityDropout: 0.5 } }),
);
