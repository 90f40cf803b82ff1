// A module-resolution hook for the CLI, which runs mmae from its TypeScript sources: the package's
// own name ('mmae', 'mmae/portable', …) resolves to the source of each entry package.json
// "exports" names (./dist/src/index.js → ./src/index.ts), from wherever it is imported. The
// built-in plugins import 'mmae' as a user's plugin does, so without it they would reach the
// built dist/ (package.json self-reference) beside the CLI's src/: two instances of the core,
// whose errors and container tokens are not each other's. tsconfig.json "paths" cannot do this
// here: tsx reads the tsconfig of the working directory, and none for files in node_modules.
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

const sources = new Map(
  Object.entries(pkg.exports).map(([key, target]) => [
    pkg.name + key.slice(1),
    new URL(target.default.replace(/^\.\/dist\//, './').replace(/\.js$/, '.ts'), root).href,
  ]),
);

export async function resolve(specifier, context, nextResolve) {
  return nextResolve(sources.get(specifier) ?? specifier, context);
}
