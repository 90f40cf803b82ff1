import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { lowRankFusion } from './fusion-low-rank.js';

export const lowRankFusionModule = new ContainerModule((bind) => {
  bind(TOKENS.FusionStrategy).toConstantValue(lowRankFusion);
});
export default lowRankFusionModule;
