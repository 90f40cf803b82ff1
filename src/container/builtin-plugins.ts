/**
 * The built-in plugins, loaded by path exactly as a user's plugin is: the core never imports
 * them statically. Paths are relative to the package root.
 */
export const BUILTIN_PLUGIN_PATHS: readonly string[] = [
  'plugins/image/index.js',
  'plugins/text/index.js',
  'plugins/audio/index.js',
  'plugins/fusion-mean/index.js',
  'plugins/fusion-concat/index.js',
  'plugins/fusion-gated/index.js',
  'plugins/fusion-tensor/index.js',
  'plugins/fusion-low-rank/index.js',
  'datasets/index.js',
];
