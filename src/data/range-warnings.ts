import type { FeaturePreparer, FeatureTable } from './contract.js';

/**
 * Warnings for modalities whose training features leave the range their decoder can produce,
 * e.g. data scaled to [-1, 1] meeting a sigmoid output (the seed project's mismatch).
 */
export function rangeWarnings(
  table: FeatureTable,
  instances: Readonly<Record<string, FeaturePreparer>>,
): string[] {
  const warnings: string[] = [];
  for (const [name, instance] of Object.entries(instances)) {
    const column = table.columns[name];
    const range = instance.outputRange;
    if (!column || !range || column.dtype !== 'float32') continue;
    // An indexed loop: this reads every training feature (47 M for MNIST) before the first step,
    // and for…of over a typed array took 3× as long (0.68 s against 0.24 s here).
    const data = column.data;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min < range[0] - 1e-6 || max > range[1] + 1e-6) {
      warnings.push(
        `warning: modality "${name}": training features span [${min.toFixed(3)}, ${max.toFixed(3)}] ` +
          `but its decoder output is confined to [${range[0]}, ${range[1]}]; ` +
          'change the output activation or the feature scaling.',
      );
    }
  }
  return warnings;
}
