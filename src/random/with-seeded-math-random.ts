import { SeededRandom } from './seeded-random.js';

/**
 * Runs `build` with Math.random replaced by a seeded generator. tfjs has no global seed: a layer
 * initialiser without its own seed draws its seed from Math.random. Building every module of a
 * model under this makes initial weights a function of the run seed, whatever initialisers a
 * plugin chose, which is what makes two runs (and a resumed run) agree.
 */
export function withSeededMathRandom<T>(seed: number, build: () => T): T {
  const original = Math.random;
  const random = new SeededRandom(seed);
  Math.random = () => random.next();
  try {
    return build();
  } finally {
    Math.random = original;
  }
}
