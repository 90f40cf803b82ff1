import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { gatedFusion } from './fusion-gated.js';

export const gatedFusionModule = new ContainerModule((bind) => {
  bind(TOKENS.FusionStrategy).toConstantValue(gatedFusion);
});
export default gatedFusionModule;
