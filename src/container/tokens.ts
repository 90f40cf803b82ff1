/**
 * Service identifiers for the container. Plugins contribute by binding to these in a
 * ContainerModule; the core asks for all bindings of a kind and never imports a plugin.
 */
import { VARIANT_TOKEN } from '../variants/contract.js';

export const TOKENS = {
  ModalityPlugin: Symbol.for('mmae.ModalityPlugin'),
  FusionStrategy: Symbol.for('mmae.FusionStrategy'),
  DatasetAdapter: Symbol.for('mmae.DatasetAdapter'),
  /** A model variant (variants/contract.ts), built-in or a user's. */
  Variant: VARIANT_TOKEN,
} as const;
