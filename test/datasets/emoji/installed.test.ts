/**
 * The emoji dataset over the packages installed in node_modules (optional dependencies):
 * skipped, saying why, where they are not installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawSplit } from '../../../src/data/contract.js';
import {
  EMOJI_GROUPS,
  emojiAdapter,
  loadEmojiCatalogue,
  TEXT_PACKAGE,
  VENDOR_PACKAGES,
  type EmojiSample,
} from '../../../datasets/emoji/index.js';

const modules = join(process.cwd(), 'node_modules');
const packages = [VENDOR_PACKAGES.google.name, VENDOR_PACKAGES.twitter.name, TEXT_PACKAGE.name];
const missing = packages.filter((name) => !existsSync(join(modules, name, 'package.json')));
if (missing.length > 0) {
  console.log(
    `Skipping the installed-emoji test: ${missing.join(', ')} not in ${modules} ` +
      `(npm install --save-optional ${missing.join(' ')}).`,
  );
}

/** Images each vendor's emoji.json says it drew, the Component swatches left out. */
function drawnBy(vendor: 'google' | 'twitter'): number {
  const file = join(modules, VENDOR_PACKAGES[vendor].name, 'emoji.json');
  const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  let count = 0;
  for (const entry of entries) {
    if (entry.category === 'Component') continue;
    const forms = [entry, ...Object.values((entry.skin_variations ?? {}) as object)];
    count += forms.filter((f) => (f as Record<string, unknown>)[`has_img_${vendor}`]).length;
  }
  return count;
}

const samplesOf = (split: RawSplit) =>
  Array.from({ length: split.size }, (_, i) => split.sample(i) as EmojiSample);

describe.skipIf(missing.length > 0)('the emoji dataset over the installed packages', () => {
  it('reads every image of both vendors, joined to a label, in the nine groups', async () => {
    const started = Date.now();
    const dataset = await emojiAdapter.load(emojiAdapter.optionsSchema.parse({}), {
      seed: 1,
      baseDir: process.cwd(),
    });
    const seconds = (Date.now() - started) / 1000;
    const splits = {
      train: samplesOf(dataset.train),
      validation: samplesOf(dataset.validation),
      test: samplesOf(dataset.test),
    };
    const samples = Object.values(splits).flat();
    const perVendor = (vendor: string) => samples.filter((s) => s.vendor === vendor).length;
    console.log(
      `emoji: ${perVendor('google')} google and ${perVendor('twitter')} twitter images, ` +
        `${new Set(samples.map((s) => s.group)).size} base emoji, read in ${seconds.toFixed(1)} s`,
    );
    expect(perVendor('google')).toBe(drawnBy('google'));
    expect(perVendor('twitter')).toBe(drawnBy('twitter'));
    expect(perVendor('google')).toBeGreaterThan(3600);
    expect(dataset.classes).toEqual([...EMOJI_GROUPS]);
    for (const split of Object.values(splits)) {
      expect(new Set(split.map((s) => s.groupName)).size).toBe(9);
    }
    const trainBases = new Set(splits.train.map((s) => s.group));
    expect(splits.test.some((s) => trainBases.has(s.group))).toBe(false);
    expect(samples.every((s) => s.label !== undefined && s.subgroupName !== '')).toBe(true);

    const catalogue = await loadEmojiCatalogue({
      vendors: {
        google: join(modules, VENDOR_PACKAGES.google.name),
        twitter: join(modules, VENDOR_PACKAGES.twitter.name),
      },
      emojibase: join(modules, TEXT_PACKAGE.name),
      language: 'en',
    });
    expect(catalogue.unmatched).toEqual([]);
  });
});
