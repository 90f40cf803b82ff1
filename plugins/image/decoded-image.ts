/**
 * The decoded form the image modality takes: pixels a dataset or caller has already decoded (an
 * IDX file's digits), handed to the core as `{ kind: 'decoded', value }`. The core never looks
 * inside; this module checks the value for the API (a UsageError naming the argument) and for
 * `prepare` (a DataError naming the sample).
 */
import { DataError, type DecodedForm, type RawValue } from 'mmae/portable';

/** Decoded pixels, row-major [height, width, channels], 0–255. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8Array;
}

const SHAPE = '{ width, height, channels: 1 | 3 | 4, data: Uint8Array }';

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/** What is wrong with `value` as decoded pixels, naming the field; undefined when it fits. */
export function decodedImageProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `it is ${describe(value)}`;
  // Other fields (the `kind: 'image'` of earlier versions) are ignored.
  const { width, height, channels, data } = value as Record<string, unknown>;
  for (const [field, n] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!(Number.isSafeInteger(n) && (n as number) > 0)) {
      return `${field} must be a whole number above 0, got ${describe(n)}`;
    }
  }
  if (!(channels === 1 || channels === 3 || channels === 4)) {
    return `channels, the channel count, must be 1, 3 or 4, got ${describe(channels)}`;
  }
  const expected = (width as number) * (height as number) * channels;
  if (!(data instanceof Uint8Array)) {
    return `data must be a Uint8Array of width × height × channels = ${expected} bytes, got ${describe(data)}`;
  }
  if (data.length !== expected) {
    return (
      `data holds ${data.length} bytes, not width × height × channels = ` +
      `${width} × ${height} × ${channels} = ${expected}`
    );
  }
  return undefined;
}

/** The image plugin's RawInputRule.decoded. */
export const decodedImageForm: DecodedForm = { shape: SHAPE, problem: decodedImageProblem };

/** `value` as decoded pixels, or a DataError naming the sample and the field at fault. */
export function checkDecodedImage(value: unknown, source: string): DecodedImage {
  const problem = decodedImageProblem(value);
  if (problem !== undefined) {
    throw new DataError(
      `Sample '${source}': decoded pixels must be ${SHAPE}, but ${problem}. ` +
        "Check the dataset's image reader.",
      source,
    );
  }
  return value as DecodedImage;
}

/** Decoded pixels as the raw value a dataset hands the core. */
export function decodedImageValue(image: DecodedImage): RawValue {
  return { kind: 'decoded', value: image };
}
