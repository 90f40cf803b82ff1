/** The ten digit classes shared by MNIST, FSDD and their pairings: index = label. */
export const DIGIT_CLASSES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
] as const;

/** The class name of a digit label, e.g. 7 → 'seven'. */
export function digitWord(digit: number): string {
  const word = DIGIT_CLASSES[digit];
  if (word === undefined) throw new RangeError(`digit label ${digit} is not in 0..9`);
  return word;
}
