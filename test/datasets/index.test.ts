import 'reflect-metadata';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { TOKENS } from '../../src/container/tokens.js';
import type { DatasetAdapter } from '../../src/data/contract.js';
import { datasetsModule } from '../../datasets/index.js';

describe('datasetsModule', () => {
  it('contributes every built-in adapter under TOKENS.DatasetAdapter', () => {
    const container = new Container();
    container.load(datasetsModule);
    const adapters = container.getAll<DatasetAdapter>(TOKENS.DatasetAdapter);
    expect(adapters.map((a) => a.id)).toEqual([
      'mnist',
      'mnist-captions',
      'fsdd',
      'mnist-fsdd',
      'manifest',
      'emoji',
    ]);
    for (const adapter of adapters) {
      expect(adapter.description.length).toBeGreaterThan(10);
      expect(typeof adapter.optionsSchema.parse).toBe('function');
    }
  });

  it('gives every adapter options that parse from an empty or minimal config', () => {
    const container = new Container();
    container.load(datasetsModule);
    for (const adapter of container.getAll<DatasetAdapter>(TOKENS.DatasetAdapter)) {
      const minimal = adapter.id === 'manifest' ? { path: 'data.csv' } : {};
      expect(() => adapter.optionsSchema.parse(minimal)).not.toThrow();
    }
  });
});
