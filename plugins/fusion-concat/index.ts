import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { concatFusion } from './fusion-concat.js';

export const concatFusionModule = new ContainerModule((bind) => {
  bind(TOKENS.FusionStrategy).toConstantValue(concatFusion);
});
export default concatFusionModule;
