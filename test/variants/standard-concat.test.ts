import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily(
  'the standard joint autoencoder with concat fusion and modality dropout',
  smallJointConfig('standard', { fusion: 'concat', model: { modalityDropout: 0.5 } }),
);
