import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { tensorFusion } from './fusion-tensor.js';

export const tensorFusionModule = new ContainerModule((bind) => {
  bind(TOKENS.FusionStrategy).toConstantValue(tensorFusion);
});
export default tensorFusionModule;
