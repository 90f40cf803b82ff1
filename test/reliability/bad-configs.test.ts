/**
 * Bad YAML configs, through the API (`loadConfigFile`) and through the CLI in a child process:
 * a ConfigError naming the field, exit code 2, one error report and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors/errors.js';
import { errorReport, runCli } from './cli.js';
import { expectMmaeError, makeTempDir, type TempDir } from './corpus.js';

let temp: TempDir;
beforeAll(async () => (temp = await makeTempDir()));
afterAll(() => temp.remove());

const BASE = `name: bad
backend: wasm
dataset: { id: mnist, options: { trainLimit: 100, validationSize: 10, testLimit: 10 } }
modalities:
  - id: image
`;

/** Configs that the schema refuses, with the field each error must name. */
const SCHEMA_CASES: readonly { name: string; yaml: string; field: string }[] = [
  { name: 'wrong-type', yaml: `${BASE}training: { epochs: "ten" }\n`, field: 'training.epochs' },
  { name: 'unknown-key', yaml: `${BASE}trainig: { epochs: 2 }\n`, field: 'trainig' },
  {
    name: 'negative-size',
    yaml: `${BASE}training: { batchSize: -5 }\n`,
    field: 'training.batchSize',
  },
  {
    name: 'negative-latent',
    yaml: `${BASE}model: { latentSize: -1 }\n`,
    field: 'model.latentSize',
  },
  {
    name: 'no-modalities',
    yaml: 'name: bad\ndataset: { id: mnist }\nmodalities: []\n',
    field: 'modalities',
  },
  { name: 'not-a-map', yaml: '- just\n- a list\n', field: '' },
];

describe('loadConfigFile with a bad config', () => {
  for (const c of SCHEMA_CASES) {
    it(`refuses the ${c.name} config with a ConfigError naming ${c.field || 'the config'}`, async () => {
      const path = await temp.write(`${c.name}.yaml`, c.yaml);
      await expectMmaeError(() => loadConfigFile(path), ConfigError, [path, c.field]);
    });
  }

  it('refuses invalid YAML naming the file and the line', async () => {
    const path = await temp.write('broken.yaml', 'name: bad\nmodalities: [\n  - id: image\n');
    await expectMmaeError(() => loadConfigFile(path), ConfigError, [path, 'line']);
  });

  it('refuses a missing config file naming its path', async () => {
    await expectMmaeError(() => loadConfigFile(`${temp.dir}/absent.yaml`), ConfigError, [
      'absent.yaml',
    ]);
  });
});

/** Configs that pass the schema but name something that does not exist. */
const CLI_CASES: readonly { name: string; yaml: string; field: string }[] = [
  ...SCHEMA_CASES.slice(0, 3),
  {
    name: 'unknown-modality-plugin',
    yaml: BASE.replace('- id: image', '- id: hologram\n    name: image'),
    field: 'hologram',
  },
  { name: 'unknown-fusion', yaml: `${BASE}fusion: { id: telepathy }\n`, field: 'telepathy' },
];

/** Bad command lines: usage errors exit 2, a run that is not there exits 1. */
const ARG_CASES: readonly {
  name: string;
  args: (dir: string) => string[];
  code: number;
  mention: string;
}[] = [
  {
    name: 'a config file that does not exist',
    args: (d) => ['train', `${d}/absent.yaml`],
    code: 2,
    mention: 'absent.yaml',
  },
  {
    name: '--epochs that is not a number',
    args: (d) => ['train', `${d}/cli-wrong-type.yaml`, '--epochs', 'ten'],
    code: 2,
    mention: '--epochs',
  },
  {
    name: '--resume without --out',
    args: (d) => ['train', `${d}/valid.yaml`, '--resume'],
    code: 2,
    mention: '--out',
  },
  {
    name: 'eval of a run that does not exist',
    args: (d) => ['eval', `${d}/no-such-run`],
    code: 1,
    mention: 'no-such-run',
  },
];

describe('mmae train with a bad config or bad arguments', () => {
  // One child process per case is slow; run them side by side.
  const results = new Map<string, Awaited<ReturnType<typeof runCli>>>();
  beforeAll(async () => {
    await Promise.all(
      CLI_CASES.map(async (c) => {
        const path = await temp.write(`cli-${c.name}.yaml`, c.yaml);
        results.set(
          c.name,
          await runCli(['train', path, '--out', `${temp.dir}/run-${c.name}`, '--quiet']),
        );
      }),
    );
    await temp.write('valid.yaml', BASE);
    await Promise.all(
      ARG_CASES.map(async (c) => results.set(c.name, await runCli(c.args(temp.dir)))),
    );
  });

  for (const c of CLI_CASES) {
    it(`exits with code 2 and a one-line error naming ${c.field} for the ${c.name} config`, () => {
      const result = results.get(c.name)!;
      const report = errorReport(result.stderr);
      expect(result.code, result.stderr).toBe(2);
      expect(report.lines, result.stderr).toHaveLength(1);
      expect(report.lines[0]).toContain(c.field);
      // Nothing else but the backend notice: the error is that one line.
      const other = result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('backend:'));
      expect(other, result.stderr).toEqual(report.lines);
      expect(report.hasStack, result.stderr).toBe(false);
    });
  }

  for (const c of ARG_CASES) {
    it(`exits with code ${c.code} and a one-line error mentioning ${c.mention} for ${c.name}`, () => {
      const result = results.get(c.name)!;
      const report = errorReport(result.stderr);
      expect(result.code, result.stderr).toBe(c.code);
      expect(report.lines, result.stderr).toHaveLength(1);
      expect(report.lines[0]).toContain(c.mention);
      const other = result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('backend:'));
      expect(other, result.stderr).toEqual(report.lines);
      expect(report.hasStack, result.stderr).toBe(false);
    });
  }
});
