import 'reflect-metadata';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import audioModule, { audioPlugin } from '../../../plugins/audio/index.js';
import type { RawValue } from '../../../src/data/contract.js';
import { DataError, PluginError } from '../../../src/errors/errors.js';
import { TOKENS } from '../../../src/container/tokens.js';
import type { ModalityPlugin } from '../../../src/modality/contract.js';
import { tone, wavBytes } from './wav-fixtures.js';

const options = audioPlugin.optionsSchema.parse({ melBands: 24, durationSeconds: 0.5 });

/** Tones of different pitch, level and length, as WAV bytes. */
function trainingRaws(): RawValue[] {
  return [200, 350, 500, 800, 1300, 2100].map((hz, i) => ({
    kind: 'bytes',
    data: wavBytes([tone(hz, 8000, 0.2 + 0.05 * i, 0.1 + 0.1 * i)], 8000, '16'),
    name: `tone-${hz}.wav`,
  }));
}

describe('the audio plugin', () => {
  it('is contributed by its container module under the ModalityPlugin token', () => {
    const container = new Container();
    container.load(audioModule);
    const plugins = container.getAll<ModalityPlugin>(TOKENS.ModalityPlugin);
    expect(plugins.map((p) => p.id)).toEqual(['audio']);
  });

  it('fits per-band mean and std that survive a JSON round trip and standardise the training set', async () => {
    const raws = trainingRaws();
    const state = await audioPlugin.fit(raws, options);
    expect(state.mean).toHaveLength(24);
    expect(state.std).toHaveLength(24);
    expect(state.clips).toBe(raws.length);

    const restored = JSON.parse(JSON.stringify(state));
    const instance = audioPlugin.create(options, restored);
    expect(instance.featureSpec).toEqual({ shape: [32, 24], dtype: 'float32' });

    const rows = await Promise.all(raws.map((raw, i) => instance.prepare(raw, `row ${i}`)));
    for (let band = 0; band < 24; band++) {
      let sum = 0;
      let squares = 0;
      let count = 0;
      for (const row of rows) {
        for (let i = band; i < row.length; i += 24) {
          sum += row[i] as number;
          squares += (row[i] as number) ** 2;
          count++;
        }
      }
      const mean = sum / count;
      expect(Math.abs(mean)).toBeLessThan(1e-3);
      expect(Math.sqrt(squares / count - mean ** 2)).toBeCloseTo(1, 2);
    }
  });

  it('prepares the same features from a file path, WAV bytes and decoded audio', async () => {
    const state = await audioPlugin.fit(trainingRaws(), options);
    const instance = audioPlugin.create(options, state);
    const samples = tone(440, 8000, 0.4);
    const fromBytes = await instance.prepare(
      { kind: 'bytes', data: wavBytes([samples], 8000, '32f') },
      'a',
    );
    const fromAudio = await instance.prepare(
      { kind: 'decoded', value: { sampleRate: 8000, samples } },
      'b',
    );
    expect(Array.from(fromBytes)).toEqual(Array.from(fromAudio));
  });

  it('rejects a saved state fitted for another number of mel bands', async () => {
    const state = await audioPlugin.fit(trainingRaws(), options);
    const other = audioPlugin.optionsSchema.parse({ melBands: 32, durationSeconds: 0.5 });
    expect(() => audioPlugin.create(other, state)).toThrow(PluginError);
    expect(() => audioPlugin.create(other, state)).toThrow(
      /24 mel bands but options.melBands is 32/,
    );
    expect(() => audioPlugin.create(options, { mean: [] } as never)).toThrow(/malformed/);
  });

  it('fit names the bad training file, and refuses an empty training split', async () => {
    const raws = [
      ...trainingRaws(),
      { kind: 'bytes', data: new Uint8Array(10), name: 'junk.wav' } as const,
    ];
    await expect(audioPlugin.fit(raws, options)).rejects.toThrow(/junk\.wav/);
    await expect(audioPlugin.fit([], options)).rejects.toBeInstanceOf(DataError);
  });
});
