/**
 * Retrieval queries that arrive together are encoded and searched together. The model and the
 * index run on the one JavaScript thread, and most of a single query's cost is the fixed cost of
 * each tfjs op, not its arithmetic: fifty queries encoded as one batch of fifty cost little more
 * than one. So a query waits until the end of the current turn of the event loop (setImmediate),
 * by which time every request read in the same turn has joined it, and the batch goes through
 * the encoder and the index's search once. A lone query is a batch of one, encoded exactly as
 * LoadedModel.encode encodes it.
 */
import * as tf from '@tensorflow/tfjs';
import type { GalleryIndex } from '../crossmodal/gallery-index.js';
import type { ModalityBatch } from '../data/contract.js';
import type { PreparedValue } from '../model/encode-sample.js';
import type { JointModel } from '../model/joint-model.js';
import type { SearchHit } from '../search/index.js';

interface Pending {
  readonly index: GalleryIndex;
  readonly prepared: readonly PreparedValue[];
  readonly k: number;
  /** Whether the request still wants an answer (not timed out, client still there). */
  readonly wanted: () => boolean;
  readonly resolve: (hits: SearchHit[]) => void;
  readonly reject: (error: unknown) => void;
}

/** The largest batch: its features and its scores against the gallery stay a few MiB. */
const MAX_BATCH = 128;

export class QueryBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly model: JointModel) {}

  /** The `k` nearest items of `index` to the sample `prepared`, nearest first. */
  search(
    index: GalleryIndex,
    prepared: readonly PreparedValue[],
    k: number,
    wanted: () => boolean,
  ): Promise<SearchHit[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ index, prepared, k, wanted, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const pending = this.queue.filter((p) => p.wanted());
    for (const dropped of this.queue.filter((p) => !p.wanted())) dropped.resolve([]);
    this.queue = [];
    for (const group of groups(pending)) {
      for (let start = 0; start < group.length; start += MAX_BATCH) {
        this.answer(group.slice(start, start + MAX_BATCH));
      }
    }
  }

  /** One batch: the same gallery, the same modalities given. */
  private answer(batch: readonly Pending[]): void {
    try {
      const codes = encodeRows(
        this.model,
        batch.map((p) => p.prepared),
      );
      const kMax = Math.max(...batch.map((p) => p.k));
      const hits = batch[0]!.index.search(codes, kMax);
      batch.forEach((p, row) => p.resolve((hits[row] ?? []).slice(0, p.k)));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}

/** Queries grouped by gallery and by the modalities they give, in arrival order. */
function groups(pending: readonly Pending[]): Pending[][] {
  const byKey = new Map<GalleryIndex, Map<string, Pending[]>>();
  for (const p of pending) {
    const key = p.prepared.map((v) => v.setup.name).join('\u0000');
    let forIndex = byKey.get(p.index);
    if (!forIndex) byKey.set(p.index, (forIndex = new Map()));
    const group = forIndex.get(key);
    if (group) group.push(p);
    else forIndex.set(key, [p]);
  }
  return [...byKey.values()].flatMap((forIndex) => [...forIndex.values()]);
}

/** Row-major codes [rows, latentSize] of samples that give the same modalities, in one pass. */
function encodeRows(model: JointModel, rows: readonly (readonly PreparedValue[])[]): Float32Array {
  const codes = tf.tidy(() => {
    const inputs: Record<string, ModalityBatch> = {};
    rows[0]!.forEach(({ setup }, m) => {
      const spec = setup.instance.featureSpec;
      const width = spec.shape.reduce((a, b) => a * b, 1);
      const data =
        spec.dtype === 'int32'
          ? new Int32Array(rows.length * width)
          : new Float32Array(rows.length * width);
      rows.forEach((row, r) => data.set(row[m]!.features, r * width));
      inputs[setup.name] = {
        features: tf.tensor(data, [rows.length, ...spec.shape], spec.dtype),
        present: tf.ones([rows.length]),
      };
    });
    return model.encode(inputs).z;
  });
  const out = Float32Array.from(codes.dataSync());
  codes.dispose();
  return out;
}
