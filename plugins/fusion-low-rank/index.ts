import { ContainerModule } from 'inversify';
import { TOKENS } from '../../src/portable.js';
import { lowRankFusion } from './fusion-low-rank.js';

export const lowRankFusionModule = new ContainerModule((bind) => {
  bind(TOKENS.FusionStrategy).toConstantValue(lowRankFusion);
});
export default lowRankFusionModule;
