/**
 * Writes the training page's data files (web/train-data.ts) on Node: for each shipped config
 * (web/page-configs.ts), its own dataset opened as `mmae train` opens it, and its train and
 * validation pairs copied out, so the tab trains on exactly those samples.
 */
import { openConfigDataset, parseConfig, type RawSplit } from 'mmae';
import type { PageConfig } from './page-configs.js';
import { encodeTrainData, type TrainData, type TrainDataSplit } from './train-data.js';

interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

function copySplit(split: RawSplit): { split: TrainDataSplit; image: Pixels } {
  const ids: string[] = [];
  const labels: number[] = [];
  const captions: string[] = [];
  const chunks: Uint8Array[] = [];
  let first: Pixels | undefined;
  for (let i = 0; i < split.size; i++) {
    const sample = split.sample(i);
    const image = sample.values.image;
    const text = sample.values.text;
    if (image?.kind !== 'decoded' || text?.kind !== 'text') {
      throw new Error(`${sample.id}: the page's data holds decoded images and caption strings`);
    }
    const pixels = image.value as Pixels;
    first ??= pixels;
    if (
      pixels.width !== first.width ||
      pixels.height !== first.height ||
      pixels.channels !== first.channels
    ) {
      throw new Error(`${sample.id}: every image must have one geometry`);
    }
    ids.push(sample.id);
    labels.push(sample.label ?? -1);
    captions.push(typeof text.text === 'string' ? text.text : new TextDecoder().decode(text.text));
    chunks.push(pixels.data);
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return {
    split: { ids, labels, captions, pixels: all },
    image: first ?? { width: 28, height: 28, channels: 1, data: new Uint8Array(0) },
  };
}

export async function trainDataOf(page: PageConfig, baseDir: string): Promise<Uint8Array> {
  const config = parseConfig(page.config, `page config ${page.id}`);
  const dataset = await openConfigDataset(config, baseDir);
  const train = copySplit(dataset.train);
  const validation = copySplit(dataset.validation);
  const { width, height, channels } = train.image;
  if (channels !== 1 && channels !== 3) throw new Error(`${page.id}: ${channels} channels`);
  const data: TrainData = {
    config: page.config,
    image: { width, height, channels },
    train: train.split,
    validation: validation.split,
  };
  return encodeTrainData(data);
}
