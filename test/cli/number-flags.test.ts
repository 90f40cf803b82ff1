/**
 * Every numeric flag of every command goes through one strict reader: decimal digits within a
 * range, else exit 2 and one `mmae:` line naming the flag, the value and the range. Flags are
 * read before any run is opened or config loaded, so these cases need no trained run: a flag
 * that is accepted gets as far as the missing run instead.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { wholeNumberFlag } from '../../src/cli/whole-number-flag.js';
import { UsageError } from '../../src/errors/errors.js';
import { errorReport, runCli, type CliResult } from '../reliability/cli.js';

const NO_RUN = 'test/cli/no-such-run';

describe('wholeNumberFlag', () => {
  it('reads decimal digits within the range', () => {
    expect(wholeNumberFlag('0', '--seed', { min: 0, max: 10 })).toBe(0);
    expect(wholeNumberFlag('0010', '--k', { min: 1, max: 10 })).toBe(10);
  });

  it.each(['abc', '', '-5', '+5', '0x10', '1e3', '3.0', ' 7', '7 ', '١٢'])(
    'refuses "%s" with a UsageError naming the flag and the range',
    (value) => {
      expect(() => wholeNumberFlag(value, '--k', { min: 1, max: 10 })).toThrow(UsageError);
      expect(() => wholeNumberFlag(value, '--k', { min: 1, max: 10 })).toThrow(
        /--k: .* a whole number from 1 to 10/,
      );
    },
  );

  it('refuses a value outside the range, however many digits it has', () => {
    expect(() => wholeNumberFlag('0', '--k', { min: 1, max: 10 })).toThrow(
      /--k: 0 is out of range/,
    );
    expect(() => wholeNumberFlag('9'.repeat(400), '--k', { min: 1, max: 10 })).toThrow(
      /out of range; give a whole number from 1 to 10/,
    );
  });
});

const REFUSED: readonly { readonly args: readonly string[]; readonly flag: string }[] = [
  { args: ['eval', NO_RUN, '--probe-rows', 'abc'], flag: '--probe-rows' },
  { args: ['eval', NO_RUN, '--probe-rows=-5'], flag: '--probe-rows' },
  { args: ['train', 'configs/mnist-standard.yaml', '--epochs', '0x10'], flag: '--epochs' },
  { args: ['train', 'configs/mnist-standard.yaml', '--epochs', '0'], flag: '--epochs' },
  { args: ['train', 'configs/mnist-standard.yaml', '--epochs', '1e12'], flag: '--epochs' },
  { args: ['retrieve', NO_RUN, '--text', 'seven', '--k', '2.5'], flag: '--k' },
  { args: ['generate', NO_RUN, '--prior', '1e2', '--to', 'image'], flag: '--prior' },
  { args: ['generate', NO_RUN, '--prior', '1000', '--to', 'image'], flag: '--prior' },
  {
    args: ['generate', NO_RUN, '--from', 'text', 'x', '--to', 'image', '--samples=-1'],
    flag: '--samples',
  },
  { args: ['generate', NO_RUN, '--prior', '2', '--to', 'image', '--seed=-1'], flag: '--seed' },
  {
    args: ['index', NO_RUN, '--modality', 'image', '--store', 'postgres://h/db', '--m', '1e2'],
    flag: '--m',
  },
  {
    args: [
      'index',
      NO_RUN,
      '--modality',
      'image',
      '--store',
      'postgres://h/db',
      '--ef-construction',
      '0x10',
    ],
    flag: '--ef-construction',
  },
  {
    args: [
      'index',
      NO_RUN,
      '--modality',
      'image',
      '--store',
      'postgres://h/db',
      '--maintenance-work-mem',
      '1.5',
    ],
    flag: '--maintenance-work-mem',
  },
  {
    args: [
      'index',
      NO_RUN,
      '--modality',
      'image',
      '--manifest',
      'm.csv',
      '--store',
      'postgres://h/db',
      '--batch-size=-1',
    ],
    flag: '--batch-size',
  },
  {
    args: [
      'retrieve',
      NO_RUN,
      '--text',
      'seven',
      '--store',
      'postgres://h/db',
      '--ef-search',
      '1001',
    ],
    flag: '--ef-search',
  },
  {
    args: ['generate', NO_RUN, '--prior', '2', '--to', 'image', '--seed', '4294967296'],
    flag: '--seed',
  },
];

const results = new Map<string, CliResult>();
const key = (args: readonly string[]) => args.join(' ');
const SEED_ZERO = ['generate', NO_RUN, '--prior', '2', '--to', 'image', '--seed', '0'];

describe('numeric flags through the CLI', () => {
  beforeAll(async () => {
    // One child per case, all at once: each spends its time starting node and loading mmae.
    await Promise.all(
      [...REFUSED.map((c) => c.args), SEED_ZERO].map(async (args) =>
        results.set(key(args), await runCli(args)),
      ),
    );
  }, 120_000);

  it.each(REFUSED)('$args.0 refuses a bad $flag with exit 2 and one line naming it', (c) => {
    const result = results.get(key(c.args))!;
    const report = errorReport(result.stderr);
    expect(result.code, result.stderr).toBe(2);
    expect(report.hasStack, result.stderr).toBe(false);
    expect(report.lines, result.stderr).toHaveLength(1);
    expect(report.lines[0]).toContain(`${c.flag}:`);
    expect(report.lines[0]).toMatch(/a whole number from \d+ to \d+/);
  });

  it('takes --seed 0 as a seed and goes on to open the run', () => {
    const result = results.get(key(SEED_ZERO))!;
    const report = errorReport(result.stderr);
    expect(report.lines, result.stderr).toHaveLength(1);
    expect(report.lines[0]).not.toContain('--seed');
    expect(report.lines[0]).toContain('no-such-run');
  });
});
