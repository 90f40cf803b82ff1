// Builds mmae's native kernels (npm's `install` step). They are an accelerator, never a
// requirement: when no C++ compiler or node-gyp is at hand the build is skipped with a note and
// mmae runs its kernels in WebAssembly. Node's own headers are used when they sit beside the node
// binary (Debian's nodejs and the official tarballs both ship them), so nothing is downloaded.
// MMAE_NATIVE_KERNELS=0 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function skip(reason) {
  console.warn(`mmae: native kernels not built (${reason}); training runs on WebAssembly kernels.`);
  process.exit(0);
}

if (process.env.MMAE_NATIVE_KERNELS === '0') skip('MMAE_NATIVE_KERNELS=0');

function nodeGypScript() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const candidates = [join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm')];
  try {
    candidates.unshift(dirname(createRequire(import.meta.url).resolve('npm/package.json')));
  } catch {
    // npm is not a dependency; the global one beside node is the usual place.
  }
  for (const npm of candidates) {
    const script = join(npm, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(script)) return script;
  }
  return undefined;
}

const script = nodeGypScript();
if (script === undefined) skip('node-gyp not found');
const args = [script, 'rebuild', '--directory', here];
const prefix = resolve(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
if (result.status !== 0) {
  const log = `${result.stdout ?? ''}${result.stderr ?? ''}`
    .trim()
    .split('\n')
    .slice(-8)
    .join('\n');
  skip(`node-gyp exited with ${result.status ?? result.signal}:\n${log}\n`);
}
console.log('mmae: native kernels built (src/engine/native/build/Release/mmae_kernels.node).');
