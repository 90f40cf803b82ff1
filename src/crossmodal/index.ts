/** Cross-modal search and generation on a trained run (its evaluation: evaluation/crossmodal/). */
export {
  buildGalleryIndex,
  galleryDir,
  loadGalleryIndex,
  openGalleryIndex,
} from './gallery-index.js';
export type { BuiltGallery, GalleryIndex } from './gallery-index.js';
export { readQuery, type Query } from './query-input.js';
export { encodeQuery, posteriorDraws, posteriorSamples, priorSamples } from './encode-query.js';
export { decodeLatents } from './decode-latents.js';
export { retrieve, galleryArtefacts, type RetrievalHit, type RetrievalResult } from './retrieve.js';
export { generate, checkSampleCount, MAX_SAMPLES, type GenerateRequest } from './generate.js';
export { writeArtefacts, type WrittenArtefacts } from './write-artefacts.js';
export { parseSplitName, prepareSplit, SPLIT_NAMES, type SplitName } from './split-table.js';
