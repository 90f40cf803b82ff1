/** The example variant's entry point: one ContainerModule contributing a model variant. */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae';
import { denoisingVariant } from './denoising-variant.js';

export default new ContainerModule((bind) => {
  bind(TOKENS.Variant).toConstantValue(denoisingVariant);
});
