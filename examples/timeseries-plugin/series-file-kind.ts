/**
 * How the example recognises its files: text of numbers (CSV or whitespace-separated). With
 * `queryFlag` and `rawInput` in the plugin record, this is all a user's modality declares to be
 * queried from the CLI (`mmae retrieve RUN --timeseries series.csv --plugin …`).
 */
import type { FileKind } from 'mmae';

const NUMBER_TEXT = /^[\s\d.,;eE+-]*$/;

export const seriesFileKind: FileKind = {
  description: 'a text file of comma- or space-separated numbers',
  headerBytes: 256,
  matches: (header) =>
    header.length > 0 &&
    NUMBER_TEXT.test(new TextDecoder('utf-8', { fatal: false }).decode(header)),
};
