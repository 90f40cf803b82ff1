/**
 * The built-in variants, contributed through a ContainerModule exactly as a user's variant is:
 * one declarative record per folder, listed here once. Adding a variant never edits a switch.
 */
import { ContainerModule } from 'inversify';
import { VARIANT_TOKEN, type AnyVariant } from './contract.js';
import { jmvaeVariant } from './jmvae/variant.js';
import { moeVariant } from './moe/variant.js';
import { mopoeVariant } from './mopoe/variant.js';
import { poeVariant } from './poe/variant.js';
import { sparseVariant } from './sparse/variant.js';
import { stackedVariant } from './stacked/variant.js';
import { standardVariant } from './standard/variant.js';
import { variationalVariant } from './variational/variant.js';

export const BUILTIN_VARIANTS: readonly AnyVariant[] = [
  standardVariant,
  sparseVariant,
  stackedVariant,
  variationalVariant,
  poeVariant,
  moeVariant,
  mopoeVariant,
  jmvaeVariant,
] as readonly AnyVariant[];

export const builtinVariantsModule = new ContainerModule((bind) => {
  for (const variant of BUILTIN_VARIANTS) bind(VARIANT_TOKEN).toConstantValue(variant);
});
