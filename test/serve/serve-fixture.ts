/** Shared set-up of the server tests: a tiny trained run, a digit PNG, multipart bodies. */
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';

export { trainTinyRun } from '../crossmodal/tiny-run.js';

/** A bright vertical bar on black: a crude "1", 28×28 grayscale. */
export async function digitPng(): Promise<Buffer> {
  const pixels = Buffer.alloc(28 * 28);
  for (let y = 4; y < 24; y++) for (let x = 13; x < 16; x++) pixels[y * 28 + x] = 255;
  return sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer();
}

export interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  /** Makes the part a file upload. */
  readonly filename?: string;
  readonly contentType?: string;
}

/** A multipart/form-data body as a browser's form would send it. */
export function multipartBody(parts: readonly Part[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = '----mmae-test-boundary-7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type =
      part.filename === undefined
        ? ''
        : `\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}${type}\r\n\r\n`,
      ),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The `{ error: { code, message } }` of an error reply, checked for its shape. */
export function errorOf(response: LightMyRequestResponse): { code: string; message: string } {
  const body = response.json() as { error?: { code?: unknown; message?: unknown } };
  if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') {
    throw new Error(`not an error reply: ${response.body.slice(0, 300)}`);
  }
  return { code: body.error.code, message: body.error.message };
}
