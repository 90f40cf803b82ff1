/**
 * The example modality's corruption for the robustness curves of `mmae eval`: sensor noise added
 * to the prepared (normalised) series. Declaring it on the instance is all a plugin does; the
 * core runs the curve and draws it without knowing the plugin.
 */
import type { Corruption } from 'mmae';

export const TIMESERIES_CORRUPTIONS: readonly Corruption[] = [
  {
    name: 'sensor-noise',
    on: 'features',
    levels: [0, 0.5, 1, 2],
    axis: 'noise σ (in standard deviations of the training series)',
    corrupt(series, sigma, random) {
      return Float32Array.from(series, (v) => v + sigma * random.normal());
    },
  },
];
