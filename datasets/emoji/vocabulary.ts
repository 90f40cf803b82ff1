/**
 * The fixed words of the emoji dataset: its vendors, the npm packages they come in, and the
 * nine Unicode emoji groups that are its classes (Unicode's tenth, 'component', holds the bare
 * skin-tone and hair swatches, which are not emoji one draws or names on their own).
 */

export const EMOJI_VENDORS = ['google', 'twitter'] as const;
export type EmojiVendor = (typeof EMOJI_VENDORS)[number];

/** The npm package of each vendor's images and the version range mmae is tested with. */
export const VENDOR_PACKAGES: Readonly<Record<EmojiVendor, { name: string; range: string }>> = {
  google: { name: 'emoji-datasource-google', range: '^16.0.0' },
  twitter: { name: 'emoji-datasource-twitter', range: '^16.0.0' },
};

/** Labels, keywords, groups and subgroups, in some thirty languages. */
export const TEXT_PACKAGE = { name: 'emojibase-data', range: '^17.0.0' } as const;

/** The groups, in Unicode's order without 'component'; a sample's label indexes this list. */
export const EMOJI_GROUPS = [
  'smileys-emotion',
  'people-body',
  'animals-nature',
  'food-drink',
  'travel-places',
  'activities',
  'objects',
  'symbols',
  'flags',
] as const;
export type EmojiGroup = (typeof EMOJI_GROUPS)[number];

/** The side of the PNGs under img/<vendor>/64/. */
export const SHIPPED_SIZE = 64;
