import { describeFamily } from './family-behaviour.js';
import { smallJointConfig } from './joint-fixture.js';

describeFamily('the product-of-experts family (MVAE)', smallJointConfig('poe'));
