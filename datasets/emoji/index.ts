export { emojiAdapter, loadEmoji, type EmojiSample } from './adapter.js';
export { emojiCaption, informativeKeywords, type CaptionForm } from './captions.js';
export {
  loadEmojiCatalogue,
  type EmojiCatalogue,
  type EmojiEntry,
  type EmojiForm,
} from './catalogue.js';
export { EMOJI_IMAGE_LIMIT, pngHeaderProblem } from './images.js';
export { emojiInstances } from './instances.js';
export { emojiOptionsSchema, type EmojiOptions } from './options.js';
export { EMOJI_JSON_LIMIT } from './packages.js';
export { emojiSampleId, parseEmojiSampleId, type EmojiSampleKey } from './sample-id.js';
export {
  EMOJI_GROUPS,
  EMOJI_VENDORS,
  TEXT_PACKAGE,
  VENDOR_PACKAGES,
  type EmojiGroup,
  type EmojiVendor,
} from './vocabulary.js';
