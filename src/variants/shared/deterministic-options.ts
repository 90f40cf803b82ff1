/** The options every deterministic variant takes (standard, sparse, stacked). */
import { codeActivationOption } from './code-activation.js';
import { modalityDropoutOption } from './modality-dropout.js';

export const deterministicOptionsShape = { ...codeActivationOption, ...modalityDropoutOption };
