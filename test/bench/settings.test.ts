import { describe, expect, it } from 'vitest';
import {
  OPENBLAS_DIR,
  chooseReferences,
  oursEnv,
  parseOursThreads,
  parseReferences,
  referenceEnv,
  referencePython,
  runOrder,
} from '../../bench/harness/settings.js';

describe('parseOursThreads', () => {
  it('is one default-pool setting when --threads is absent', () => {
    expect(parseOursThreads(undefined)).toEqual([{ side: 'ours', label: 'ours:default' }]);
  });

  it("names the harness's own MMAE_THREADS when --threads is absent", () => {
    expect(parseOursThreads(undefined, '1')).toEqual([
      { side: 'ours', label: 'ours:1', threads: 1 },
    ]);
    expect(parseOursThreads(undefined, '')).toEqual([{ side: 'ours', label: 'ours:default' }]);
    expect(parseOursThreads(undefined, 'x')).toEqual([{ side: 'ours', label: 'ours:default' }]);
    expect(parseOursThreads('2', '1')).toEqual([{ side: 'ours', label: 'ours:2', threads: 2 }]);
  });

  it('gives one setting per thread count, in order', () => {
    expect(parseOursThreads('1, 2,4')).toEqual([
      { side: 'ours', label: 'ours:1', threads: 1 },
      { side: 'ours', label: 'ours:2', threads: 2 },
      { side: 'ours', label: 'ours:4', threads: 4 },
    ]);
  });

  it.each(['0', '-1', '1.5', 'two', '1,,x', '', 'true'])('rejects %j', (value) => {
    expect(() => parseOursThreads(value)).toThrow(/--threads/);
  });

  it('rejects a count given twice', () => {
    expect(() => parseOursThreads('2,1,2')).toThrow(/'ours:2' is given twice/);
  });
});

describe('parseReferences', () => {
  it('reads build:threads items', () => {
    expect(parseReferences('debian:1,debian:2,wheel:1,wheel:2')).toEqual([
      { side: 'reference', label: 'debian:1', build: 'debian', threads: 1 },
      { side: 'reference', label: 'debian:2', build: 'debian', threads: 2 },
      { side: 'reference', label: 'wheel:1', build: 'wheel', threads: 1 },
      { side: 'reference', label: 'wheel:2', build: 'wheel', threads: 2 },
    ]);
  });

  it('names the unknown build and the known ones', () => {
    expect(() => parseReferences('conda:1')).toThrow(/build 'conda'.*debian, wheel/);
  });

  it.each(['wheel', 'wheel:', 'wheel:0', 'wheel:x', 'wheel:1:2', 'true'])('rejects %j', (v) => {
    expect(() => parseReferences(v)).toThrow(/--references/);
  });

  it('rejects a setting given twice', () => {
    expect(() => parseReferences('wheel:1,debian:1,wheel:1')).toThrow(/'wheel:1' is given twice/);
  });
});

describe('chooseReferences', () => {
  const args = (entries: Record<string, string>) => new Map(Object.entries(entries));

  it('defaults to debian:1, not asked for by name', () => {
    expect(chooseReferences(args({}))).toEqual({
      settings: [{ side: 'reference', label: 'debian:1', build: 'debian', threads: 1 }],
      explicit: false,
    });
  });

  it('reads --torch-threads N as debian:N, asked for', () => {
    expect(chooseReferences(args({ 'torch-threads': '2' }))).toEqual({
      settings: [{ side: 'reference', label: 'debian:2', build: 'debian', threads: 2 }],
      explicit: true,
    });
  });

  it('takes --references as given', () => {
    const c = chooseReferences(args({ references: 'wheel:2,debian:1' }));
    expect(c.explicit).toBe(true);
    expect(c.settings.map((s) => s.label)).toEqual(['wheel:2', 'debian:1']);
  });

  it('refuses --references with --torch-threads', () => {
    expect(() => chooseReferences(args({ references: 'wheel:1', 'torch-threads': '2' }))).toThrow(
      /shorthand for --references debian:2/,
    );
  });
});

describe('runOrder', () => {
  it('alternates two settings as the harness always did', () => {
    expect(runOrder(['o'], ['r'], 0)).toEqual(['o', 'r']);
    expect(runOrder(['o'], ['r'], 1)).toEqual(['r', 'o']);
    expect(runOrder(['o'], ['r'], 2)).toEqual(['o', 'r']);
  });

  it('interleaves the sides and rotates by one place per repetition', () => {
    const ours = ['o1', 'o2'];
    const refs = ['d1', 'd2', 'w1', 'w2'];
    expect(runOrder(ours, refs, 0)).toEqual(['o1', 'd1', 'o2', 'd2', 'w1', 'w2']);
    expect(runOrder(ours, refs, 1)).toEqual(['d1', 'o2', 'd2', 'w1', 'w2', 'o1']);
    // Over as many repetitions as settings, every setting takes every position once.
    const n = ours.length + refs.length;
    for (const s of [...ours, ...refs]) {
      const positions = Array.from({ length: n }, (_, rep) => runOrder(ours, refs, rep).indexOf(s));
      expect(new Set(positions).size).toBe(n);
    }
  });

  it('runs each setting once per repetition when one side is empty', () => {
    expect(runOrder(['o1', 'o2'], [], 1)).toEqual(['o2', 'o1']);
    expect(runOrder([], ['d1'], 3)).toEqual(['d1']);
    expect(runOrder([], [], 0)).toEqual([]);
  });
});

describe('children environments', () => {
  const base = { PATH: '/bin', LD_LIBRARY_PATH: `/opt/x:${OPENBLAS_DIR}`, MMAE_THREADS: '3' };

  it('sets MMAE_THREADS for ours, or leaves it as the environment has it', () => {
    expect(oursEnv({ side: 'ours', label: 'ours:1', threads: 1 }, base).MMAE_THREADS).toBe('1');
    expect(oursEnv({ side: 'ours', label: 'ours:default' }, base).MMAE_THREADS).toBe('3');
  });

  it('puts OpenBLAS first for the debian build on openblas, once', () => {
    const env = referenceEnv(
      { side: 'reference', label: 'debian:2', build: 'debian', threads: 2 },
      'openblas',
      base,
    );
    expect(env.LD_LIBRARY_PATH).toBe(`${OPENBLAS_DIR}:/opt/x`);
    expect([env.OMP_NUM_THREADS, env.OPENBLAS_NUM_THREADS, env.MKL_NUM_THREADS]).toEqual([
      '2',
      '2',
      '2',
    ]);
  });

  it('never gives the wheel the OpenBLAS directory', () => {
    const wheel = { side: 'reference', label: 'wheel:1', build: 'wheel', threads: 1 } as const;
    expect(referenceEnv(wheel, 'openblas', base).LD_LIBRARY_PATH).toBe('/opt/x');
    const only = referenceEnv(wheel, 'openblas', { LD_LIBRARY_PATH: OPENBLAS_DIR });
    expect('LD_LIBRARY_PATH' in only).toBe(false);
  });

  it('leaves the debian build on the system BLAS with --torch-blas system', () => {
    const env = referenceEnv(
      { side: 'reference', label: 'debian:1', build: 'debian', threads: 1 },
      'system',
      { PATH: '/bin' },
    );
    expect('LD_LIBRARY_PATH' in env).toBe(false);
  });

  it('runs the debian build on /usr/bin/python3 and the wheel in the venv', () => {
    expect(referencePython('debian', '/repo')).toBe('/usr/bin/python3');
    expect(referencePython('wheel', '/repo')).toBe('/repo/bench/.torch-wheel/bin/python');
  });
});
