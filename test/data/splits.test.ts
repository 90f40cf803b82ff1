import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/errors.js';
import {
  arraySplit,
  lazySplit,
  splitByGroup,
  splitIndices,
  subsetSplit,
} from '../../src/data/splits.js';

describe('splitIndices', () => {
  it('gives the same split for the same seed and a different one for another seed', () => {
    const a = splitIndices(1000, { validation: 0.1, test: 0.2 }, 7);
    const b = splitIndices(1000, { validation: 0.1, test: 0.2 }, 7);
    const c = splitIndices(1000, { validation: 0.1, test: 0.2 }, 8);
    expect(a).toEqual(b);
    expect([...a.validation]).not.toEqual([...c.validation]);
  });

  it('partitions every index exactly once, with shares or counts', () => {
    const { train, validation, test } = splitIndices(1000, { validation: 100, test: 0.25 }, 1);
    expect(validation.length).toBe(100);
    expect(test.length).toBe(250);
    const all = [...train, ...validation, ...test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...train]).toEqual([...train].sort((x, y) => x - y));
  });

  it('refuses sizes that exceed the data or are not counts', () => {
    expect(() => splitIndices(10, { validation: 6, test: 5 }, 1)).toThrow(ConfigError);
    expect(() => splitIndices(10, { validation: 1.5, test: 0 }, 1)).toThrow(/whole number/);
    expect(() => splitIndices(10, { validation: -0.1, test: 0 }, 1)).toThrow(ConfigError);
  });
});

describe('splitByGroup', () => {
  const groups = Array.from({ length: 60 }, (_, i) => ['ann', 'bob', 'cat', 'dan', 'eve'][i % 5]!);

  it('never puts one group in two splits', () => {
    for (const seed of [1, 2, 3, 4]) {
      const split = splitByGroup(groups, { validation: 1, test: 0.2 }, seed);
      const groupsOf = (rows: Int32Array) => new Set([...rows].map((r) => groups[r]));
      const train = groupsOf(split.train);
      const validation = groupsOf(split.validation);
      const test = groupsOf(split.test);
      for (const g of test) expect(train.has(g) || validation.has(g)).toBe(false);
      for (const g of validation) expect(train.has(g)).toBe(false);
      expect(split.groups.test.length).toBe(1);
      expect(split.groups.validation.length).toBe(1);
      expect(split.train.length + split.validation.length + split.test.length).toBe(60);
    }
  });

  it('takes explicitly named groups as given and is deterministic', () => {
    const split = splitByGroup(groups, { validation: ['bob'], test: ['eve', 'ann'] }, 1);
    expect(split.groups).toEqual({
      train: ['cat', 'dan'],
      validation: ['bob'],
      test: ['ann', 'eve'],
    });
    expect(splitByGroup(groups, { validation: 1, test: 1 }, 5)).toEqual(
      splitByGroup(groups, { validation: 1, test: 1 }, 5),
    );
  });

  it('refuses unknown and doubly assigned groups, naming them', () => {
    expect(() => splitByGroup(groups, { validation: ['zed'], test: 1 }, 1)).toThrow(/'zed'/);
    expect(() => splitByGroup(groups, { validation: ['bob'], test: ['bob'] }, 1)).toThrow(
      /bob.*both/,
    );
    expect(() => splitByGroup(groups, { validation: 3, test: 3 }, 1)).toThrow(ConfigError);
  });
});

describe('split views', () => {
  const samples = Array.from({ length: 5 }, (_, i) => ({ id: `s${i}`, values: {} }));

  it('subsetSplit reads the source through the index list', () => {
    const subset = subsetSplit(arraySplit(samples), [4, 1]);
    expect(subset.size).toBe(2);
    expect(subset.sample(0).id).toBe('s4');
    expect(subset.sample(1).id).toBe('s1');
    expect(() => subset.sample(2)).toThrow(RangeError);
  });

  it('lazySplit builds samples on demand and checks bounds', () => {
    const split = lazySplit(3, (i) => ({ id: `lazy${i}`, values: {} }));
    expect(split.sample(2).id).toBe('lazy2');
    expect(() => split.sample(3)).toThrow(RangeError);
    expect(() => split.sample(-1)).toThrow(RangeError);
  });
});
