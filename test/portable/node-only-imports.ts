/**
 * Bundles an entry with esbuild for the browser and lists every import a browser cannot take: a
 * Node built-in that esbuild cannot resolve for `platform: 'browser'` (a guarded `require` in a
 * try block, as tfjs has, is not one), a Node-only package, or a module of mmae's Node edge, each
 * with the chain of imports that pulls it in from the entry. It also lists each use of a Node
 * global (Buffer, process, setImmediate, …) in this repository's modules in the bundle, which no
 * import shows and a browser lacks at run time.
 */
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import ts from 'typescript';

/** Packages that load native code or the file system whatever the platform. */
const NODE_ONLY_PACKAGES = new Set(['sharp', 'wavefile', 'hnswlib-node', '@tensorflow/tfjs-node']);

/**
 * mmae's own modules that the portable path must not reach: backend selection and the speed
 * engine (native addon, kernel patches). The backend words the config schema checks live in
 * src/config/, so no module of src/backend/ is let through.
 */
const NODE_EDGE_MODULES = /^src\/(engine|backend)\//;

export interface BrowserBundle {
  readonly bytes: number;
  /** Every module in the bundle, as a path from the repository root. */
  readonly inputs: readonly string[];
  /** Each offending import as "entry → … → importer → import". */
  readonly nodeOnly: readonly string[];
  /** Each use of a Node global in a module of src/ or plugins/, as "file:line: name". */
  readonly nodeGlobals: readonly string[];
}

/**
 * Globals only Node defines. A portable module may still reach one through `globalThis` after
 * checking it is there (`globalThis.setImmediate`), which these do not count; nor `typeof X`.
 */
const NODE_GLOBALS = new Set([
  'Buffer',
  'process',
  'global',
  'setImmediate',
  'clearImmediate',
  '__dirname',
  '__filename',
  'require',
  'module',
  'exports',
]);

/** The repository's own modules, whose sources are scanned (tfjs's guarded uses are its own). */
const OWN_MODULES = /^(src|plugins)\/.+\.(ts|js|mjs)$/;

/** Kinds of declaration whose name binds a local that shadows a global of the same name. */
function bindsName(parent: ts.Node, node: ts.Identifier): boolean {
  return (
    (ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isImportSpecifier(parent) ||
      ts.isImportClause(parent) ||
      ts.isNamespaceImport(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name === node
  );
}

/** Uses of Node globals in one module's source, as "file:line: name". */
export function nodeGlobalsIn(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const bound = new Set<string>();
  const uses: { name: string; at: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node) || ts.isImportTypeNode(node)) return; // types are erased
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      if (bindsName(parent, node)) bound.add(node.text);
      else if (ts.isShorthandPropertyAssignment(parent))
        uses.push({ name: node.text, at: node.pos });
      else if (
        !((parent as { name?: ts.Node }).name === node) && // a member's or property's own name
        !(ts.isPropertyAccessExpression(parent) && parent.name === node) &&
        !ts.isTypeOfExpression(parent)
      )
        uses.push({ name: node.text, at: node.getStart(source) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses
    .filter((use) => !bound.has(use.name))
    .map((use) => `${file}:${source.getLineAndCharacterOfPosition(use.at).line + 1}: ${use.name}`);
}

function packageOf(path: string): string {
  const parts = path.split('/');
  return path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export async function bundleForBrowser(entry: string): Promise<BrowserBundle> {
  const refused: { importer: string; path: string }[] = [];
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'node-only-imports',
        setup(build) {
          build.onResolve({ filter: /.*/ }, async (args) => {
            if (args.pluginData === 'inner') return undefined;
            const refuse = () => {
              refused.push({ importer: args.importer, path: args.path });
              return { path: args.path, external: true };
            };
            if (NODE_ONLY_PACKAGES.has(packageOf(args.path))) return refuse();
            const resolved = await build.resolve(args.path, {
              kind: args.kind,
              importer: args.importer,
              resolveDir: args.resolveDir,
              pluginData: 'inner',
            });
            return resolved.errors.length > 0 ? refuse() : undefined;
          });
        },
      },
    ],
  });
  const inputs = result.metafile.inputs;
  const relative = (file: string) => Object.keys(inputs).find((k) => file.endsWith(k)) ?? file;
  // Breadth first from the entry, so each chain is a shortest one.
  const root = relative(entry);
  const parent = new Map<string, string | undefined>([[root, undefined]]);
  const queue = [root];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const { path, external } of inputs[file]?.imports ?? []) {
      if (external || parent.has(path)) continue;
      parent.set(path, file);
      queue.push(path);
    }
  }
  const chainTo = (file: string) => {
    const chain: string[] = [];
    for (let at: string | undefined = file; at !== undefined; at = parent.get(at))
      chain.unshift(at);
    return chain;
  };
  const nodeOnly = [
    ...refused.map(({ importer, path }) => [...chainTo(relative(importer)), path].join(' → ')),
    ...Object.keys(inputs)
      .filter((file) => NODE_EDGE_MODULES.test(file))
      .map((file) => chainTo(file).join(' → ')),
  ];
  return {
    bytes: result.outputFiles[0]!.contents.length,
    inputs: Object.keys(inputs),
    nodeOnly: [...new Set(nodeOnly)],
    nodeGlobals: Object.keys(inputs)
      .filter((file) => OWN_MODULES.test(file))
      .flatMap((file) => nodeGlobalsIn(file, readFileSync(file, 'utf8'))),
  };
}
