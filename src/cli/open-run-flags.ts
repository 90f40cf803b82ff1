/**
 * The flags every command that opens a trained run shares: the backend to run it on and the
 * plugin modules the user trusts. A run never names the code that opens it (docs/security.md),
 * so a run trained with a user's plugin is opened with `--plugin` naming that plugin again.
 */
import { parseBackendRequest } from '../backend/index.js';
import type { OpenRunOptions } from '../open/open-run.js';

export const openRunFlagOptions = {
  backend: { type: 'string' },
  plugin: { type: 'string', multiple: true },
} as const;

export const OPEN_RUN_FLAGS_HELP = `  --backend B     auto, tensorflow, wasm or cpu
  --plugin P      a plugin module you trust (path or package name), for runs trained with it;
                  repeatable. Nothing the run itself names is ever imported.`;

/** For commands that read a query file: where its size limits come from. */
export const QUERY_FILE_LIMITS_HELP = `Query files must be regular files within a size limit: images 32 MiB (MMAE_MAX_IMAGE_MB) and
64 megapixels (MMAE_MAX_IMAGE_MEGAPIXELS), a WAV's clip 256 MiB (MMAE_MAX_AUDIO_MB); see
docs/security.md.`;

export function openRunOptionsOf(values: {
  readonly backend?: string;
  readonly plugin?: readonly string[];
}): OpenRunOptions {
  return {
    ...(values.backend ? { backend: parseBackendRequest(values.backend, '--backend') } : {}),
    ...(values.plugin?.length ? { plugins: values.plugin } : {}),
  };
}
