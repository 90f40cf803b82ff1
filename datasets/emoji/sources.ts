/**
 * The shapes of the packages' JSON files, as far as the dataset reads them. Every list and
 * string is bounded and every image name is a plain file name (`1f44b-1f3fb.png`), so a
 * tampered emoji.json can neither cost unbounded memory nor point a read outside img/.
 */
import { z } from 'zod';
import { boundedList } from 'mmae';
import { EMOJI_VENDORS } from './vocabulary.js';

/** A code point sequence as the packages write it: upper-case hex joined by '-'. */
const sequence = z
  .string()
  .max(200)
  .regex(/^[0-9A-F]{1,6}(-[0-9A-F]{1,6})*$/, 'a code point sequence such as 1F44B-1F3FB');
const imageName = z
  .string()
  .max(200)
  .regex(/^[0-9a-f]{1,6}(-[0-9a-f]{1,6})*\.png$/, 'a PNG file name such as 1f44b-1f3fb.png');
const text = z.string().max(1000);

const hasImages = Object.fromEntries(
  EMOJI_VENDORS.map((vendor) => [`has_img_${vendor}`, z.boolean().optional()]),
) as Record<`has_img_${(typeof EMOJI_VENDORS)[number]}`, z.ZodOptional<z.ZodBoolean>>;

const variation = z.object({ unified: sequence, image: imageName, ...hasImages });

/** A record of at most `max` keys, counted before its values are checked. */
function boundedRecord<T extends z.ZodType>(value: T, max: number) {
  return z
    .record(z.string().max(100), z.unknown())
    .refine((r) => Object.keys(r).length <= max, { message: `at most ${max} entries` })
    .pipe(z.record(z.string().max(100), value));
}

/** One entry of emoji-datasource's emoji.json. */
export const datasourceEntrySchema = z.object({
  unified: sequence,
  image: imageName,
  name: text.nullable().optional(),
  category: text,
  sort_order: z.number().int(),
  ...hasImages,
  skin_variations: boundedRecord(variation, 64).optional(),
});
export type DatasourceEntry = z.output<typeof datasourceEntrySchema>;

/** emoji.json: about 1,900 entries in v16; 20,000 is far above any Unicode version. */
export const datasourceSchema = boundedList(datasourceEntrySchema, 20_000, 1);

const emojibaseSkin = z.object({ label: text, hexcode: sequence });

/** One entry of emojibase-data's <language>/data.json. */
export const emojibaseEntrySchema = z.object({
  label: text,
  hexcode: sequence,
  tags: boundedList(z.string().max(200), 1000).optional(),
  group: z.number().int().min(0).max(1000).optional(),
  subgroup: z.number().int().min(0).max(10_000).optional(),
  skins: boundedList(emojibaseSkin, 64).optional(),
});
export type EmojibaseEntry = z.output<typeof emojibaseEntrySchema>;

export const emojibaseSchema = boundedList(emojibaseEntrySchema, 20_000, 1);

/** emojibase-data's meta/groups.json: group and subgroup keys by number, and which holds which. */
export const emojibaseGroupsSchema = z.object({
  groups: boundedRecord(z.string().max(100), 1000),
  subgroups: boundedRecord(z.string().max(100), 10_000),
  hierarchy: boundedRecord(boundedList(z.number().int().min(0), 10_000), 1000),
});
export type EmojibaseGroups = z.output<typeof emojibaseGroupsSchema>;
