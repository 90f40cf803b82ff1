/**
 * The 'emoji' dataset: emoji as drawn by Google (Noto Emoji) and Twitter (Twemoji), each image
 * captioned with its CLDR name (and keywords) and labelled with its Unicode group. The split is
 * by base emoji: a base, its skin-tone variants and every vendor's drawing of them land in one
 * split, so a test emoji was never seen in training in any form.
 */
import type { DatasetAdapter, RawDataset, RawSample, RawSplit } from 'mmae';
import { ConfigError, deriveSeed, lazySplit, SeededRandom, splitIndices } from 'mmae';
import { emojiCaption } from './captions.js';
import {
  loadEmojiCatalogue,
  type EmojiCatalogue,
  type EmojiEntry,
  type EmojiForm,
} from './catalogue.js';
import { decodeEmojiImages, parseColour } from './images.js';
import { emojiCaptionReferences, emojiInstances, type EmojiReference } from './instances.js';
import { emojiOptionsSchema, type EmojiOptions } from './options.js';
import { emojiSampleId } from './sample-id.js';
import { locatePackage, packageSearchPath } from './packages.js';
import {
  EMOJI_GROUPS,
  TEXT_PACKAGE,
  VENDOR_PACKAGES,
  type EmojiGroup,
  type EmojiVendor,
} from './vocabulary.js';

/** A sample of the emoji dataset: a RawSample that also says which emoji and whose drawing. */
export interface EmojiSample extends RawSample {
  /** `emoji/<vendor>/<emoji>[/<image>][#<draw>]`: see sample-id.ts (parseEmojiSampleId). */
  readonly id: string;
  /** The base emoji's sequence: what the split keeps together. */
  readonly group: string;
  /**
   * The emoji this image shows, for instance-level and cross-vendor retrieval: the form's own
   * sequence with skinTones 'keep', the base's otherwise. Both vendors' drawings share it.
   */
  readonly emoji: string;
  readonly vendor: EmojiVendor;
  readonly groupName: EmojiGroup;
  /** The Unicode subgroup key ('face-smiling'). */
  readonly subgroupName: string;
}

/** One image of the dataset before its pixels are decoded. */
interface ImageItem {
  readonly entry: EmojiEntry;
  readonly form: EmojiForm;
  readonly vendor: EmojiVendor;
  readonly file: string;
}

function imagesOf(entries: readonly EmojiEntry[], options: EmojiOptions): ImageItem[] {
  const items: ImageItem[] = [];
  for (const entry of entries) {
    const forms = options.skinTones === 'drop' ? entry.forms.slice(0, 1) : entry.forms;
    for (const form of forms) {
      for (const vendor of options.vendors) {
        const file = form.images[vendor];
        if (file !== undefined) items.push({ entry, form, vendor, file });
      }
    }
  }
  return items;
}

/** The entries of the chosen groups, then a seeded subset of `emojiLimit` of them. */
function chooseEntries(
  catalogue: EmojiCatalogue,
  options: EmojiOptions,
  seed: number,
): EmojiEntry[] {
  const wanted = new Set((options.groups ?? EMOJI_GROUPS).map((g) => EMOJI_GROUPS.indexOf(g)));
  const entries = catalogue.entries.filter(
    (e) => wanted.has(e.group) && e.forms.some((f) => options.vendors.some((v) => f.images[v])),
  );
  if (entries.length === 0) {
    throw new ConfigError(
      `the emoji packages hold no emoji of group(s) ${[...wanted].map((g) => EMOJI_GROUPS[g]).join(', ')} ` +
        `drawn by ${options.vendors.join(', ')}; choose other \`groups\` or \`vendors\`.`,
      'groups',
    );
  }
  const limit = options.emojiLimit;
  if (limit === undefined || limit >= entries.length) return entries;
  const pick = new SeededRandom(deriveSeed(seed, 'emoji', 'emojiLimit'))
    .permutation(entries.length)
    .subarray(0, limit)
    .sort();
  return Array.from(pick, (i) => entries[i] as EmojiEntry);
}

function sampleOf(
  item: ImageItem,
  pixels: Uint8Array,
  draw: number,
  options: EmojiOptions,
  catalogue: EmojiCatalogue,
  seed: number,
): EmojiSample {
  const { entry, form, vendor } = item;
  const folded = options.skinTones !== 'keep';
  const base = entry.forms[0] as EmojiForm;
  const label = folded ? base.label : form.label;
  const emoji = folded ? entry.id : form.sequence;
  const key = `${vendor}/${form.sequence}`;
  const text = emojiCaption(label, entry.keywords, options, seed, key, draw);
  const classOf = options.labels === 'group' ? entry.group : entry.subgroup;
  return {
    id: emojiSampleId({ vendor, emoji, image: form.sequence, draw }, options.captionsPerImage),
    ...(classOf >= 0 ? { label: classOf } : {}),
    group: entry.id,
    emoji,
    vendor,
    groupName: EMOJI_GROUPS[entry.group] as EmojiGroup,
    subgroupName: catalogue.subgroups[entry.subgroup] ?? '',
    values: {
      image: {
        kind: 'decoded',
        value: { width: options.size, height: options.size, channels: 3, data: pixels },
      },
      text: { kind: 'text', text },
    },
  };
}

async function locateSources(options: EmojiOptions, baseDir: string) {
  const searchPath = packageSearchPath(options.packagesDir, baseDir);
  const vendors: Partial<Record<EmojiVendor, string>> = {};
  for (const vendor of options.vendors) {
    vendors[vendor] = await locatePackage(VENDOR_PACKAGES[vendor], searchPath);
  }
  const emojibase = await locatePackage(TEXT_PACKAGE, searchPath);
  return { vendors, emojibase, language: options.language };
}

export async function loadEmoji(
  options: EmojiOptions,
  context: { seed: number; baseDir: string },
): Promise<RawDataset> {
  const catalogue = await loadEmojiCatalogue(await locateSources(options, context.baseDir));
  const entries = chooseEntries(catalogue, options, context.seed);
  const split = splitIndices(
    entries.length,
    { validation: options.validationSize, test: options.testSize },
    deriveSeed(context.seed, 'emoji', 'split'),
  );
  const bases = (rows: Int32Array) => Array.from(rows, (row) => entries[row] as EmojiEntry);
  const items = {
    train: imagesOf(bases(split.train), options),
    validation: imagesOf(bases(split.validation), options),
    test: imagesOf(bases(split.test), options),
  };
  // Every image of the three splits at once: one pass, every broken file listed together.
  const all = [...items.train, ...items.validation, ...items.test];
  const target = { size: options.size, background: parseColour(options.background) };
  const decoded = await decodeEmojiImages(
    all.map((item) => item.file),
    target,
  );
  const pixelsOf = new Map(all.map((item, i) => [item, decoded[i] as Uint8Array]));
  const perImage = options.captionsPerImage;
  const splitOf = (list: readonly ImageItem[]): RawSplit =>
    lazySplit(list.length * perImage, (i) => {
      const item = list[Math.floor(i / perImage)] as ImageItem;
      const pixels = pixelsOf.get(item) as Uint8Array;
      return sampleOf(item, pixels, i % perImage, options, catalogue, context.seed);
    });
  // The sample's `emoji` key and label as sampleOf gives them (folded variants: their base's).
  const references = new Map<string, EmojiReference>();
  for (const { entry, form } of all) {
    const folded = options.skinTones !== 'keep';
    const base = entry.forms[0] as EmojiForm;
    references.set(folded ? entry.id : form.sequence, {
      label: folded ? base.label : form.label,
      keywords: entry.keywords,
    });
  }
  return {
    id: 'emoji',
    modalities: ['image', 'text'],
    classes: options.labels === 'group' ? [...EMOJI_GROUPS] : [...catalogue.subgroups],
    instances: emojiInstances,
    captionReferences: emojiCaptionReferences(references),
    train: splitOf(items.train),
    validation: splitOf(items.validation),
    test: splitOf(items.test),
  };
}

export const emojiAdapter: DatasetAdapter<EmojiOptions> = {
  id: 'emoji',
  description:
    'Emoji drawn by Google (Noto) and Twitter (Twemoji), 64 or 32 px RGB, captioned with their ' +
    'CLDR names and keywords, labelled by Unicode group; split by base emoji.',
  optionsSchema: emojiOptionsSchema,
  load: loadEmoji,
};
