/**
 * A small copy of the three emoji packages, made in a temp dir: a node_modules folder holding
 * emoji-datasource-google and -twitter (emoji.json and img/<vendor>/64/*.png, in the packages'
 * own formats) and emojibase-data (en/ and fr/ data.json, meta/groups.json). Every image is
 * 64×64 RGBA: its left half transparent, its right half opaque in a colour of its own, and its
 * top row half transparent, so compositing and downscaling can be checked pixel by pixel.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export interface FixtureEmoji {
  readonly unified: string;
  readonly name: string;
  readonly category: string;
  readonly group: number;
  readonly subgroup: number;
  readonly label: string;
  readonly labelFr: string;
  readonly tags: readonly string[];
  /** Skin-tone modifiers of its variants. */
  readonly skins?: readonly string[];
  /** Vendors without an image of it. */
  readonly missingIn?: readonly string[];
}

export const FIXTURE_EMOJI: readonly FixtureEmoji[] = [
  {
    unified: '1F600',
    name: 'GRINNING FACE',
    category: 'Smileys & Emotion',
    group: 0,
    subgroup: 0,
    label: 'grinning face',
    labelFr: 'visage rieur',
    tags: ['face', 'grin', 'grinning face', 'happy', 'smile', 'cheerful'],
  },
  {
    unified: '2764-FE0F',
    name: 'HEAVY BLACK HEART',
    category: 'Smileys & Emotion',
    group: 0,
    subgroup: 1,
    label: 'red heart',
    labelFr: 'cœur rouge',
    tags: ['heart', 'love', 'romance'],
  },
  {
    unified: '1F44B',
    name: 'WAVING HAND SIGN',
    category: 'People & Body',
    group: 1,
    subgroup: 2,
    label: 'waving hand',
    labelFr: 'main qui salue',
    tags: ['hand', 'hello', 'wave', 'bye', 'hi', 'waving'],
    skins: ['1F3FB', '1F3FF'],
  },
  {
    unified: '1F436',
    name: 'DOG FACE',
    category: 'Animals & Nature',
    group: 3,
    subgroup: 4,
    label: 'dog face',
    labelFr: 'tête de chien',
    tags: ['dog', 'face', 'pet'],
    missingIn: ['twitter'],
  },
  {
    unified: '1F34E',
    name: 'RED APPLE',
    category: 'Food & Drink',
    group: 4,
    subgroup: 5,
    label: 'red apple',
    labelFr: 'pomme rouge',
    tags: ['apple', 'fruit', 'red'],
  },
  {
    unified: '1F697',
    name: 'AUTOMOBILE',
    category: 'Travel & Places',
    group: 5,
    subgroup: 6,
    label: 'automobile',
    labelFr: 'voiture',
    tags: ['car'],
  },
  {
    unified: '26BD',
    name: 'SOCCER BALL',
    category: 'Activities',
    group: 6,
    subgroup: 7,
    label: 'soccer ball',
    labelFr: 'ballon de football',
    tags: ['ball', 'football', 'soccer'],
  },
  {
    unified: '1F4F1',
    name: 'MOBILE PHONE',
    category: 'Objects',
    group: 7,
    subgroup: 8,
    label: 'mobile phone',
    labelFr: 'téléphone portable',
    tags: ['cell', 'mobile', 'phone', 'telephone'],
  },
  {
    unified: '267B-FE0F',
    name: 'BLACK UNIVERSAL RECYCLING SYMBOL',
    category: 'Symbols',
    group: 8,
    subgroup: 9,
    label: 'recycling symbol',
    labelFr: 'symbole recyclage',
    tags: ['recycle'],
  },
  {
    unified: '1F1EB-1F1F7',
    name: 'France Flag',
    category: 'Flags',
    group: 9,
    subgroup: 10,
    label: 'flag: France',
    labelFr: 'drapeau : France',
    tags: ['flag'],
  },
  {
    unified: '1F3FB',
    name: 'EMOJI MODIFIER FITZPATRICK TYPE-1-2',
    category: 'Component',
    group: 2,
    subgroup: 3,
    label: 'light skin tone',
    labelFr: 'peau claire',
    tags: ['skin tone'],
  },
];

/** Unicode's groups and the fixture's subgroups, numbered as in meta/groups.json. */
const GROUPS = [
  'smileys-emotion',
  'people-body',
  'component',
  'animals-nature',
  'food-drink',
  'travel-places',
  'activities',
  'objects',
  'symbols',
  'flags',
];
export const FIXTURE_SUBGROUPS = [
  'face-smiling',
  'heart',
  'hand-fingers-open',
  'skin-tone',
  'animal-mammal',
  'food-fruit',
  'transport-ground',
  'sport',
  'phone',
  'other-symbol',
  'country-flag',
];
const HIERARCHY: Record<number, number[]> = {
  0: [0, 1],
  1: [2],
  2: [3],
  3: [4],
  4: [5],
  5: [6],
  6: [7],
  7: [8],
  8: [9],
  9: [10],
};

const TONE_LABELS: Record<string, string> = {
  '1F3FB': 'light skin tone',
  '1F3FF': 'dark skin tone',
};

export const VENDOR_COLOURS: Record<string, number> = { google: 40, twitter: 200 };

/** The opaque colour of an image: red from the vendor, green and blue from its position. */
export function colourOf(vendor: string, index: number, skin = 0): [number, number, number] {
  return [VENDOR_COLOURS[vendor] as number, 10 + 20 * index, 10 + 40 * skin];
}

/** 64×64 RGBA: left half transparent, right half `colour` (opaque), top row alpha 128. */
export async function emojiPng(colour: readonly [number, number, number], side = 64) {
  const pixels = Buffer.alloc(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const at = (y * side + x) * 4;
      pixels[at] = colour[0];
      pixels[at + 1] = colour[1];
      pixels[at + 2] = colour[2];
      pixels[at + 3] = y === 0 ? 128 : x < side / 2 ? 0 : 255;
    }
  }
  return sharp(pixels, { raw: { width: side, height: side, channels: 4 } })
    .png()
    .toBuffer();
}

const lower = (sequence: string) => sequence.toLowerCase() + '.png';
const withoutFe0f = (sequence: string) =>
  sequence
    .split('-')
    .filter((c) => c !== 'FE0F')
    .join('-');

function datasourceJson(vendor: string): object[] {
  return FIXTURE_EMOJI.map((emoji, index) => {
    const drawn = !(emoji.missingIn ?? []).includes(vendor);
    const hasImages = (has: boolean) => ({
      has_img_apple: true,
      has_img_google: vendor === 'google' ? has : true,
      has_img_twitter: vendor === 'twitter' ? has : true,
      has_img_facebook: true,
    });
    const entry: Record<string, unknown> = {
      name: emoji.name,
      unified: emoji.unified,
      non_qualified: emoji.unified.includes('FE0F') ? withoutFe0f(emoji.unified) : null,
      docomo: null,
      au: null,
      softbank: null,
      google: null,
      image: lower(emoji.unified),
      sheet_x: index,
      sheet_y: 0,
      short_name: emoji.label.replace(/\W+/g, '_'),
      short_names: [emoji.label.replace(/\W+/g, '_')],
      text: null,
      texts: null,
      category: emoji.category,
      subcategory: FIXTURE_SUBGROUPS[emoji.subgroup],
      sort_order: 100 - index,
      added_in: '0.6',
      ...hasImages(drawn),
    };
    if (emoji.skins !== undefined) {
      entry.skin_variations = Object.fromEntries(
        emoji.skins.map((skin, k) => [
          skin,
          {
            unified: `${emoji.unified}-${skin}`,
            non_qualified: null,
            image: lower(`${emoji.unified}-${skin}`),
            sheet_x: index,
            sheet_y: k + 1,
            added_in: '1.0',
            ...hasImages(drawn),
          },
        ]),
      );
    }
    return entry;
  });
}

function emojibaseJson(language: 'en' | 'fr'): object[] {
  return FIXTURE_EMOJI.map((emoji, index) => {
    const label = language === 'en' ? emoji.label : emoji.labelFr;
    return {
      label,
      hexcode: withoutFe0f(emoji.unified),
      tags: language === 'en' ? [...emoji.tags] : emoji.tags.map((t) => `${t}-fr`),
      emoji: '?',
      text: '',
      type: 1,
      order: index + 1,
      group: emoji.group,
      subgroup: emoji.subgroup,
      version: 0.6,
      ...(emoji.skins === undefined
        ? {}
        : {
            skins: emoji.skins.map((skin, k) => ({
              label: `${label}: ${TONE_LABELS[skin]}`,
              hexcode: `${withoutFe0f(emoji.unified)}-${skin}`,
              emoji: '?',
              text: '',
              type: 1,
              order: index + 1 + (k + 1) / 10,
              group: emoji.group,
              subgroup: emoji.subgroup,
              version: 1,
              tone: k + 1,
            })),
          }),
    };
  });
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

/** Makes the fixture; returns the node_modules folder (the `packagesDir` option). */
export async function makeEmojiPackages(): Promise<string> {
  const root = join(mkdtempSync(join(tmpdir(), 'mmae-emoji-')), 'node_modules');
  for (const vendor of ['google', 'twitter']) {
    const dir = join(root, `emoji-datasource-${vendor}`);
    write(join(dir, 'package.json'), JSON.stringify({ name: `emoji-datasource-${vendor}` }));
    write(join(dir, 'emoji.json'), JSON.stringify(datasourceJson(vendor)));
    for (const [index, emoji] of FIXTURE_EMOJI.entries()) {
      if ((emoji.missingIn ?? []).includes(vendor)) continue;
      const forms = ['', ...(emoji.skins ?? []).map((s) => `-${s}`)];
      for (const [skin, suffix] of forms.entries()) {
        const png = await emojiPng(colourOf(vendor, index, skin));
        write(join(dir, 'img', vendor, '64', lower(emoji.unified + suffix)), png);
      }
    }
  }
  const base = join(root, 'emojibase-data');
  write(join(base, 'package.json'), JSON.stringify({ name: 'emojibase-data' }));
  for (const language of ['en', 'fr'] as const) {
    write(join(base, language, 'data.json'), JSON.stringify(emojibaseJson(language)));
  }
  const numbered = (keys: string[]) => Object.fromEntries(keys.map((k, i) => [String(i), k]));
  write(
    join(base, 'meta', 'groups.json'),
    JSON.stringify({
      groups: numbered(GROUPS),
      hierarchy: HIERARCHY,
      subgroups: numbered(FIXTURE_SUBGROUPS),
    }),
  );
  return root;
}

/** The fixture's image file of `sequence` drawn by `vendor`. */
export function imageFile(packagesDir: string, vendor: string, sequence: string): string {
  return join(packagesDir, `emoji-datasource-${vendor}`, 'img', vendor, '64', lower(sequence));
}
