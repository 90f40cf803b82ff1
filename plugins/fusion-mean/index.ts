import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { meanFusion } from './fusion-mean.js';

export const meanFusionModule = new ContainerModule((bind) => {
  bind(TOKENS.FusionStrategy).toConstantValue(meanFusion);
});
export default meanFusionModule;
