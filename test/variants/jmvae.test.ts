import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily(
  'the JMVAE family with a concat joint encoder',
  smallJointConfig('jmvae', { fusion: 'concat' }),
);
