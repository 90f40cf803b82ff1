/**
 * The settings one harness run compares: our side at one or more native thread counts
 * (`--threads 1,2`, `MMAE_THREADS` of our children) and the PyTorch references on one or more
 * builds and thread counts (`--references debian:1,wheel:2`). Pure: parsing, the run order of a
 * repetition and the children's environments; bench/run.ts does the spawning.
 */
import { join } from 'node:path';

/** `debian`: /usr/bin/python3 with Debian's torch 1.13 (OpenBLAS); `wheel`: the torch 2.13 venv. */
export const REFERENCE_BUILDS = ['debian', 'wheel'] as const;
export type ReferenceBuild = (typeof REFERENCE_BUILDS)[number];

export const DEBIAN_PYTHON = '/usr/bin/python3';
/** The venv bench/reference/setup-torch-wheel.sh makes, relative to the repository. */
export const WHEEL_VENV = 'bench/.torch-wheel';
export const WHEEL_SETUP = 'bench/reference/setup-torch-wheel.sh';
/** Debian's libopenblas0-pthread; its libblas.so.3 replaces the slow reference BLAS for torch. */
export const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

export interface OursSetting {
  readonly side: 'ours';
  /** `ours:2`, or `ours:default` when MMAE_THREADS is left as the environment has it. */
  readonly label: string;
  /** MMAE_THREADS for the child; undefined = not set by the harness (the default pool). */
  readonly threads?: number;
}

export interface ReferenceSetting {
  readonly side: 'reference';
  /** `debian:1`, `wheel:2`. */
  readonly label: string;
  readonly build: ReferenceBuild;
  readonly threads: number;
}

export type Setting = OursSetting | ReferenceSetting;

function positiveInt(text: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1) {
    throw new Error(`${what}: '${text}' is not a positive integer`);
  }
  return n;
}

function items(value: string, option: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0 || value === 'true') throw new Error(`${option}: no settings given`);
  return list;
}

function noDuplicates(labels: readonly string[], option: string): void {
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l)) throw new Error(`${option}: '${l}' is given twice`);
    seen.add(l);
  }
}

/**
 * `--threads 1,2` → our settings. Absent: one setting, `ours:N` when the harness's own
 * MMAE_THREADS (`inherited`) is a count N (so `MMAE_THREADS=1 npm run bench` says so), else
 * `ours:default`, which leaves MMAE_THREADS alone (the default pool).
 */
export function parseOursThreads(value: string | undefined, inherited?: string): OursSetting[] {
  if (value === undefined) {
    const n = Number(inherited);
    return inherited !== undefined && inherited.trim() !== '' && Number.isInteger(n) && n >= 1
      ? [{ side: 'ours', label: `ours:${n}`, threads: n }]
      : [{ side: 'ours', label: 'ours:default' }];
  }
  const settings = items(value, '--threads').map((t): OursSetting => ({
    side: 'ours',
    label: `ours:${positiveInt(t, '--threads')}`,
    threads: positiveInt(t, '--threads'),
  }));
  noDuplicates(
    settings.map((s) => s.label),
    '--threads',
  );
  return settings;
}

/** `--references debian:1,wheel:2` → reference settings (build:threads, both required). */
export function parseReferences(value: string): ReferenceSetting[] {
  const settings = items(value, '--references').map((item): ReferenceSetting => {
    const [build, threads, extra] = item.split(':');
    if (threads === undefined || extra !== undefined) {
      throw new Error(`--references: '${item}' is not build:threads (e.g. debian:1, wheel:2)`);
    }
    if (!(REFERENCE_BUILDS as readonly string[]).includes(build as string)) {
      throw new Error(
        `--references: build '${build}' in '${item}' is not one of ${REFERENCE_BUILDS.join(', ')}`,
      );
    }
    const n = positiveInt(threads, `--references: threads in '${item}'`);
    return {
      side: 'reference',
      label: `${build}:${n}`,
      build: build as ReferenceBuild,
      threads: n,
    };
  });
  noDuplicates(
    settings.map((s) => s.label),
    '--references',
  );
  return settings;
}

export interface ReferenceChoice {
  readonly settings: ReferenceSetting[];
  /** True when the settings were asked for (`--references`, `--torch-threads`): a build that
   *  cannot run is then an error, not a skipped reference. */
  readonly explicit: boolean;
}

/**
 * The reference settings from the options: `--references`, or the single-setting shorthand
 * `--torch-threads N` (= `debian:N`), or by default `debian:1`. `--torch-blas` is separate: it
 * says which BLAS the debian build loads.
 */
export function chooseReferences(args: ReadonlyMap<string, string>): ReferenceChoice {
  const references = args.get('references');
  const torchThreads = args.get('torch-threads');
  if (references !== undefined && torchThreads !== undefined) {
    throw new Error(
      `--torch-threads ${torchThreads} is the shorthand for --references debian:${torchThreads}; give one of them`,
    );
  }
  if (references !== undefined) return { settings: parseReferences(references), explicit: true };
  if (torchThreads !== undefined) {
    return { settings: parseReferences(`debian:${torchThreads}`), explicit: true };
  }
  return { settings: parseReferences('debian:1'), explicit: false };
}

/**
 * Every setting of both sides, ours and the references interleaved (ours:1, debian:1, ours:2,
 * wheel:1, …), rotated by one place per repetition so that each setting moves through the
 * positions and drift in machine load hits all alike. Two settings alternate as the harness
 * always did: [ours, reference], then [reference, ours].
 */
export function runOrder<T>(ours: readonly T[], references: readonly T[], rep: number): T[] {
  const all: T[] = [];
  for (let i = 0; i < Math.max(ours.length, references.length); i++) {
    if (i < ours.length) all.push(ours[i] as T);
    if (i < references.length) all.push(references[i] as T);
  }
  if (all.length === 0) return all;
  const k = ((rep % all.length) + all.length) % all.length;
  return [...all.slice(k), ...all.slice(0, k)];
}

/** Our child's environment: MMAE_THREADS set to the setting's count, or left as it is. */
export function oursEnv(setting: OursSetting, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return setting.threads === undefined
    ? { ...base }
    : { ...base, MMAE_THREADS: String(setting.threads) };
}

/** The Python that runs a build's references. */
export function referencePython(build: ReferenceBuild, repo: string): string {
  return build === 'debian' ? DEBIAN_PYTHON : join(repo, WHEEL_VENV, 'bin', 'python');
}

/** What to do when a build's Python cannot import torch. */
export function missingBuildHint(build: ReferenceBuild): string {
  return build === 'debian'
    ? `${DEBIAN_PYTHON} cannot import torch (apt-get install -y python3-torch)`
    : `${WHEEL_VENV}/bin/python cannot import torch; run bash ${WHEEL_SETUP}`;
}

/**
 * A reference child's environment. Thread counts for OpenMP, OpenBLAS and MKL (the scripts also
 * get `--threads N`, torch.set_num_threads). The debian build's torch does its products through
 * the generic libblas.so.3, netlib's reference BLAS unless OpenBLAS is put first on the loader's
 * path (`blas` 'openblas', ~23× faster on W3, BENCHMARKS.md); the wheel bundles its own BLAS and
 * OpenMP, so the OpenBLAS directory is taken off its LD_LIBRARY_PATH.
 */
export function referenceEnv(
  setting: ReferenceSetting,
  blas: 'openblas' | 'system',
  base: NodeJS.ProcessEnv,
  openblasDir: string = OPENBLAS_DIR,
): NodeJS.ProcessEnv {
  const threads = String(setting.threads);
  const env: NodeJS.ProcessEnv = {
    ...base,
    OMP_NUM_THREADS: threads,
    OPENBLAS_NUM_THREADS: threads,
    MKL_NUM_THREADS: threads,
  };
  const others = (base.LD_LIBRARY_PATH ?? '')
    .split(':')
    .filter((p) => p !== '' && p !== openblasDir);
  const path =
    setting.build === 'debian' && blas === 'openblas' ? [openblasDir, ...others] : others;
  if (path.length > 0) env.LD_LIBRARY_PATH = path.join(':');
  else delete env.LD_LIBRARY_PATH;
  return env;
}
