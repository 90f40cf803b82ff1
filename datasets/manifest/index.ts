export { manifestAdapter } from './adapter.js';
export { parseCsv, parseCsvRecords, type CsvRecord, type CsvTable } from './csv.js';
export { readManifestRows, formatOf, type ManifestRow } from './read-rows.js';
export { buildEntries, type ManifestEntry } from './entries.js';
export {
  manifestOptionsSchema,
  DEFAULT_MANIFEST_MODALITIES,
  type ManifestOptions,
} from './options.js';
