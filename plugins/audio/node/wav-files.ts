/**
 * The audio plugin's Node edge: WAV files opened with the plugin kit's size and regular-file
 * checks and read by position, so a long recording costs only the clip its features use. The
 * portable plugin reads files only through this WavFileReader.
 */
import { readSync } from 'node:fs';
import type { InputFile, InputFileRequest } from 'mmae';
import { formatBytes, inputLimit, openInputFile, tooLarge, DataError } from 'mmae';
import { WAV_CLIP_LIMIT } from '../file-kind.js';
import type { WavFileReader } from '../raw-audio.js';
import type { WavSource } from '../wav-decode.js';

export const nodeWavFiles: WavFileReader = { readClip };

async function readClip(
  path: string,
  source: string,
  decode: Parameters<WavFileReader['readClip']>[2],
): Promise<Float32Array> {
  const where = path === source ? source : `${source} (${path})`;
  const request: InputFileRequest = { limit: WAV_CLIP_LIMIT, what: 'WAV file', of: source };
  const limit = inputLimit(WAV_CLIP_LIMIT);
  const file = await openInputFile(path, request);
  try {
    return decode(fileSource(file), where, (bytes) => {
      if (bytes > limit.bytes) {
        throw tooLarge(path, request, `its clip needs ${formatBytes(bytes)} of samples`, limit);
      }
    });
  } catch (cause) {
    if (cause instanceof DataError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new DataError(`${where}: the WAV file cannot be read (${code})`, path, { cause });
  } finally {
    await file.close();
  }
}

/**
 * Positioned reads of an open regular file. They are synchronous so that one header walk
 * serves files and in-memory bytes alike; they read a few chunk headers and the clip's frames.
 */
function fileSource(file: InputFile): WavSource {
  return {
    size: file.size,
    read(offset, length) {
      const buffer = Buffer.allocUnsafeSlow(Math.max(0, Math.min(length, file.size - offset)));
      let filled = 0;
      while (filled < buffer.length) {
        const n = readSync(file.handle.fd, buffer, filled, buffer.length - filled, offset + filled);
        if (n === 0) break;
        filled += n;
      }
      return buffer.subarray(0, filled);
    },
  };
}
