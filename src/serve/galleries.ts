/**
 * A run's gallery indexes, kept warm for the server's lifetime. The first retrieval from a
 * modality and split opens the run's own index (RUN/index/<modality>-<split>/, the one `mmae
 * index` builds and `mmae retrieve` reads), building it when missing; every later request
 * searches the one in memory. Requests that arrive while it is being opened wait on the same
 * promise, so a gallery is encoded once however many clients ask at first.
 */
import { openGalleryIndex, type GalleryIndex } from '../crossmodal/gallery-index.js';
import type { SplitName } from '../crossmodal/split-table.js';
import type { OpenedRun } from '../open/open-run.js';

export class Galleries {
  private readonly indexes = new Map<string, Promise<GalleryIndex>>();
  private disposed = false;

  constructor(
    private readonly opened: OpenedRun,
    private readonly log: (line: string) => void,
  ) {}

  /** The index of `modality` over `split`; both already checked against the run. */
  get(modality: string, split: SplitName): Promise<GalleryIndex> {
    const key = `${modality}\u0000${split}`;
    let index = this.indexes.get(key);
    if (index === undefined) {
      index = openGalleryIndex(this.opened, modality, split, { note: this.log });
      this.indexes.set(key, index);
      // A failed open (no dataset on this machine, a damaged index) is not cached: the next
      // request tries again, e.g. after `mmae index` repaired it.
      index.catch(() => this.indexes.delete(key));
      // Opened after the server closed: nobody will dispose it otherwise.
      void index.then((opened) => this.disposed && opened.dispose?.()).catch(() => {});
    }
    return index;
  }

  dispose(): void {
    this.disposed = true;
    for (const index of this.indexes.values()) {
      void index.then((opened) => opened.dispose?.()).catch(() => {});
    }
    this.indexes.clear();
  }
}
