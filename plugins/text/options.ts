/**
 * Options of the text modality. Every field has a default that works for short captions, so
 * `{}` is a valid configuration; the resolved options are saved with the run.
 */
import { z } from 'zod';
import { LIMITS, ConfigError } from 'mmae/portable';

/** Frozen sentence features from a local transformers.js model (ONNX + tokenizer.json). */
export const pretrainedOptionsSchema = z
  .object({
    /**
     * A model directory (absolute, or relative to the working directory) holding config.json,
     * tokenizer.json, tokenizer_config.json and onnx/model.onnx (or model_quantized.onnx), or a
     * model id looked up under `localModelPath`.
     */
    model: z.string().min(1),
    /** Root directory of local models, used when `model` is an id rather than a directory. */
    localModelPath: z.string().min(1).optional(),
    /** Whether transformers.js may download from the model hub. Off by default: runs are offline. */
    allowRemote: z.boolean().default(false),
    /** Load onnx/model_quantized.onnx instead of onnx/model.onnx. */
    quantized: z.boolean().default(false),
  })
  .strict();

/** The most words a vocabulary may hold: 100,000 covers any caption corpus. */
export const MAX_VOCABULARY = 100_000;

export const textOptionsSchema = z
  .object({
    /** Token ids per caption, including the closing <eos>; longer captions are truncated. */
    maxLength: z.number().int().min(2).max(256).default(8),
    lowercase: z.boolean().default(true),
    /** 'split' keeps each punctuation mark as its own token; 'strip' drops punctuation. */
    punctuation: z.enum(['split', 'strip']).default('split'),
    /** Words seen fewer times than this in the training split map to <unk>. */
    minCount: z.number().int().min(1).max(LIMITS.samples).default(1),
    /** Vocabulary size including the four special tokens, at most MAX_VOCABULARY. */
    maxVocab: z.number().int().min(5).max(MAX_VOCABULARY).default(5000),
    /**
     * 'mean': masked mean of token embeddings; 'gru': a GRU over the non-pad tokens;
     * 'attention': one masked self-attention block with position embeddings, mean-pooled.
     */
    encoder: z.enum(['mean', 'gru', 'attention']).default('mean'),
    /**
     * 'autoregressive': a GRU that predicts each word from the latent and the words before it
     * (teacher-forced in training, greedy when generating); keeps a caption generated from an
     * image to one template. 'parallel': every position at once from the latent (one pass, but
     * mixes templates when the latent does not pin one).
     */
    decoder: z.enum(['autoregressive', 'parallel']).default('autoregressive'),
    /**
     * Width of the encoder output (the text embedding; also the decoder's word embedding). At
     * most 4096: the embedding table is maxVocab × this (100,000 × 4096 is 1.6 GB already).
     */
    embeddingSize: z.number().int().positive().max(LIMITS.embeddingSize).default(64),
    /**
     * Width of the decoder's hidden layer (and of the pretrained-feature MLP). At most 4096: the
     * GRU holds 3 × size² recurrent weights, and the output layer size × maxVocab.
     */
    hiddenSize: z.number().int().positive().max(LIMITS.embeddingSize).default(128),
    /** Seed of the weight initialisers, so a build is reproducible (32-bit). */
    seed: z.number().int().nonnegative().max(LIMITS.seed).default(0),
    pretrained: pretrainedOptionsSchema.optional(),
  })
  .strict();

export type TextOptions = z.output<typeof textOptionsSchema>;
export type PretrainedOptions = z.output<typeof pretrainedOptionsSchema>;

/** Validates options given as plain data; a bad field is a ConfigError naming it. */
export function resolveTextOptions(input: unknown): TextOptions {
  const parsed = textOptionsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined ? undefined : issue.path.join('.');
  throw new ConfigError(
    `Invalid text modality options${field ? ` at '${field}'` : ''}: ${z.prettifyError(parsed.error)}`,
    field,
  );
}
