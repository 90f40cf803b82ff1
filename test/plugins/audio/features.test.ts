import { describe, expect, it } from 'vitest';
import { centreInWindow, createLogMelExtractor } from '../../../plugins/audio/features.js';
import { hzToMel, melFilterbank } from '../../../plugins/audio/mel.js';
import { resolveAudioOptions } from '../../../plugins/audio/options.js';
import { ConfigError } from '../../../src/errors/errors.js';
import { tone } from './wav-fixtures.js';

describe('log-mel features', () => {
  it('have shape [frames, melBands] with frames = 1 + samples / hop, all finite', () => {
    const options = resolveAudioOptions({ melBands: 32, hopLength: 100, durationSeconds: 0.5 });
    const extractor = createLogMelExtractor(options);
    expect([extractor.frames, extractor.bands]).toEqual([41, 32]);
    const features = extractor.logMel(tone(700, 8000, 0.3));
    expect(features.length).toBe(41 * 32);
    expect(features.every(Number.isFinite)).toBe(true);
  });

  it('default to 63 frames × 40 bands for one second at 8 kHz', () => {
    const extractor = createLogMelExtractor(resolveAudioOptions({}));
    expect([extractor.frames, extractor.bands]).toEqual([63, 40]);
  });

  it('put a tone’s energy in the mel band around its frequency, and silence at log(eps)', () => {
    const options = resolveAudioOptions({});
    const extractor = createLogMelExtractor(options);
    const features = extractor.logMel(tone(1000, 8000, 1));
    const middle = 31 * extractor.bands;
    const frame = Array.from(features.subarray(middle, middle + extractor.bands));
    const loudest = frame.indexOf(Math.max(...frame));
    const step = hzToMel(4000) / (options.melBands + 1);
    expect(Math.abs((loudest + 1) * step - hzToMel(1000))).toBeLessThan(step);

    const silent = extractor.logMel(new Float32Array(100));
    expect(silent.every((v) => Math.abs(v - Math.log(options.logEpsilon)) < 1e-4)).toBe(true);
  });

  it('do not depend on where a clip sits in a longer recording once it is centred', () => {
    const extractor = createLogMelExtractor(resolveAudioOptions({ durationSeconds: 0.5 }));
    const clip = tone(300, 8000, 0.5);
    const longer = new Float32Array(8000);
    longer.set(clip, 2000);
    const a = extractor.logMel(clip);
    const b = extractor.logMel(longer);
    expect(a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-3)).toBe(true);
  });
});

describe('centreInWindow', () => {
  it('zero-pads a short clip on both sides and keeps the middle of a long one', () => {
    expect(Array.from(centreInWindow(new Float32Array([1, 2]), 6))).toEqual([0, 0, 1, 2, 0, 0]);
    expect(Array.from(centreInWindow(new Float32Array([1, 2, 3, 4, 5, 6]), 2))).toEqual([3, 4]);
  });
});

describe('audio options', () => {
  it('name the field at fault', () => {
    expect(() => resolveAudioOptions({ fftSize: 300 })).toThrow(ConfigError);
    expect(() => resolveAudioOptions({ fftSize: 300 })).toThrow(/fftSize: must be a power of two/);
    expect(() => resolveAudioOptions({ fMax: 6000 })).toThrow(/fMax: must be <= sampleRate \/ 2/);
    expect(() => resolveAudioOptions({ hopLength: 512 })).toThrow(/hopLength/);
    expect(() => resolveAudioOptions({ melBandz: 3 })).toThrow(/melBandz/);
  });

  it('reject a mel band narrower than the FFT bin spacing', () => {
    const tooMany = { sampleRate: 8000, fftSize: 64, bands: 80, fMin: 0, fMax: 4000 };
    expect(() => melFilterbank(tooMany)).toThrow(ConfigError);
    expect(() => melFilterbank(tooMany)).toThrow(/falls between FFT bins/);
  });
});
