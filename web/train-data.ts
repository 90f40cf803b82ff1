/**
 * The samples the training page trains on, as one file: image+caption pairs of a train and a
 * validation split, with the config they belong to. The build writes it from the config's own
 * dataset (web/write-train-data.ts, on Node), so the tab trains on exactly the pairs `mmae train`
 * would; the page reads it here, every field bounded and checked before a sample is made.
 *
 * Layout: the 8 bytes `MMAETD01`, a little-endian u32 header length, the header (UTF-8 JSON:
 * config, image geometry, each split's ids, labels and captions), then each split's pixels,
 * train first, `count × width × height × channels` bytes each.
 */
import type { RawSample, RawSplit } from 'mmae/portable';

export const TRAIN_DATA_MAGIC = 'MMAETD01';
/** Bounds of a file the page accepts: far above the shipped configs' (5,500 pairs: 4.4 MB). */
export const TRAIN_DATA_LIMITS = {
  bytes: 64 * 1024 * 1024,
  headerBytes: 8 * 1024 * 1024,
  samples: 20_000,
  side: 64,
  captionChars: 200,
  idChars: 100,
} as const;

export interface TrainDataSplit {
  readonly ids: readonly string[];
  readonly labels: readonly number[];
  readonly captions: readonly string[];
  /** count × width × height × channels bytes. */
  readonly pixels: Uint8Array;
}

export interface TrainData {
  readonly config: Readonly<Record<string, unknown>>;
  readonly image: { readonly width: number; readonly height: number; readonly channels: 1 | 3 };
  readonly train: TrainDataSplit;
  readonly validation: TrainDataSplit;
}

export function encodeTrainData(data: TrainData): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({
      config: data.config,
      image: data.image,
      splits: Object.fromEntries(
        (['train', 'validation'] as const).map((name) => {
          const s = data[name];
          return [name, { ids: s.ids, labels: s.labels, captions: s.captions }];
        }),
      ),
    }),
  );
  const out = new Uint8Array(
    12 + header.byteLength + data.train.pixels.byteLength + data.validation.pixels.byteLength,
  );
  out.set(new TextEncoder().encode(TRAIN_DATA_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.byteLength, true);
  out.set(header, 12);
  out.set(data.train.pixels, 12 + header.byteLength);
  out.set(data.validation.pixels, 12 + header.byteLength + data.train.pixels.byteLength);
  parseTrainData(out); // what the page would refuse is refused here, at build time
  return out;
}

function bad(why: string): never {
  throw new Error(`The training data file is not one the page reads: ${why}.`);
}

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Reads and checks a training data file; every count, size and string is bounded. */
export function parseTrainData(bytes: Uint8Array): TrainData {
  const L = TRAIN_DATA_LIMITS;
  if (!(bytes instanceof Uint8Array)) bad('not bytes');
  if (bytes.byteLength > L.bytes) bad(`${bytes.byteLength} bytes, over ${L.bytes}`);
  if (bytes.byteLength < 12) bad('too short');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== TRAIN_DATA_MAGIC) bad('no MMAETD01 mark');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(
    8,
    true,
  );
  if (headerLength > L.headerBytes || 12 + headerLength > bytes.byteLength)
    bad('a header past the end');
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerLength)),
    );
  } catch {
    bad('its header is not UTF-8 JSON');
  }
  const h = header as Record<string, unknown>;
  if (typeof h !== 'object' || h === null) bad('its header is not an object');
  const config = h.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) bad('no config');
  const image = h.image as Record<string, unknown> | undefined;
  if (
    typeof image !== 'object' ||
    image === null ||
    !isInt(image.width, 1, L.side) ||
    !isInt(image.height, 1, L.side) ||
    (image.channels !== 1 && image.channels !== 3)
  ) {
    bad(`image geometry must be 1–${L.side} pixels a side, 1 or 3 channels`);
  }
  const geometry = { width: image.width, height: image.height, channels: image.channels as 1 | 3 };
  const perImage = geometry.width * geometry.height * geometry.channels;
  const splits = h.splits as Record<string, unknown> | undefined;
  let at = 12 + headerLength;
  let total = 0;
  const split = (name: 'train' | 'validation'): TrainDataSplit => {
    const s = splits?.[name] as Record<string, unknown> | undefined;
    const { ids, labels, captions } = s ?? {};
    if (!Array.isArray(ids) || !Array.isArray(labels) || !Array.isArray(captions))
      bad(`no ${name} split`);
    const n = ids.length;
    total += n;
    if (total > L.samples) bad(`more than ${L.samples} samples`);
    if (labels.length !== n || captions.length !== n)
      bad(`${name}: ids, labels and captions differ in count`);
    ids.forEach((id: unknown, i) => {
      if (typeof id !== 'string' || id.length === 0 || id.length > L.idChars)
        bad(`${name} id ${i}`);
    });
    labels.forEach((label: unknown, i) => {
      if (!isInt(label, -1, 1_000_000)) bad(`${name} label ${i}`);
    });
    captions.forEach((c: unknown, i) => {
      if (typeof c !== 'string' || c.length === 0 || c.length > L.captionChars) {
        bad(`${name} caption ${i} must be 1–${L.captionChars} characters`);
      }
    });
    const length = n * perImage;
    if (at + length > bytes.byteLength) bad(`${name}: fewer pixels than ${n} images`);
    const pixels = bytes.subarray(at, at + length);
    at += length;
    return {
      ids: ids as string[],
      labels: labels as number[],
      captions: captions as string[],
      pixels,
    };
  };
  const train = split('train');
  const validation = split('validation');
  if (train.ids.length === 0) bad('no training sample');
  if (at !== bytes.byteLength) bad(`${bytes.byteLength - at} bytes after the pixels`);
  return { config: config as Record<string, unknown>, image: geometry, train, validation };
}

/** A split as the image and text modalities take it: decoded pixels and a caption string. */
export function rawSplitOf(split: TrainDataSplit, image: TrainData['image']): RawSplit {
  const perImage = image.width * image.height * image.channels;
  return {
    size: split.ids.length,
    sample(index: number): RawSample {
      if (!Number.isInteger(index) || index < 0 || index >= split.ids.length) {
        throw new RangeError(`sample index ${index} is outside a split of ${split.ids.length}`);
      }
      const label = split.labels[index]!;
      return {
        id: split.ids[index]!,
        ...(label >= 0 ? { label } : {}),
        values: {
          image: {
            kind: 'decoded',
            value: {
              ...image,
              data: split.pixels.subarray(index * perImage, (index + 1) * perImage),
            },
          },
          text: { kind: 'text', text: split.captions[index]! },
        },
      };
    },
  };
}
