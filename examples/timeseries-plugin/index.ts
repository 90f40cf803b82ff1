/** The example plugin's entry point: one ContainerModule contributing a modality and a dataset. */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae';
import { sineDataset } from './sine-dataset.js';
import { timeseriesModality } from './timeseries-modality.js';

export default new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(timeseriesModality);
  bind(TOKENS.DatasetAdapter).toConstantValue(sineDataset);
});
