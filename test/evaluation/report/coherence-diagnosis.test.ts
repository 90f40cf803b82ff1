import { describe, expect, it } from 'vitest';
import { diagnoseCoherence } from '../../../src/evaluation/report/coherence-diagnosis.js';
import type { EvalReport } from '../../../src/evaluation/report/eval-report.js';
import { formatReport } from '../../../src/evaluation/report/format-report.js';

function report(coherence: Record<string, Record<string, number>>): EvalReport {
  return {
    run: 'runs/x',
    variant: 'moe',
    modalities: ['image', 'text', 'audio'],
    epochs: 1,
    testSize: 100,
    testLoss: {},
    reconstruction: {},
    linearProbe: { all: 0.97, image: 0.95, text: 1, audio: 0.3 },
    crossModal: {
      retrieval: {},
      classifierAccuracy: { image: 0.98, text: 1, audio: 0.4 },
      coherence,
      robustness: [],
      files: [],
    },
    files: [],
  };
}

describe('the coherence diagnosis', () => {
  const rows = diagnoseCoherence(
    report({
      text: { image: 0.82, audio: 0.29 },
      image: { text: 0.975, audio: 0.29 },
      audio: { image: 0.2 },
    }),
  );
  const row = (input: string, output: string) =>
    rows.find((r) => r.input === input && r.output === output);

  it('blames generation when the input code carries the class but the output does not', () => {
    expect(row('image', 'text')?.limit).toBe('generation');
    expect(row('image', 'text')?.explanation).toContain('13.0 points');
  });

  it('blames the input encoder when coherence already matches its linear probe', () => {
    expect(row('audio', 'image')?.limit).toBe('input code');
    expect(row('audio', 'text')?.limit).toBe('input code');
  });

  it('says when coherence is at the ceiling of the output judge', () => {
    expect(row('text', 'image')?.limit).toBe('judge');
  });

  it('leaves out pairs that were not measured and lists the rest in report.md', () => {
    expect(row('text', 'audio')).toBeUndefined();
    const markdown = formatReport(report({ text: { image: 0.82 } }));
    expect(markdown).toContain('| image | text | 82.0 % | 100.0 % | 95.0 % | generation |');
    expect(markdown).toContain('| coherence judge accuracy on real test audio | 40.0 % |');
  });

  it('names the class in the dataset\'s words, and says "the class" for a dataset without names', () => {
    const namedReport = {
      ...report({ text: { image: 0.82, audio: 0.29 } }),
      classes: ['slow', 'medium', 'fast'],
    };
    const explanation = (
      rows: ReturnType<typeof diagnoseCoherence>,
      input: string,
      output: string,
    ) => rows.find((r) => r.input === input && r.output === output)?.explanation;
    const named = diagnoseCoherence(namedReport);
    expect(explanation(named, 'image', 'text')).toContain(
      'a linear probe reads the class (slow, medium or fast) from the image code at 95.0 %',
    );
    expect(explanation(named, 'audio', 'text')).toContain(
      'the audio code carries the class (slow, medium or fast) to a linear probe at only 30.0 %',
    );
    const unnamed = diagnoseCoherence(report({ text: { image: 0.82, audio: 0.29 } }));
    expect(explanation(unnamed, 'image', 'text')).toContain('a linear probe reads the class from');
    expect(explanation(unnamed, 'audio', 'text')).toContain('the audio code carries the class to');
    for (const markdown of [
      formatReport(namedReport),
      formatReport(report({ text: { image: 0.82 } })),
    ]) {
      expect(markdown).not.toMatch(/digit/);
    }
  });

  it('adds the shift of held-out codes towards the origin when generation is to blame', () => {
    const shifted = report({ text: { image: 0.82 }, image: { text: 0.9 } });
    shifted.codeNorm = { image: { train: 5, test: 3.5 }, text: { train: 5, test: 4.9 } };
    const found = diagnoseCoherence(shifted);
    const imageToText = found.find((r) => r.input === 'image' && r.output === 'text')!;
    expect(imageToText.limit).toBe('generation');
    expect(imageToText.explanation).toContain('30.0 % nearer the origin');
    expect(imageToText.explanation).toContain('mean norm 3.50 against 5.00');
    // The text codes barely moved (2 %), so their row says nothing about a shift.
    const textToImage = found.find((r) => r.input === 'text' && r.output === 'image')!;
    expect(textToImage.explanation).not.toContain('nearer the origin');
    expect(formatReport(shifted)).toContain(
      '| mean code norm from image, train / test | 5.00 / 3.50 |',
    );
  });
});
