import { describe, expect, it } from 'vitest';
import type { InstanceRetrievalSummary } from '../../../src/evaluation/crossmodal/instance-retrieval.js';
import type { EvalReport } from '../../../src/evaluation/report/eval-report.js';
import { formatReport } from '../../../src/evaluation/report/format-report.js';

const base: EvalReport = {
  run: 'runs/x',
  variant: 'poe',
  modalities: ['image', 'text'],
  epochs: 1,
  testSize: 4,
  testLoss: { total: 1 },
  reconstruction: {},
  linearProbe: {},
  files: [],
};

const scores = (s: Partial<InstanceRetrievalSummary> = {}): InstanceRetrievalSummary => ({
  recallAt1: 0.25,
  recallAt5: 0.5,
  recallAt10: 1,
  meanAveragePrecision: 0.4,
  medianRank: 2.5,
  queries: 4,
  excludedQueries: 0,
  gallery: 4,
  chance: { recallAt1: 0.25, recallAt10: 1, meanAveragePrecision: 0.52 },
  ...s,
});

describe('report.md with and without declared instances', () => {
  it('has no instance or cross-source section when the dataset declares no instances', () => {
    const md = formatReport(base);
    expect(md).not.toMatch(/Instance-level retrieval|Cross-.* retrieval/);
  });

  it('names the dataset’s own words and lists each pair with its left-out queries', () => {
    const md = formatReport({
      ...base,
      instanceRetrieval: {
        noun: 'emoji',
        pairs: { 'text→image': scores() },
        sourceNoun: 'vendor',
        crossSource: {
          image: {
            'google→twitter': scores({ queries: 3, excludedQueries: 1, gallery: 3 }),
            'twitter→google': scores({ medianRank: NaN, recallAt1: NaN }),
          },
        },
      },
    });
    expect(md).toContain('## Instance-level retrieval: the same emoji');
    expect(md).toContain(
      '| text → image | 4 | 0 | 4 | 0.250 | 0.500 | 1.000 | 0.400 | 2.5 | 0.250 / 1.000 / 0.520 |',
    );
    expect(md).toContain('## Cross-vendor retrieval: the same emoji, from another vendor');
    expect(md).toContain('| image | google → twitter | 3 | 1 | 3 | 0.250 |');
    expect(md).toContain(
      '| image | twitter → google | 4 | 0 | 4 | – | 0.500 | 1.000 | 0.400 | – | 0.250 /',
    );
  });

  it('leaves the cross-source section out when the dataset declares no sources', () => {
    const md = formatReport({
      ...base,
      instanceRetrieval: { noun: 'object', pairs: { 'image→text': scores() } },
    });
    expect(md).toContain('## Instance-level retrieval: the same object');
    expect(md).not.toContain('## Cross-');
  });
});
