import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/container/create-registry.js';

describe('built-in fusion registration', () => {
  it('lists the gated, tensor and low-rank fusions in the default registry', async () => {
    const registry = await createRegistry();
    const ids = [...registry.fusions.keys()];
    expect(ids).toEqual(expect.arrayContaining(['gated', 'tensor', 'low-rank']));
  });
});
