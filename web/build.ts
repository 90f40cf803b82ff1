/**
 * Builds mmae's browser files with esbuild, offline, into one folder (default web/dist/, which
 * git ignores): the library bundle mmae-web.js (web/entry.ts: the portable core, the portable
 * built-in plugins and TensorFlow.js with its webgl, wasm and cpu backends), the inference page
 * (inference.html and its script), and tfjs-backend-wasm's binaries under wasm/, served by the
 * page's own server rather than fetched from a CDN. It writes web-build.json listing every file
 * it made: the static server serves exactly those.
 *
 *   npm run build:web              # or: npx tsx web/build.ts [--out DIR]
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { PAGE_CONFIGS } from './page-configs.js';
import { trainDataOf } from './write-train-data.js';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = join(WEB_DIR, 'dist');
/** The list of built files, written last: a folder with it holds a complete build. */
export const BUILD_LIST = 'web-build.json';

const require = createRequire(import.meta.url);

export interface WebBuild {
  readonly outDir: string;
  /** Every file made, relative to outDir with '/' separators, BUILD_LIST included. */
  readonly files: readonly string[];
  /** Whether @tensorflow/tfjs-backend-webgpu was installed, so the bundle registers webgpu. */
  readonly webgpu: boolean;
  readonly bytes: Readonly<Record<string, number>>;
}

function resolvable(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

export interface BuildWebOptions {
  readonly outDir?: string;
  /**
   * The shipped page configs (web/page-configs.ts) whose samples to write under train-data/ for
   * the training page; default all of them. Each is read from its dataset (MNIST) here.
   */
  readonly trainData?: readonly string[];
}

export async function buildWeb(options: BuildWebOptions = {}): Promise<WebBuild> {
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'wasm'), { recursive: true });
  await mkdir(join(outDir, 'train-data'), { recursive: true });
  // WebGPU is a separate tfjs package that mmae does not depend on; where a user installed it,
  // the bundle registers it and 'auto' prefers it (web/backends.ts).
  const webgpu = resolvable('@tensorflow/tfjs-backend-webgpu');
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
    metafile: true,
  };
  const library = await esbuild.build({
    ...common,
    stdin: {
      contents: `${webgpu ? "import '@tensorflow/tfjs-backend-webgpu';\n" : ''}export * from './entry.ts';\n`,
      resolveDir: WEB_DIR,
      sourcefile: 'mmae-web.ts',
      loader: 'ts',
    },
    outfile: join(outDir, 'mmae-web.js'),
    // What manifest.json names as the writer of a run trained in the page.
    define: { __MMAE_VERSION__: JSON.stringify(await packageVersion()) },
  });
  // The page's script loads mmae-web.js at run time (a dynamic import of its URL), so the two
  // share one copy of the core and of TensorFlow.js.
  await esbuild.build({
    ...common,
    entryPoints: [join(WEB_DIR, 'inference-page.ts')],
    outfile: join(outDir, 'inference-page.js'),
  });
  await copyFile(join(WEB_DIR, 'inference.html'), join(outDir, 'inference.html'));
  await esbuild.build({
    ...common,
    entryPoints: [join(WEB_DIR, 'train-page.ts')],
    outfile: join(outDir, 'train-page.js'),
  });
  await copyFile(join(WEB_DIR, 'train.html'), join(outDir, 'train.html'));
  const pageConfigs = PAGE_CONFIGS.filter((c) => options.trainData?.includes(c.id) ?? true);
  for (const page of pageConfigs) {
    await writeFile(join(outDir, 'train-data', `${page.id}.bin`), await trainDataOf(page, WEB_DIR));
  }
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const wasmFiles = [
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ];
  for (const file of wasmFiles) await copyFile(join(wasmDir, file), join(outDir, 'wasm', file));

  const made = [
    'mmae-web.js',
    'inference-page.js',
    'inference.html',
    'train-page.js',
    'train.html',
    ...pageConfigs.map((c) => `train-data/${c.id}.bin`),
    ...wasmFiles.map((f) => `wasm/${f}`),
  ];
  const bytes: Record<string, number> = {};
  for (const file of made) bytes[file] = (await readFile(join(outDir, file))).byteLength;
  const files = [...made, BUILD_LIST];
  await writeFile(
    join(outDir, BUILD_LIST),
    `${JSON.stringify({ files, webgpu, bytes, inputs: Object.keys(library.metafile?.inputs ?? {}).length }, null, 2)}\n`,
  );
  return { outDir, files, webgpu, bytes };
}

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(WEB_DIR, '..', 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** The files a complete build in `outDir` lists, or undefined when there is none. */
export async function readBuildList(outDir: string): Promise<readonly string[] | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, BUILD_LIST), 'utf8')) as {
      files?: unknown;
    };
    return Array.isArray(parsed.files) && parsed.files.every((f) => typeof f === 'string')
      ? (parsed.files as string[])
      : undefined;
  } catch {
    return undefined;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = at >= 0 ? process.argv[at + 1] : undefined;
  const built = await buildWeb(outDir ? { outDir } : {});
  const size = (f: string) => `${(built.bytes[f]! / 1024).toFixed(0)} KiB`;
  console.log(
    `built ${built.outDir}: mmae-web.js ${size('mmae-web.js')}, inference-page.js ` +
      `${size('inference-page.js')}, train-page.js ${size('train-page.js')}, ` +
      `${built.files.filter((f) => f.startsWith('train-data/')).length} page configs' samples under ` +
      `train-data/, wasm/ (3 binaries); webgpu ${built.webgpu ? 'bundled' : 'not installed'}`,
  );
}
