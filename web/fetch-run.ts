/**
 * A run's files fetched from the URL of its directory, as the bytes loadRunFiles takes. The
 * manifest comes first and says which files exist and how large each is: every other file is
 * fetched only when the manifest lists it and read only up to the size listed, so a server (or
 * a forged model.json) cannot make the tab download more than the run itself is. loadRunFiles
 * then checks every byte against the manifest's SHA-256, as openRun does on disk.
 */
import { MAX_MANIFEST_BYTES, RUN_FILES, RunError, type RunFileBytes } from 'mmae/portable';

const PLAIN_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]+$/;

export type Fetch = (url: string) => Promise<Response>;

/** The URL of a run directory, ending in '/' so that file names resolve inside it. */
export function runDirectoryUrl(url: string, base?: string): URL {
  const dir = new URL(url, base);
  if (!dir.pathname.endsWith('/')) dir.pathname += '/';
  dir.search = '';
  dir.hash = '';
  return dir;
}

export async function fetchRunFiles(dir: URL, fetchFile: Fetch): Promise<RunFileBytes> {
  const manifest = await fetchBounded(dir, RUN_FILES.manifest, MAX_MANIFEST_BYTES, fetchFile);
  const listed = listedSizes(manifest, new URL(RUN_FILES.manifest, dir).href);
  const file = (name: string) => {
    const bytes = listed.get(name);
    // A run's files sit side by side in its folder; a name with a path in it is not one of them.
    if (!PLAIN_NAME.test(name)) {
      throw new RunError(`${dir.href}: '${name}' is not a file name of a run directory.`, dir.href);
    }
    if (bytes === undefined) {
      throw new RunError(
        `${new URL(RUN_FILES.manifest, dir).href} does not list ${name}; this is not a complete ` +
          'mmae run directory (serve the folder `mmae train` wrote).',
        dir.href,
      );
    }
    return fetchBounded(dir, name, bytes, fetchFile);
  };
  const [config, model] = await Promise.all([file(RUN_FILES.config), file(RUN_FILES.model)]);
  const pluginState = listed.has(RUN_FILES.pluginState)
    ? await file(RUN_FILES.pluginState)
    : undefined;
  const weights: Record<string, Uint8Array> = {};
  for (const path of weightPaths(model)) {
    // A path the manifest does not list is left out: loadRunFiles then names it as missing.
    if (listed.has(path)) weights[path] = await file(path);
  }
  return { manifest, config, model, weights, ...(pluginState ? { pluginState } : {}) };
}

/** The response's body, refused past `limit` bytes without reading the rest. */
async function fetchBounded(
  dir: URL,
  name: string,
  limit: number,
  fetchFile: Fetch,
): Promise<Uint8Array> {
  const url = new URL(name, dir).href;
  const response = await fetchFile(url);
  if (!response.ok) {
    throw new RunError(
      `GET ${url} answered ${response.status} ${response.statusText}; the run's files must be ` +
        'served beside each other under the run URL.',
      url,
    );
  }
  const tooLarge = () =>
    new RunError(`${url} is larger than the ${limit} bytes the run lists for it.`, url);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge();
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(await response.arrayBuffer());
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Each listed file's size; the rest of the manifest is loadRunFiles's to check. */
function listedSizes(manifest: Uint8Array, url: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(manifest));
  } catch {
    throw new RunError(`${url} is not JSON; it should be the run's manifest.json.`, url);
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  const sizes = new Map<string, number>();
  if (typeof files !== 'object' || files === null) return sizes;
  for (const [name, entry] of Object.entries(files)) {
    const bytes = (entry as { bytes?: unknown } | null)?.bytes;
    if (Number.isSafeInteger(bytes) && (bytes as number) >= 0) sizes.set(name, bytes as number);
  }
  return sizes;
}

/** The weight files model.json names (loadRunFiles parses and checks it in full). */
function weightPaths(model: Uint8Array): string[] {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(model)) as {
      weightsManifest?: { paths?: unknown }[];
    };
    const paths = (parsed.weightsManifest ?? []).flatMap((group) =>
      Array.isArray(group?.paths) ? group.paths : [],
    );
    return [...new Set(paths.filter((p): p is string => typeof p === 'string'))];
  } catch {
    return []; // loadRunFiles reports the malformed model.json with its own message
  }
}
