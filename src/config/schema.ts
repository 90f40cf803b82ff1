/**
 * The run configuration: what a YAML file in configs/ says, validated into typed objects.
 * Plugin options stay `unknown` here; each plugin validates its own with its own schema.
 */
import { z } from 'zod';
import { BACKEND_REQUESTS } from './backend-request.js';
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

/**
 * The common part of `model`, which every variant shares. The rest of the block is the chosen
 * variant's own options: each variant (src/variants/<id>/) declares them with its own schema, and
 * they are checked once the registry that holds the variant is known (container/variant-of-config.ts),
 * as plugin options are. So a variant's option given for another variant is an error there.
 */
export const modelSchema = z
  .object({
    /** A registered variant's id: a built-in (src/variants/) or a plugin's. */
    variant: z
      .string()
      .regex(/^[a-z][\w-]*$/i, 'a variant id: letters, digits, - or _')
      .default('standard'),
    latentSize: z.number().int().positive().max(LIMITS.latentSize).default(16),
    /**
     * Width of each modality's embedding entering the fusion, when the fusion projects: only for a
     * variant that uses a fusion (DEFAULT_FUSION_INPUT_SIZE when absent); an error for the others.
     */
    fusionInputSize: z.number().int().positive().max(LIMITS.layerUnits).optional(),
  })
  .catchall(z.unknown());

/** The keys of `model` that are no variant's own. */
export const COMMON_MODEL_KEYS: readonly string[] = Object.keys(modelSchema.shape);

/** The fusion of a config that gives none, for a variant that uses one. */
export const DEFAULT_FUSION = { id: 'mean', options: {} } as const;

/** `model.fusionInputSize` of a config that gives none, for a variant that uses a fusion. */
export const DEFAULT_FUSION_INPUT_SIZE = 64;

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
    /**
     * Threads of the native kernels (the caller's included). Unset: MMAE_THREADS, else every core
     * the process may run on; results are the same bits whatever the count.
     */
    threads: z.number().int().min(1).max(LIMITS.threads).optional(),
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
    /**
     * Given only for a variant that uses a fusion; absent, such a variant uses DEFAULT_FUSION. A
     * variant that combines its experts itself refuses a `fusion:` block (so absent ≠ defaulted).
     */
    fusion: pluginRef.optional(),
    model: modelSchema.default(modelSchema.parse({})),
    training: trainingSchema.default(trainingSchema.parse({})),
  })
  .strict();

export type RunConfig = z.infer<typeof runConfigSchema>;
export type ModalityConfig = z.infer<typeof modalityConfigSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type TrainingConfig = z.infer<typeof trainingSchema>;
