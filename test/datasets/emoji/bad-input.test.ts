import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataError } from '../../../src/errors/errors.js';
import { emojiAdapter, pngHeaderProblem } from '../../../datasets/emoji/index.js';
import { emojiPng, imageFile, makeEmojiPackages } from './fixture.js';

const load = (packagesDir: string, options: object = {}) =>
  emojiAdapter.load(emojiAdapter.optionsSchema.parse({ packagesDir, ...options }), {
    seed: 1,
    baseDir: process.cwd(),
  });

async function failure(packagesDir: string, options: object = {}): Promise<DataError> {
  const error = await load(packagesDir, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

const JSON_ENV = 'MMAE_MAX_EMOJI_JSON_MB';
afterEach(() => {
  delete process.env[JSON_ENV];
});

describe('the emoji dataset refuses bad packages before they cost memory', () => {
  it('says which npm install brings a package that is missing', async () => {
    const dir = await makeEmojiPackages();
    rmSync(join(dir, 'emojibase-data'), { recursive: true });
    const error = await failure(dir);
    expect(error.message).toMatch(
      /^emojibase-data is not installed \(looked in .*\): npm install --save-optional emojibase-data@\^17/,
    );
    // A vendor not asked for need not be installed.
    const twitterless = await makeEmojiPackages();
    rmSync(join(twitterless, 'emoji-datasource-twitter'), { recursive: true });
    await expect(load(twitterless, { vendors: ['google'] })).resolves.toBeDefined();
    expect((await failure(twitterless)).message).toMatch(
      /emoji-datasource-twitter is not installed.*npm install --save-optional emoji-datasource-twitter@\^16/,
    );
  });

  it('lists every image that fails to decode by file, corrupt or truncated', async () => {
    const dir = await makeEmojiPackages();
    const apple = imageFile(dir, 'google', '1F34E');
    const car = imageFile(dir, 'twitter', '1F697');
    writeFileSync(apple, readFileSync(apple).subarray(0, 60));
    writeFileSync(car, Buffer.from('not a png at all, just text'));
    rmSync(imageFile(dir, 'google', '1F44B-1F3FB'));
    const error = await failure(dir);
    expect(error.message).toMatch(/^3 of 23 emoji images could not be read:/);
    expect(error.message).toContain(`${apple}: it cannot be decoded`);
    expect(error.message).toContain(`${car}: it is not a PNG`);
    expect(error.message).toMatch(/1f44b-1f3fb\.png: it does not exist/);
  });

  it('refuses an image of the wrong size, or one over the size limit, by its header', async () => {
    const dir = await makeEmojiPackages();
    const big = imageFile(dir, 'google', '1F600');
    writeFileSync(big, await emojiPng([1, 2, 3], 128));
    const huge = imageFile(dir, 'twitter', '1F600');
    const claim = Buffer.from(readFileSync(huge));
    claim.writeUInt32BE(50_000, 16);
    claim.writeUInt32BE(50_000, 20);
    writeFileSync(huge, claim);
    const heavy = imageFile(dir, 'google', '26BD');
    writeFileSync(heavy, Buffer.concat([readFileSync(heavy), Buffer.alloc(1024 * 1024 + 1)]));
    const error = await failure(dir);
    expect(error.message).toContain(`${big}: it is 128×128 pixels, not the 64×64`);
    expect(error.message).toContain(`${huge}: it is 50000×50000 pixels`);
    expect(error.message).toMatch(
      /26bd\.png: it is 1\.0 MiB, over the 1 MiB limit for emoji PNG files; set MMAE_MAX_EMOJI_IMAGE_MB/,
    );
    expect(pngHeaderProblem(new Uint8Array(8))).toBe('it is not a PNG (no PNG signature)');
  });

  it('names the file of malformed JSON, and the field of a bad entry', async () => {
    const dir = await makeEmojiPackages();
    const emojiJson = join(dir, 'emoji-datasource-google', 'emoji.json');
    writeFileSync(emojiJson, '[{"unified": "1F600",');
    expect((await failure(dir)).message).toMatch(
      new RegExp(`^emoji.json ${emojiJson} is not valid JSON .*; reinstall the package\\.`),
    );
    const entries = JSON.parse(
      readFileSync(join(dir, 'emoji-datasource-twitter', 'emoji.json'), 'utf8'),
    );
    entries[2].image = '../../../../etc/passwd';
    delete entries[4].sort_order;
    writeFileSync(emojiJson, JSON.stringify(entries));
    const error = await failure(dir);
    expect(error.file).toBe(emojiJson);
    expect(error.message).toContain('does not have the expected fields (2 problems)');
    expect(error.message).toContain('2.image: a PNG file name such as 1f44b-1f3fb.png');
    expect(error.message).toContain('4.sort_order:');
  });

  it('refuses a JSON file over its limit before parsing it', async () => {
    const dir = await makeEmojiPackages();
    process.env[JSON_ENV] = '0.001';
    const error = await failure(dir);
    expect(error.message).toMatch(
      /over the 0\.001 MiB limit for emoji data \(JSON\) files; set MMAE_MAX_EMOJI_JSON_MB/,
    );
  });

  it('refuses emojibase data that is not a list of entries', async () => {
    const dir = await makeEmojiPackages();
    const data = join(dir, 'emojibase-data', 'en', 'data.json');
    writeFileSync(data, JSON.stringify({ label: 'grinning face' }));
    const error = await failure(dir);
    expect(error.file).toBe(data);
    expect(error.message).toMatch(/^emojibase data .* does not have the expected fields/);
  });
});
