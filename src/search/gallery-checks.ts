/**
 * The user-facing checks both indexes run before touching a backend: a gallery must be
 * non-empty with ids/labels per row, and k must be a whole number no larger than the gallery.
 */
import { UsageError } from '../errors/errors.js';
import { MAX_EUCLIDEAN_ABS } from './stored-rows-check.js';
import { METRICS, type GalleryItems, type Matrix, type Metric } from './types.js';

export function checkMetric(metric: unknown): Metric {
  if (!METRICS.includes(metric as Metric)) {
    throw new UsageError(
      `metric: '${String(metric)}' is not supported; use one of ${METRICS.join(', ')}.`,
    );
  }
  return metric as Metric;
}

export function checkGallery(rows: number, items: GalleryItems): void {
  if (rows === 0) {
    throw new UsageError('gallery: the gallery is empty (0 vectors); add at least one vector.');
  }
  if (items.ids && items.ids.length !== rows) {
    throw new UsageError(`ids: ${items.ids.length} ids for ${rows} vectors; give one id per row.`);
  }
  if (items.labels && items.labels.length !== rows) {
    throw new UsageError(
      `labels: ${items.labels.length} labels for ${rows} vectors; give one label per row.`,
    );
  }
}

/** Euclidean values must stay where squared distances fit float32, as a load checks too. */
export function checkGalleryValues(m: Matrix, metric: Metric): void {
  if (metric !== 'euclidean') return;
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i] as number;
    if (Math.abs(v) > MAX_EUCLIDEAN_ABS) {
      throw new UsageError(
        `gallery: row ${Math.floor(i / m.dims)}, column ${i % m.dims} is ${v}; euclidean ` +
          `galleries must stay within ±${MAX_EUCLIDEAN_ABS} so squared distances fit float32.`,
      );
    }
  }
}

export function checkK(k: number, gallerySize: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new UsageError(`k: ${k} is not a positive integer; ask for at least 1 neighbour.`);
  }
  if (k > gallerySize) {
    throw new UsageError(
      `k: ${k} is larger than the gallery (${gallerySize} items); ask for at most ${gallerySize}.`,
    );
  }
}

/** Ids as strings, defaulting to the row number. */
export function resolveIds(rows: number, ids: readonly string[] | undefined): string[] {
  return ids ? ids.map(String) : Array.from({ length: rows }, (_, i) => String(i));
}
