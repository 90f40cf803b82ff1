export { fsddAdapter, assignSpeakers, loadFsddLayout, type FsddLayout } from './adapter.js';
export { locateFsddRecordings, FSDD_DIR_ENV, FSDD_DEFAULT_DIR } from './locate.js';
export { listFsddRecordings, parseRecordingName, type FsddRecording } from './recordings.js';
export { fsddOptionsSchema, type FsddOptions } from './options.js';
