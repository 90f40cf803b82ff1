/**
 * How the example recognises its files: text of numbers (CSV or whitespace-separated), and the
 * size limit they are read within. With `queryFlag` and `rawInput` in the plugin record, this is
 * all a user's modality declares to be queried from the CLI
 * (`mmae retrieve RUN --timeseries series.csv --plugin …`).
 */
import { declareInputLimit, type FileKind } from 'mmae';

/** A series is a few hundred numbers: 1 MiB is ample, and MMAE_MAX_TIMESERIES_MB raises it. */
export const SERIES_FILE_LIMIT = declareInputLimit({
  name: 'timeseries',
  defaultMib: 1,
  files: 'time-series files',
});

const NUMBER_TEXT = /^[\s\d.,;eE+-]*$/;

export const seriesFileKind: FileKind = {
  description: 'a text file of comma- or space-separated numbers',
  headerBytes: 256,
  matches: (header) =>
    header.length > 0 &&
    NUMBER_TEXT.test(new TextDecoder('utf-8', { fatal: false }).decode(header)),
};
