import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The package's name, as plugins import it, is its source: the same modules the tests import
    // by relative path, so one instance of each (tsconfig.json "paths" says the same to tsc).
    alias: [
      { find: /^mmae$/, replacement: source('./src/index.ts') },
      { find: /^mmae\/portable$/, replacement: source('./src/portable.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
