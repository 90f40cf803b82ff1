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
