/**
 * What a browser page imports to run a trained image+text run: the portable entry and the
 * portable built-in plugins. The browser-bundle test bundles this file for the browser and runs
 * it in Node against loadRun.
 */
export { loadRunFiles, type RunFileBytes } from 'mmae/portable';
export { portableImageModule } from '../../plugins/image/portable.js';
export { portableTextModule } from '../../plugins/text/portable.js';
export { portableAudioModule } from '../../plugins/audio/portable.js';
export { default as concatFusionModule } from '../../plugins/fusion-concat/index.js';
