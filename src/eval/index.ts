/** Evaluation metrics, robustness corruptions and plots. Pure functions of arrays and tensors. */
export { auroc } from './auroc.js';
export { coherence, coherenceByClass } from './coherence.js';
export { loadDigitClassifier, trainDigitClassifier } from './digit-classifier.js';
export type {
  DigitClassifier,
  DigitClassifierOptions,
  DigitClassifierWeights,
  TrainedDigitClassifier,
} from './digit-classifier.js';
export { embed2d, embeddingMap } from './embedding-map.js';
export type {
  EmbeddingMap,
  EmbeddingMapSpec,
  EmbeddingMethod,
  EmbeddingOptions,
} from './embedding-map.js';
export { importanceWeightedNll, logMeanExp } from './iw-nll.js';
export type { IwNllOptions, IwNllResult, LogWeightFn } from './iw-nll.js';
export { linearProbe } from './linear-probe.js';
export type { LabelledCodes, LinearProbeOptions, LinearProbeResult } from './linear-probe.js';
export { addNoiseAtSnr, dropWords, gaussianImageNoise, occludeImage, typos } from './noise.js';
export type { ImageShape } from './noise.js';
export { pca } from './pca.js';
export type { PcaOptions, PcaResult } from './pca.js';
export { curvesPlot, linePlot, linePlotSvg, scatterPlot, scatterPlotSvg } from './plots.js';
export type { LinePlotSpec, PlotSeries, ScatterPlotSpec } from './plots.js';
export { retrievalMetrics } from './retrieval-metrics.js';
export type {
  RetrievalInput,
  RetrievalReport,
  RetrievalScores,
  SimilarityMetric,
} from './retrieval-metrics.js';
