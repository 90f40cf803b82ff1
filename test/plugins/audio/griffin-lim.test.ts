import { describe, expect, it } from 'vitest';
import { griffinLim } from '../../../plugins/audio/griffin-lim.js';
import { createStft, powerOf, stftLayout } from '../../../plugins/audio/stft.js';

/** A 0.5 s sweep with a second harmonic: a signal whose phase matters. */
function sweep(length: number): Float32Array {
  return new Float32Array(length).map((_, i) => {
    const t = i / 8000;
    const phase = 2 * Math.PI * (300 * t + 600 * t * t);
    return 0.4 * Math.sin(phase) + 0.2 * Math.sin(2 * phase);
  });
}

describe('the STFT', () => {
  it('inverts its own forward transform (Hann window, 50% overlap, centred frames)', () => {
    const stft = createStft(stftLayout(4000, 256, 128, 512));
    const signal = sweep(4000);
    const back = stft.inverse(stft.forward(signal));
    let worst = 0;
    for (let i = 0; i < signal.length; i++)
      worst = Math.max(worst, Math.abs((back[i] as number) - (signal[i] as number)));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('griffinLim', () => {
  it('finds a signal whose STFT magnitude matches the target far better than random phase does', () => {
    const stft = createStft(stftLayout(4000, 256, 128, 256));
    const magnitude = powerOf(stft.forward(sweep(4000))).map(Math.sqrt);
    const inconsistency = (iterations: number) => {
      const y = griffinLim(magnitude, stft, { iterations, momentum: 0.99, seed: 1 });
      const achieved = powerOf(stft.forward(y)).map(Math.sqrt);
      let error = 0;
      let total = 0;
      for (let i = 0; i < magnitude.length; i++) {
        error += ((achieved[i] as number) - (magnitude[i] as number)) ** 2;
        total += (magnitude[i] as number) ** 2;
      }
      return Math.sqrt(error / total);
    };
    const randomPhase = inconsistency(0);
    const reconstructed = inconsistency(32);
    console.log(
      `spectral convergence: random phase ${randomPhase.toFixed(3)}, 32 iterations ${reconstructed.toFixed(3)}`,
    );
    expect(reconstructed).toBeLessThan(0.3 * randomPhase);
  });
});
