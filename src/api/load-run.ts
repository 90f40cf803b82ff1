/** loadRun: a trained run opened from disk (Node) as the public LoadedModel. */
import { z } from 'zod';
import { openRun, type OpenRunOptions } from '../open/open-run.js';
import { checkArgument, openRunOptionsSchema } from './check-api-input.js';
import { LoadedModel } from './loaded-model.js';

/** Opens a trained run (a run directory, or a run's name under runs/). */
export async function loadRun(
  pathOrName: string,
  options: OpenRunOptions = {},
): Promise<LoadedModel> {
  const path = checkArgument(z.string().min(1), pathOrName, 'loadRun(pathOrName)');
  const checked = checkArgument(openRunOptionsSchema, options, 'loadRun(pathOrName, options)');
  return new LoadedModel(await openRun(path, checked));
}
