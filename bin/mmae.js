#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx mmae` works without a build step.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
// Registered after tsx, so it runs first: 'mmae' and its subpaths resolve to src/, the one
// instance of the core whoever imports it (see source-entries.mjs).
registerHooks('./source-entries.mjs', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
