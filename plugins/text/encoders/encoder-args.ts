import { TokenEmbedding } from '../layers/token-embedding.js';

/** What every text encoder builder is given. */
export interface TextEncoderArgs {
  readonly maxLength: number;
  readonly vocabularySize: number;
  readonly embeddingSize: number;
  readonly hiddenSize: number;
  /** Width of the frozen sentence vector (pretrained mode only), else 0. */
  readonly pretrainedDimension: number;
  readonly seed: number;
}

/** The token-embedding layer every token encoder starts with, seeded per encoder. */
export function tokenEmbeddingFor(args: TextEncoderArgs, seed: number): TokenEmbedding {
  return new TokenEmbedding({
    inputShape: [args.maxLength],
    dtype: 'int32',
    vocabularySize: args.vocabularySize,
    embeddingSize: args.embeddingSize,
    seed,
  });
}
