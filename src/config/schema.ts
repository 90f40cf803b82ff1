/**
 * The run configuration: what a YAML file in configs/ says, validated into typed objects.
 * Plugin options stay `unknown` here; each plugin validates its own with its own schema.
 */
import { z } from 'zod';
import { BACKEND_REQUESTS } from '../backend/backend-request.js';
import { boundedList, LIMITS } from './limits.js';

const pluginRef = z
  .object({
    id: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const modalityConfigSchema = z
  .object({
    id: z.string().min(1),
    /** Name in the dataset and the API; defaults to the plugin id. */
    name: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).default({}),
    /** Weight of this modality's reconstruction loss. */
    weight: z.number().nonnegative().default(1),
  })
  .strict();

export const variantSchema = z.enum([
  'standard',
  'stacked',
  'sparse',
  'variational',
  'poe',
  'moe',
  'mopoe',
  'jmvae',
]);
export type Variant = z.infer<typeof variantSchema>;

const sparsitySchema = z.discriminatedUnion('penalty', [
  z.object({ penalty: z.literal('l1'), lambda: z.number().nonnegative().default(1e-3) }).strict(),
  z
    .object({
      penalty: z.literal('kl'),
      /** Target mean activation ρ of each code unit. */
      rho: z.number().gt(0).lt(1).default(0.05),
      /** Weight of the KL sparsity term. */
      lambda: z.number().nonnegative().default(1),
    })
    .strict(),
]);

export const modelSchema = z
  .object({
    variant: variantSchema.default('standard'),
    latentSize: z.number().int().positive().max(LIMITS.latentSize).default(16),
    /** Width of each modality's embedding entering the fusion, when the fusion projects. */
    fusionInputSize: z.number().int().positive().max(LIMITS.layerUnits).default(64),
    /** KL weight β for variational families. */
    beta: z.number().nonnegative().default(1),
    /** Epochs over which β ramps linearly from 0 (0 = no annealing). */
    klAnnealEpochs: z.number().int().nonnegative().max(LIMITS.epochs).default(0),
    /** Image-like likelihood is chosen by the modality plugin; this is the code activation. */
    codeActivation: z.enum(['linear', 'sigmoid', 'relu', 'tanh']).default('linear'),
    sparsity: sparsitySchema.optional(),
    stacked: z
      .object({
        pretrainEpochs: z.number().int().nonnegative().max(LIMITS.epochs).default(2),
        finetune: z.boolean().default(true),
      })
      .strict()
      .default({ pretrainEpochs: 2, finetune: true }),
    /** Share of training samples that lose modalities (multimodal training). */
    modalityDropout: z.number().min(0).max(1).default(0),
    /** Importance samples for MoE's stratified objective. */
    importanceSamples: z.number().int().positive().max(LIMITS.importanceSamples).default(1),
    /** JMVAE's weight α on the KL between joint and unimodal posteriors. */
    jmvaeAlpha: z.number().nonnegative().default(1),
    /**
     * poe: what each single-modality ELBO term reconstructs. 'all': every modality the sample
     * carries, so one expert learns to explain the others; 'own': only its own modality, the
     * sub-sampled objective of the MVAE paper (fewer decoder passes).
     */
    unimodalReconstruction: z.enum(['all', 'own']).default('all'),
  })
  .strict();

export const trainingSchema = z
  .object({
    epochs: z.number().int().positive().max(LIMITS.epochs).default(10),
    batchSize: z.number().int().positive().max(LIMITS.batchSize).default(64),
    optimizer: z
      .object({
        name: z.enum(['adam', 'sgd', 'rmsprop']).default('adam'),
        learningRate: z.number().positive().default(1e-3),
        momentum: z.number().min(0).max(1).default(0),
      })
      .strict()
      .default({ name: 'adam', learningRate: 1e-3, momentum: 0 }),
    schedule: z
      .object({
        kind: z.enum(['constant', 'step', 'exponential', 'cosine']).default('constant'),
        /** step: multiply by gamma every stepEpochs; exponential: by gamma every epoch. */
        gamma: z.number().positive().default(0.5),
        stepEpochs: z.number().int().positive().max(LIMITS.epochs).default(10),
        /** cosine: the floor as a share of the initial rate. */
        minShare: z.number().min(0).max(1).default(0),
      })
      .strict()
      .default({ kind: 'constant', gamma: 0.5, stepEpochs: 10, minShare: 0 }),
    /** Clip gradients to this global L2 norm (0 = off). */
    clipNorm: z.number().nonnegative().default(0),
    earlyStopping: z
      .object({
        patience: z.number().int().positive().max(LIMITS.epochs),
        minDelta: z.number().nonnegative().default(0),
      })
      .strict()
      .optional(),
    /** Stop with an error when the loss becomes NaN or Inf. */
    nanGuard: z.boolean().default(true),
    /** Samples of the validation split used per epoch (0 = all). */
    validationLimit: z.number().int().nonnegative().max(LIMITS.samples).default(0),
  })
  .strict();

export const runConfigSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .regex(/^[\w.-]+$/, 'use letters, digits, dot, dash and underscore'),
    seed: z.number().int().nonnegative().max(LIMITS.seed).default(42),
    backend: z.enum(BACKEND_REQUESTS).default('auto'),
    /** Extra plugin modules: paths (relative to the config) or package names. */
    plugins: boundedList(z.string().min(1), LIMITS.listEntries).default([]),
    dataset: pluginRef,
    /** What to do with a sample a modality cannot prepare. */
    onBadSample: z.enum(['fail', 'skip']).default('fail'),
    modalities: boundedList(modalityConfigSchema, LIMITS.modalities, 1),
    fusion: pluginRef.default({ id: 'mean', options: {} }),
    model: modelSchema.default(modelSchema.parse({})),
    training: trainingSchema.default(trainingSchema.parse({})),
  })
  .strict();

export type RunConfig = z.infer<typeof runConfigSchema>;
export type ModalityConfig = z.infer<typeof modalityConfigSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type TrainingConfig = z.infer<typeof trainingSchema>;
