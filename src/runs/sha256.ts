/** SHA-256 of bytes and files, as lowercase hex: how a run proves its files are the ones it wrote. */
import { createHash } from 'node:crypto';
import { nodeRunFs, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

export function sha256Bytes(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string, fs: RunFs = nodeRunFs): Promise<string> {
  let data: Uint8Array;
  try {
    data = await fs.readFile(path);
  } catch (error) {
    throw runOsError('Could not read', path, error);
  }
  return sha256Bytes(data);
}
