/**
 * The browser-bundle test's scan for Node globals: it counts a module's own uses of a global
 * only Node defines, and not a guarded reach through globalThis, a typeof check, a type, a
 * property or member of that name, or a local that shadows it.
 */
import { describe, expect, it } from 'vitest';
import { nodeGlobalsIn } from './node-only-imports.js';

describe('nodeGlobalsIn', () => {
  it('names each use of a Node global with its file and line', () => {
    const source = [
      "const name = Buffer.from('x', 'utf8');",
      'setImmediate(() => undefined);',
      'const env = process.env.HOME;',
      'const dir = __dirname;',
      "const wav = require('wavefile');",
      'export const io = { Buffer };',
    ].join('\n');
    expect(nodeGlobalsIn('src/m.ts', source)).toEqual([
      'src/m.ts:1: Buffer',
      'src/m.ts:2: setImmediate',
      'src/m.ts:3: process',
      'src/m.ts:4: __dirname',
      'src/m.ts:5: require',
      'src/m.ts:6: Buffer',
    ]);
  });

  it('passes a guarded reach through globalThis, typeof, types, names of members and locals', () => {
    const source = [
      'const immediate = globalThis.setImmediate;',
      "if (typeof process !== 'undefined') console.log('node');",
      'let bytes: Buffer | undefined;',
      'const options = { process: 1, require: true };',
      'options.process += 1;',
      'class Stage { process(): void {} }',
      'function run(require: (id: string) => unknown) { return require; }',
      '// Buffer.from in a comment, and "process.env" in a string',
    ].join('\n');
    expect(nodeGlobalsIn('plugins/p.ts', source)).toEqual([]);
  });
});
