/**
 * An index that is sound but no longer answers for the model: built from another checkpoint,
 * saved by an older mmae without the checkpoint it came from, or never completed. Rebuilding is
 * the whole fix, so a caller that can build indexes on the fly does so; one that cannot shows the
 * message. Damage or forgery is a plain RunError instead: it deserves a user's attention.
 */
import { RunError } from '../errors/errors.js';

export class StaleIndexError extends RunError {}
