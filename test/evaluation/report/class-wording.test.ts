import { describe, expect, it } from 'vitest';
import { className, classWording } from '../../../src/evaluation/report/class-wording.js';
import { formatReport } from '../../../src/evaluation/report/format-report.js';
import type { EvalReport } from '../../../src/evaluation/report/eval-report.js';

describe("the report's words for a class", () => {
  it('lists a few class names in full and the ends of a long list', () => {
    expect(classWording(['slow', 'medium', 'fast'])).toBe('the class (slow, medium or fast)');
    expect(classWording(['yes'])).toBe('the class (yes)');
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    expect(classWording(digits)).toBe('the class (zero, one, two, … or nine)');
  });

  it('falls back to "the class" when the dataset names none', () => {
    expect(classWording(undefined)).toBe('the class');
    expect(classWording([])).toBe('the class');
  });

  it('names a held-out class by index and name in report.md, by index alone without names', () => {
    expect(className(3, ['a', 'b', 'c', 'd'])).toBe('3 (d)');
    expect(className(3, undefined)).toBe('3');
    const report: EvalReport = {
      run: 'runs/x',
      variant: 'standard',
      modalities: ['image'],
      classes: ['zero', 'one', 'two', 'three'],
      epochs: 1,
      testSize: 10,
      testLoss: {},
      reconstruction: {},
      linearProbe: {},
      anomaly: { excludedClasses: [3], auroc: 0.9 },
      files: [],
    };
    expect(formatReport(report)).toContain('| anomaly AUROC (class 3 (three) held out) | 0.9000 |');
  });
});
