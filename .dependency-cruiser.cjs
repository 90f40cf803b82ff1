/**
 * The import rules of src/, checked by `npm run deps` (part of `npm test`).
 *
 * - No import cycle between modules.
 * - The folders of src/ form layers: a folder imports only folders listed before it in LAYERS,
 *   so the folders can never import each other in a cycle, and the list reads as the order in
 *   which to learn the code, contracts at the bottom and the ways in at the top. A new folder
 *   goes into the list at the place its imports allow; when a folder needs one listed after it,
 *   move the shared code down rather than reordering around the cycle.
 * - src/ never imports plugins/ or datasets/: built-in plugins reach the core as a user's do.
 *
 * Type-only imports (`import type`) count: a type is part of the layer it is declared in, and a
 * contract the code below needs belongs below it.
 */

/** Bottom first. */
const LAYERS = [
  'errors',
  'random',
  'distributions', // gaussian, product of experts
  'ops', // ops with one-kernel gradients, and the names of the kernels they call
  'engine', // the speed engine: mmae's kernels and tfjs patches, applied by backend selection
  'data', // raw values, files and text → features → batches
  'config', // the run schema and its loading, the backend words a user may give
  'backend', // backend selection (which applies the engine) for a config's backend word, doctor
  'modality', // the modality plugin contract
  'fusion', // the fusion strategy contract
  'variants', // one folder per model variant: options, objective, phase, report; their contract
  'container', // the plugin registry
  'model', // the joint model, its builder and the modality set-up
  'train',
  'runs', // the run-directory format
  // The evaluation tree, src/evaluation/, in its layers: what sits below search and the
  // cross-modal queries is what those reuse (encoding a table, laying out a sheet of pictures).
  'evaluation/metrics', // arrays in, numbers out: no model
  'evaluation/plots', // arrays in, pictures out: line, curve, scatter plots, latent maps, sheets
  'evaluation/measures', // a model and a feature table in, numbers out
  'search', // vector stores
  'open', // a run or a config's dataset, opened into a ready model and raw data
  'crossmodal', // retrieval and generation on an opened run
  'evaluation/crossmodal', // the cross-modal report: coherence, retrieval, robustness, maps
  'evaluation/report', // the evaluation report: its record, report.md, sample sheets
  'experiment', // trainJob, evalJob
  'api',
  'serve', // the HTTP API over opened runs (mmae serve)
  'cli',
];

const either = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.slice(0, -1).map((folder, i) => ({
  name: `layer-${folder}`,
  comment:
    `src/${folder}/ sits below ${LAYERS.slice(i + 1).join(', ')} (LAYERS in ` +
    '.dependency-cruiser.cjs): move what it needs from them down to its layer or below.',
  severity: 'error',
  from: { path: either([folder]) },
  to: { path: either(LAYERS.slice(i + 1)) },
}));

const unlisted = `^src/(?!(${LAYERS.join('|')})/)[^/]+/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: break it by moving the shared part to a module both import.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-plugins-in-core',
      comment:
        'src/ never imports plugins/ or datasets/; they contribute through ContainerModules.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(plugins|datasets)/' },
    },
    {
      name: 'folder-not-in-layers',
      comment: 'A folder of src/ missing from LAYERS in .dependency-cruiser.cjs: add it there.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: unlisted },
    },
    {
      name: 'folder-not-in-layers',
      comment: 'A folder of src/ missing from LAYERS in .dependency-cruiser.cjs: add it there.',
      severity: 'error',
      from: { path: unlisted },
      to: { path: '^src/' },
    },
    {
      name: 'engine-behind-its-index',
      comment:
        'The speed engine is reached through src/engine/index.ts only, so what it offers is one ' +
        'list and its internals (wasm heap offsets, the native addon) can change behind it.',
      severity: 'error',
      from: { path: '^src/(?!engine/)' },
      to: { path: '^src/engine/(?!index\\.ts$)' },
    },
    ...layerRules,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: ['node_modules', '^plugins/', '^datasets/'] },
    exclude: { path: '^src/engine/native/build/' },
  },
};
