/** Variant → objective. Stacked, sparse and standard share the deterministic objective. */
import type { ModelConfig, Variant } from '../config/schema.js';
import type { Objective } from './contract.js';
import { deterministicObjective } from './deterministic.js';
import { fusedVaeObjective } from './fused-vae.js';
import { jmvaeObjective } from './jmvae.js';
import { moeObjective } from './moe.js';
import { mopoeObjective } from './mopoe.js';
import { poeObjective } from './poe.js';

const factories: Record<Variant, (config: ModelConfig) => Objective> = {
  standard: (c) => deterministicObjective('standard', c),
  sparse: (c) => deterministicObjective('sparse', c),
  stacked: (c) => deterministicObjective('stacked', c),
  variational: fusedVaeObjective,
  poe: poeObjective,
  moe: moeObjective,
  mopoe: mopoeObjective,
  jmvae: jmvaeObjective,
};

export function createObjective(config: ModelConfig): Objective {
  return factories[config.variant](config);
}
