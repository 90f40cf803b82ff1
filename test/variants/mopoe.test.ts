import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily('the mixture-of-products-of-experts family (MoPoE)', smallJointConfig('mopoe'));
