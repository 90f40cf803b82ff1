/**
 * Sizes are checked before they cost memory. A forged run whose config asks for a model far
 * larger than its weights (a million-unit layer) is refused before the layer exists: a child
 * process opening it peaks no higher than one opening the genuine run, plus a small margin. A
 * user's config past a bound is a ConfigError naming the field, from loadConfigFile and from
 * `mmae train`; a saved vocabulary past its bound is a RunError naming state.json.
 */
import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config/load-config.js';
import { ConfigError, RunError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { imagePlugin } from '../../plugins/image/index.js';
import { textPlugin } from '../../plugins/text/index.js';
import { textOptionsSchema } from '../../plugins/text/options.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { errorReport, REPO_ROOT, runCli } from './cli.js';
import { makeTempDir, type TempDir } from './corpus.js';
import { tinyConfigYaml } from './tiny-run.js';
import { forgeJson, trainTinyImageRun } from './forged-run.js';

/** What opening a forged run may take beyond opening the genuine one. */
const MARGIN_MB = 64;

let temp: TempDir;
let cleanRun: string;
let copies = 0;

beforeAll(async () => {
  temp = await makeTempDir('mmae-oversize-');
  cleanRun = await trainTinyImageRun(temp.dir, 'clean');
});
afterAll(() => temp.remove());

/** A copy of the clean run whose config.json is edited and re-signed, as a forger can. */
async function forgedConfig(edit: (config: Forged) => void): Promise<string> {
  const dir = join(temp.dir, `forged-${copies++}`);
  await cp(cleanRun, dir, { recursive: true });
  await forgeJson(dir, 'config.json', (config) => edit(config as unknown as Forged));
  return dir;
}

interface ChildOutcome {
  readonly ok: boolean;
  readonly error?: string;
  readonly message?: string;
  readonly peakMb: number;
}

/** Opens `run` with loadRun in a fresh node process and reports its outcome and peak RSS. */
function openInChild(run: string): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/reliability/open-run-child.ts', run],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as ChildOutcome);
      } catch {
        reject(new Error(`child exited ${code} without a report:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** The parts of a saved config the forgeries edit. */
interface Forged {
  modalities: { options: Record<string, unknown> }[];
  model: Record<string, unknown>;
}
const image = (config: Forged) => config.modalities[0]!.options;

describe('a forged run whose sizes outgrow its weights', () => {
  const outcomes = new Map<string, ChildOutcome>();
  /** Each forgery, and the error it must meet: a bound of the options, or the weight budget. */
  const FORGERIES: Record<string, { edit: (config: Forged) => void; error: string }> = {
    'a million-unit hidden layer': {
      edit: (c) => (image(c).hiddenSizes = [1_000_000]),
      error: 'ConfigError',
    },
    'two layers each within bounds, together 4 billion weights': {
      edit: (c) => (image(c).hiddenSizes = [65_536, 65_536]),
      error: 'RunError',
    },
    'a latent of 4096 units': { edit: (c) => (c.model.latentSize = 4096), error: 'RunError' },
  };

  beforeAll(async () => {
    const runs = {
      clean: cleanRun,
      ...Object.fromEntries(
        await Promise.all(
          Object.entries(FORGERIES).map(async ([name, f]): Promise<[string, string]> => [
            name,
            await forgedConfig(f.edit),
          ]),
        ),
      ),
    };
    for (const [name, run] of Object.entries(runs)) outcomes.set(name, await openInChild(run));
  }, 180_000);

  it('opens the genuine run in a child process', () => {
    expect(outcomes.get('clean')).toMatchObject({ ok: true });
  });

  for (const [name, { error }] of Object.entries(FORGERIES)) {
    it(`refuses ${name} as a ${error}, peaking within ${MARGIN_MB} MB of the genuine run`, () => {
      const forged = outcomes.get(name)!;
      const clean = outcomes.get('clean')!;
      expect(forged.ok, forged.message).toBe(false);
      expect(forged.error, forged.message).toBe(error);
      expect(forged.message).toMatch(/config\.json|hiddenSizes/);
      expect(forged.peakMb).toBeLessThan(clean.peakMb + MARGIN_MB);
    });
  }
});

describe('a user config past a bound', () => {
  const CASES: readonly { name: string; yaml: string; field: string }[] = [
    {
      name: 'latentSize 1e8',
      yaml: tinyConfigYaml().replace('latentSize: 8', 'latentSize: 100000000'),
      field: 'model.latentSize',
    },
    {
      name: 'a hidden size of 2e9',
      yaml: tinyConfigYaml().replace('hiddenSizes: [64, 32]', 'hiddenSizes: [2000000000]'),
      field: 'hiddenSizes',
    },
    {
      name: 'batchSize 1e12',
      yaml: tinyConfigYaml().replace('batchSize: 50', 'batchSize: 1000000000000'),
      field: 'training.batchSize',
    },
    {
      name: 'captionsPerImage 1e6',
      yaml: tinyConfigYaml()
        .replace('id: mnist\n', 'id: mnist-captions\n')
        .replace('testLimit: 100 }', 'testLimit: 100, captionsPerImage: 1000000 }'),
      field: 'captionsPerImage',
    },
  ];

  it.each(CASES.filter((c) => c.field.includes('.')))(
    'loadConfigFile refuses $name as a ConfigError naming $field',
    async (c) => {
      const path = await temp.write(`${c.name.replace(/\W/g, '-')}.yaml`, c.yaml);
      const error = await loadConfigFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(c.field);
    },
  );

  it('mmae train refuses each with exit 2, one error naming the field and its bound', async () => {
    const results = await Promise.all(
      CASES.map(async (c) => {
        const path = await temp.write(`cli-${c.name.replace(/\W/g, '-')}.yaml`, c.yaml);
        return { c, result: await runCli(['train', path, '--out', join(temp.dir, 'never')]) };
      }),
    );
    for (const { c, result } of results) {
      const report = errorReport(result.stderr);
      expect(result.code, `${c.name}: ${result.stderr}`).toBe(2);
      expect(report.hasStack, result.stderr).toBe(false);
      expect(report.lines, result.stderr).toHaveLength(1);
      // A plugin's options print their issues on the lines after the one `mmae:` line.
      expect(result.stderr).toContain(c.field.split('.').at(-1));
      expect(result.stderr).toMatch(/<=\s?\d/);
    }
  }, 120_000);
});

describe('a user config whose sizes are each within bounds', () => {
  it('is refused by trainJob as a ConfigError when together they exceed the model cap, before training', async () => {
    const config = smallMnistConfig({ image: { hiddenSizes: [65_536, 65_536] } });
    const options = { trainLimit: 20, validationSize: 5, testLimit: 5 };
    const error = await trainJob({
      config: { config: { ...config, dataset: { ...config.dataset, options } }, baseDir: temp.dir },
      out: join(temp.dir, 'capped'),
      quiet: true,
      log: () => undefined,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/more than 268435456 weight values/);
    expect((error as ConfigError).message).toContain('hiddenSizes');
  });
});

describe('a saved text state past its bounds', () => {
  const options = textOptionsSchema.parse({});
  const specials = ['<pad>', '<unk>', '<bos>', '<eos>'];

  it('refuses a million-word vocabulary as a RunError naming state.json', () => {
    const vocabulary = [...specials, ...Array.from({ length: 1_000_000 }, (_, i) => `w${i}`)];
    expect(() => textPlugin.create(options, { vocabulary })).toThrow(RunError);
    expect(() => textPlugin.create(options, { vocabulary })).toThrow(
      /state\.json[\s\S]*vocabulary/,
    );
  });

  it('refuses a vocabulary longer than the run options allow', () => {
    const vocabulary = [...specials, ...Array.from({ length: 6000 }, (_, i) => `w${i}`)];
    expect(() => textPlugin.create(options, { vocabulary })).toThrow(/maxVocab 5000/);
  });

  it('refuses a vocabulary of numbers and a word of a megabyte', () => {
    expect(() => textPlugin.create(options, { vocabulary: [1, 2, 3, 4] } as never)).toThrow(
      RunError,
    );
    const vocabulary = [...specials, 'x'.repeat(1_000_000)];
    expect(() => textPlugin.create(options, { vocabulary })).toThrow(RunError);
  });
});

describe('a list of hundreds of thousands of wrong entries', () => {
  const huge = Array.from({ length: 300_000 }, () => 'x');

  it('is refused for its length in the config, the options and a saved vocabulary', () => {
    const config = { name: 'x', dataset: { id: 'mnist' }, modalities: huge };
    expect(() => parseConfig(config, 'forged.json')).toThrow(ConfigError);
    expect(() => parseConfig({ ...config, modalities: [{ id: 'image' }], plugins: huge })).toThrow(
      /plugins/,
    );
    expect(imagePlugin.optionsSchema.safeParse({ hiddenSizes: huge }).success).toBe(false);
    expect(() =>
      textPlugin.create(textOptionsSchema.parse({}), { vocabulary: huge as never }),
    ).toThrow(RunError);
  });
});
