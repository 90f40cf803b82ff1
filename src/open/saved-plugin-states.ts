/**
 * Reads state.json's envelope ({ modalities: { name: { plugin, state } } }) as data from an
 * untrusted run: its shape is checked before any modality's state is handed to its plugin,
 * which then checks the state itself (a vocabulary, normalisation statistics).
 */
import { z } from 'zod';
import { LIMITS } from '../config/limits.js';
import { formatIssues } from '../config/format-issues.js';
import { RunError } from '../errors/errors.js';

const savedPluginStatesSchema = z
  .object({
    modalities: z
      .record(z.string().min(1), z.object({ plugin: z.string().min(1), state: z.unknown() }))
      .refine((m) => Object.keys(m).length <= LIMITS.modalities, {
        message: `at most ${LIMITS.modalities} modalities`,
      }),
  })
  .passthrough();

/**
 * Each modality's saved state by name; absent state.json means no states. `file` names the run's
 * state.json in messages.
 */
export function savedPluginStates(pluginState: unknown, file: string): Record<string, unknown> {
  if (pluginState === undefined) return {};
  const parsed = savedPluginStatesSchema.safeParse(pluginState);
  if (!parsed.success) {
    throw new RunError(
      `${file} is malformed:\n${formatIssues(parsed.error.issues)}\n` +
        'restore the run from its source or train it again.',
      file,
    );
  }
  return Object.fromEntries(
    Object.entries(parsed.data.modalities).map(([name, saved]) => [name, saved.state]),
  );
}
