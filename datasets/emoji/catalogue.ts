/**
 * The emoji the dataset knows: emoji-datasource's entries (which images each vendor drew)
 * joined by code point sequence to emojibase-data's (label, keywords, group, subgroup) in one
 * language. emojibase writes sequences without the variation selector U+FE0F, emoji-datasource
 * with it (2764-FE0F), so the join drops FE0F on both sides.
 */
import { join } from 'node:path';
import { ConfigError } from 'mmae';
import { foldersHolding, readJsonFile } from './packages.js';
import {
  datasourceSchema,
  emojibaseGroupsSchema,
  emojibaseSchema,
  type DatasourceEntry,
  type EmojibaseEntry,
  type EmojibaseGroups,
} from './sources.js';
import { EMOJI_GROUPS, type EmojiGroup, type EmojiVendor } from './vocabulary.js';

/** One drawable form of an emoji: the base, or one of its skin-tone variants. */
export interface EmojiForm {
  /** emoji-datasource's `unified` sequence, e.g. 1F44B-1F3FB. */
  readonly sequence: string;
  /** The CLDR name in the catalogue's language: "waving hand: light skin tone". */
  readonly label: string;
  /** The PNG of each vendor that drew this form (absolute paths). */
  readonly images: Readonly<Partial<Record<EmojiVendor, string>>>;
}

export interface EmojiEntry {
  /** The base emoji's sequence: the emoji's id, shared by its variants and both vendors. */
  readonly id: string;
  readonly sortOrder: number;
  /** Index into EMOJI_GROUPS. */
  readonly group: number;
  /** Index into the catalogue's `subgroups`. */
  readonly subgroup: number;
  /** CLDR keywords of the base emoji, in the catalogue's language. */
  readonly keywords: readonly string[];
  /** The base first, then its skin-tone variants in emoji-datasource's order. */
  readonly forms: readonly EmojiForm[];
}

export interface EmojiCatalogue {
  /** In emoji-datasource's sort order. */
  readonly entries: readonly EmojiEntry[];
  /** Subgroup keys of the nine groups, in Unicode's order: the classes when labels = subgroup. */
  readonly subgroups: readonly string[];
  /** Forms emoji-datasource has and emojibase-data lacks (a newer Unicode): left out. */
  readonly unmatched: readonly string[];
}

export interface CatalogueSources {
  /** Each vendor's package folder. */
  readonly vendors: Readonly<Partial<Record<EmojiVendor, string>>>;
  /** The emojibase-data folder. */
  readonly emojibase: string;
  readonly language: string;
}

const withoutFe0f = (sequence: string) =>
  sequence
    .split('-')
    .filter((c) => c !== 'FE0F')
    .join('-');

interface TextOf {
  readonly label: string;
  readonly base: EmojibaseEntry;
}

function indexEmojibase(entries: readonly EmojibaseEntry[]): Map<string, TextOf> {
  const index = new Map<string, TextOf>();
  for (const base of entries) {
    index.set(withoutFe0f(base.hexcode), { label: base.label, base });
    for (const skin of base.skins ?? []) {
      index.set(withoutFe0f(skin.hexcode), { label: skin.label, base });
    }
  }
  return index;
}

/** Subgroup keys of the nine groups in order, and each group number's index in EMOJI_GROUPS. */
function groupTables(meta: EmojibaseGroups) {
  const groupIndex = new Map<number, number>();
  const subgroups: string[] = [];
  const subgroupIndex = new Map<number, number>();
  for (const [number, key] of Object.entries(meta.groups)) {
    const at = EMOJI_GROUPS.indexOf(key as EmojiGroup);
    if (at >= 0) groupIndex.set(Number(number), at);
  }
  for (const [number] of [...groupIndex].sort((a, b) => a[1] - b[1])) {
    for (const sub of meta.hierarchy[String(number)] ?? []) {
      const key = meta.subgroups[String(sub)];
      if (key !== undefined && !subgroupIndex.has(sub)) {
        subgroupIndex.set(sub, subgroups.length);
        subgroups.push(key);
      }
    }
  }
  return { groupIndex, subgroups, subgroupIndex };
}

/** Each vendor's emoji.json, merged by sequence: which vendors drew each form. */
interface DrawnEntry {
  readonly entry: DatasourceEntry;
  readonly images: Map<string, Partial<Record<EmojiVendor, string>>>;
}

function mergeVendors(
  files: readonly { vendor: EmojiVendor; dir: string; entries: readonly DatasourceEntry[] }[],
): Map<string, DrawnEntry> {
  const merged = new Map<string, DrawnEntry>();
  for (const { vendor, dir, entries } of files) {
    const img = join(dir, 'img', vendor, '64');
    for (const entry of entries) {
      let drawn = merged.get(entry.unified);
      if (drawn === undefined) {
        drawn = { entry, images: new Map() };
        merged.set(entry.unified, drawn);
      }
      const forms = [entry, ...Object.values(entry.skin_variations ?? {})];
      for (const form of forms) {
        if (form[`has_img_${vendor}`] !== true) continue;
        const images = drawn.images.get(form.unified) ?? {};
        images[vendor] = join(img, form.image);
        drawn.images.set(form.unified, images);
      }
    }
  }
  return merged;
}

async function readLanguage(emojibase: string, language: string): Promise<EmojibaseEntry[]> {
  const languages = await foldersHolding(emojibase, 'data.json');
  if (!languages.includes(language)) {
    throw new ConfigError(
      `emojibase-data has no language '${language}' (no ${join(emojibase, language, 'data.json')}); ` +
        `set the dataset option \`language\` to one of: ${languages.join(', ') || '(none found)'}.`,
      'language',
    );
  }
  return readJsonFile(join(emojibase, language, 'data.json'), 'emojibase data', emojibaseSchema);
}

async function buildCatalogue(sources: CatalogueSources): Promise<EmojiCatalogue> {
  const vendorFiles = await Promise.all(
    (Object.entries(sources.vendors) as [EmojiVendor, string][]).map(async ([vendor, dir]) => ({
      vendor,
      dir,
      entries: await readJsonFile(join(dir, 'emoji.json'), 'emoji.json', datasourceSchema),
    })),
  );
  const [texts, meta] = await Promise.all([
    readLanguage(sources.emojibase, sources.language),
    readJsonFile(
      join(sources.emojibase, 'meta', 'groups.json'),
      'emojibase groups',
      emojibaseGroupsSchema,
    ),
  ]);
  const textOf = indexEmojibase(texts);
  const { groupIndex, subgroups, subgroupIndex } = groupTables(meta);
  const entries: EmojiEntry[] = [];
  const unmatched: string[] = [];
  for (const { entry, images } of mergeVendors(vendorFiles).values()) {
    const baseText = textOf.get(withoutFe0f(entry.unified));
    if (baseText === undefined) {
      unmatched.push(entry.unified);
      continue;
    }
    const group = groupIndex.get(baseText.base.group ?? -1);
    if (group === undefined) continue; // 'component', or an emoji with no group
    const forms: EmojiForm[] = [];
    const sequences = [
      entry.unified,
      ...Object.values(entry.skin_variations ?? {}).map((v) => v.unified),
    ];
    for (const sequence of sequences) {
      const drawn = images.get(sequence);
      const label = textOf.get(withoutFe0f(sequence))?.label;
      if (label === undefined) unmatched.push(sequence);
      else if (drawn !== undefined) forms.push({ sequence, label, images: drawn });
    }
    if (forms[0]?.sequence !== entry.unified) continue; // no vendor drew the base
    entries.push({
      id: entry.unified,
      sortOrder: entry.sort_order,
      group,
      subgroup: subgroupIndex.get(baseText.base.subgroup ?? -1) ?? -1,
      keywords: baseText.base.tags ?? [],
      forms,
    });
  }
  entries.sort((a, b) => a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : 1));
  return { entries, subgroups, unmatched };
}

const cache = new Map<string, Promise<EmojiCatalogue>>();

/** The catalogue of `sources`, read once per process (a failed read is retried next time). */
export function loadEmojiCatalogue(sources: CatalogueSources): Promise<EmojiCatalogue> {
  const key = JSON.stringify([sources.vendors, sources.emojibase, sources.language]);
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = buildCatalogue(sources);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}
