/**
 * An example dataset adapter: seeded sine waves whose frequency class is the label. A plugin
 * package can contribute datasets next to its modalities. With `captions: true` every wave also
 * carries a caption naming its class ("a fast wave"), so the plugin's modality can be paired with
 * the built-in text modality (config-captioned.yaml) and gets a cross-modal evaluation.
 */
import { z } from 'zod';
import type { DatasetAdapter, RawSample, RawSplit } from 'mmae';

const optionsSchema = z
  .object({
    samples: z.number().int().positive().default(600),
    length: z.number().int().positive().default(32),
    captions: z.boolean().default(false),
    /** Classes kept out of train and validation, for the eval's anomaly AUROC. */
    heldOutClasses: z.array(z.number().int().min(0).max(2)).max(3).default([]),
  })
  .strict();
type Options = z.output<typeof optionsSchema>;

function mulberry(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function split(samples: RawSample[]): RawSplit {
  return { size: samples.length, sample: (i) => samples[i]! };
}

const CLASSES = ['slow', 'medium', 'fast'] as const;

export const sineDataset: DatasetAdapter<Options> = {
  id: 'sine-waves',
  description: 'Seeded sine waves in three frequency classes (example plugin).',
  optionsSchema: optionsSchema as unknown as z.ZodType<Options>,
  async load(options, context) {
    const random = mulberry(context.seed);
    const all: RawSample[] = [];
    for (let i = 0; i < options.samples; i++) {
      const label = i % 3;
      const phase = random() * 2 * Math.PI;
      const values = Array.from({ length: options.length }, (_, t) =>
        Math.sin(((label + 1) * 2 * Math.PI * t) / options.length + phase).toFixed(4),
      );
      all.push({
        id: `sine/${i}`,
        label,
        values: {
          timeseries: { kind: 'text', text: values.join(',') },
          ...(options.captions ? { text: { kind: 'text', text: `a ${CLASSES[label]} wave` } } : {}),
        },
      });
    }
    const cut = Math.floor(all.length * 0.8);
    const mid = Math.floor(all.length * 0.9);
    const seen = (samples: RawSample[]) =>
      samples.filter((s) => !options.heldOutClasses.includes(s.label!));
    return {
      id: 'sine-waves',
      modalities: options.captions ? ['timeseries', 'text'] : ['timeseries'],
      classes: CLASSES,
      heldOutClasses: options.heldOutClasses,
      train: split(seen(all.slice(0, cut))),
      validation: split(seen(all.slice(cut, mid))),
      test: split(all.slice(mid)),
    };
  },
};
