import { z } from 'zod';
import { boundedList, LIMITS } from 'mmae';
import { EMOJI_GROUPS, EMOJI_VENDORS } from './vocabulary.js';

/** '#rgb' or '#rrggbb'. */
const HEX_COLOUR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** A share in [0, 1) or a whole count of base emoji, as the plugin kit's splitIndices takes. */
const splitSize = z
  .number()
  .min(0)
  .max(LIMITS.samples)
  .refine((n) => n < 1 || Number.isInteger(n), {
    message: 'a value ≥ 1 is a count of base emoji and must be a whole number; below 1 a share',
  });

export const emojiOptionsSchema = z
  .object({
    /**
     * Folder holding the three packages (a node_modules folder). Default: node_modules of the
     * config file's folder or above it, then of mmae itself.
     */
    packagesDir: z.string().min(1).optional(),
    /** Whose drawings: 'google' (Noto Emoji), 'twitter' (Twemoji). Each is one sample per image. */
    vendors: boundedList(z.enum(EMOJI_VENDORS), EMOJI_VENDORS.length, 1)
      .refine((list) => new Set(list).size === list.length, { message: 'a vendor is listed twice' })
      .default(() => [...EMOJI_VENDORS]),
    /** Side of the square images: 64 as shipped, or 32 (downscaled by sharp). */
    size: z.literal([32, 64]).default(64),
    /** The colour transparent pixels are composited onto: '#rrggbb' or '#rgb'. */
    background: z
      .string()
      .regex(HEX_COLOUR, "a colour is '#rrggbb' or '#rgb', e.g. '#ffffff'")
      .default('#ffffff'),
    /** 'label': the CLDR name; 'label-keywords': the name and `keywords` CLDR keywords. */
    caption: z.enum(['label', 'label-keywords']).default('label'),
    /** Keywords drawn (seeded) into each 'label-keywords' caption. */
    keywords: z.number().int().min(1).max(32).default(3),
    /** Samples per image, each with its own keyword draw (draw = variant index). */
    captionsPerImage: z.number().int().min(1).max(LIMITS.repeatsPerSample).default(1),
    /** The emojibase-data language of labels and keywords ('en', 'fr', 'ja', 'zh-hant', …). */
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[a-z]{2,4})?$/, "a language is a folder name such as 'en' or 'zh-hant'")
      .default('en'),
    /**
     * 'keep': each skin-tone variant is an emoji of its own (label "… : dark skin tone");
     * 'fold': variants' images stay, captioned and identified as their base emoji;
     * 'drop': base images only.
     */
    skinTones: z.enum(['keep', 'fold', 'drop']).default('keep'),
    /** The class of a sample: its Unicode group (9 classes) or subgroup (about 100). */
    labels: z.enum(['group', 'subgroup']).default('group'),
    /** Keep only emoji of these groups (labels keep their indices among all 9). */
    groups: boundedList(z.enum(EMOJI_GROUPS), EMOJI_GROUPS.length, 1).optional(),
    /** Base emoji held out for validation: a share (< 1) or a count. */
    validationSize: splitSize.default(0.1),
    /** Base emoji held out for test: a share (< 1) or a count. */
    testSize: splitSize.default(0.1),
    /** Keep a seeded random subset of this many base emoji (before splitting), for quick runs. */
    emojiLimit: z.number().int().positive().max(LIMITS.samples).optional(),
  })
  .strict();

export type EmojiOptions = z.output<typeof emojiOptionsSchema>;
