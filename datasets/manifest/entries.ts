/**
 * Manifest rows → checked entries. Every problem of every row is collected (types, paths,
 * missing files, labels, duplicate ids) so a user fixes a manifest in one pass, before training.
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import type { RawValue } from 'mmae';
import { RESERVED_FIELDS } from './options.js';
import type { ManifestProblem, ManifestRow } from './read-rows.js';

export type SplitName = 'train' | 'validation' | 'test';

export interface ManifestEntry {
  readonly line: number;
  readonly id: string;
  readonly label?: number;
  readonly split?: SplitName;
  readonly group?: string;
  readonly values: Readonly<Record<string, RawValue>>;
}

export interface EntryRules {
  readonly file: string;
  /** Folder that relative paths resolve against: the manifest's folder. */
  readonly root: string;
  readonly modalities: Readonly<Record<string, 'file' | 'text'>>;
  readonly classes?: readonly string[];
  readonly allowOutsideRoot: boolean;
  readonly unknownFields: 'error' | 'ignore';
}

export interface ManifestEntries {
  readonly entries: ManifestEntry[];
  readonly classes?: readonly string[];
  readonly problems: ManifestProblem[];
}

const SPLIT_NAMES: Readonly<Record<string, SplitName>> = {
  train: 'train',
  validation: 'validation',
  val: 'validation',
  test: 'test',
};

interface PendingEntry {
  line: number;
  id: string;
  rawLabel?: string | number;
  label?: number;
  split?: SplitName;
  group?: string;
  values: Record<string, RawValue>;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A file field → an absolute path, or why it is refused. */
function resolveMediaPath(
  value: string,
  rules: EntryRules,
): { path: string } | { problem: string } {
  if (isAbsolute(value) && !rules.allowOutsideRoot) {
    return {
      problem: `absolute path '${value}' is refused; give it relative to the manifest's folder or set allowOutsideRoot`,
    };
  }
  const path = resolve(rules.root, value);
  const inside = relative(rules.root, path);
  if ((inside.startsWith('..') || isAbsolute(inside)) && !rules.allowOutsideRoot) {
    return {
      problem: `path '${value}' leads out of the manifest's folder ${rules.root}; move the file inside or set allowOutsideRoot`,
    };
  }
  return { path };
}

function readModality(
  name: string,
  kind: 'file' | 'text',
  value: unknown,
  rules: EntryRules,
): RawValue | string {
  if (typeof value !== 'string') {
    return `field '${name}' must be a ${kind === 'file' ? 'path' : 'string'}, got ${show(value)}`;
  }
  if (kind === 'text') return { kind: 'text', text: value };
  const resolved = resolveMediaPath(value, rules);
  return 'problem' in resolved ? resolved.problem : { kind: 'file', path: resolved.path };
}

/** One row → a pending entry; its problems are appended to `problems`. */
function readRow(row: ManifestRow, rules: EntryRules, problems: ManifestProblem[]): PendingEntry {
  const report = (message: string) => problems.push({ line: row.line, message });
  const { id, label, split, group, ...rest } = row.fields;
  const entry: PendingEntry = {
    line: row.line,
    id: `${basename(rules.file)}:${row.line}`,
    values: {},
  };
  if (id !== undefined) {
    if (typeof id === 'string' || typeof id === 'number') entry.id = String(id);
    else report(`field 'id' must be a string or number, got ${show(id)}`);
  }
  if (label !== undefined) {
    if (typeof label === 'string' || typeof label === 'number') entry.rawLabel = label;
    else report(`field 'label' must be a class index or name, got ${show(label)}`);
  }
  if (split !== undefined) {
    const name = typeof split === 'string' ? SPLIT_NAMES[split.toLowerCase()] : undefined;
    if (name !== undefined) entry.split = name;
    else report(`field 'split' is ${show(split)}; use train, validation (or val) or test`);
  }
  if (group !== undefined) {
    if (typeof group === 'string' || typeof group === 'number') entry.group = String(group);
    else report(`field 'group' must be a string or number, got ${show(group)}`);
  }
  for (const [name, value] of Object.entries(rest)) {
    const kind = rules.modalities[name];
    if (kind === undefined) {
      if (rules.unknownFields === 'error') {
        const known = [...RESERVED_FIELDS, ...Object.keys(rules.modalities)].join(', ');
        report(
          `unknown field '${name}' (known: ${known}); fix its name, declare it in the option modalities, or set unknownFields: 'ignore'`,
        );
      }
      continue;
    }
    const read = readModality(name, kind, value, rules);
    if (typeof read === 'string') report(read);
    else entry.values[name] = read;
  }
  if (Object.keys(rest).every((name) => rules.modalities[name] === undefined)) {
    report(`has no modality; give at least one of ${Object.keys(rules.modalities).join(', ')}`);
  }
  return entry;
}

/** A label as a number when it is written as one ("3", 3, "2.5"), else undefined (a name). */
function asNumber(raw: string | number): number | undefined {
  if (typeof raw === 'number') return raw;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : undefined;
}

function labelProblem(raw: string | number, classes: readonly string[] | undefined): string {
  if (asNumber(raw) === undefined) {
    return `label ${show(raw)} is not one of the classes ${classes?.join(', ')}`;
  }
  const range = classes === undefined ? ' (a whole number ≥ 0)' : ` in 0..${classes.length - 1}`;
  return `label ${show(raw)} is not a class index${range}`;
}

/**
 * Resolves labels to indices: names through `classes` (given, or the sorted names found when
 * labels are names), numbers checked against the class count.
 */
function resolveLabels(
  entries: PendingEntry[],
  given: readonly string[] | undefined,
  problems: ManifestProblem[],
): readonly string[] | undefined {
  const labelled = entries.filter((e) => e.rawLabel !== undefined);
  const named = labelled.filter((e) => asNumber(e.rawLabel as string | number) === undefined);
  const derived = given === undefined && named.length > 0;
  const classes = derived ? [...new Set(named.map((e) => String(e.rawLabel)))].sort() : given;
  for (const entry of labelled) {
    const raw = entry.rawLabel as string | number;
    const byName = given?.indexOf(String(raw)) ?? -1;
    const index = byName >= 0 ? byName : (classes?.indexOf(String(raw)) ?? -1);
    const number = asNumber(raw);
    if (index >= 0) {
      entry.label = index;
    } else if (derived && number !== undefined) {
      const first = named[0] as PendingEntry;
      problems.push({
        line: entry.line,
        message: `label ${show(raw)} is an index but line ${first.line} uses the class name ${show(first.rawLabel)}; use names throughout or set the option classes`,
      });
    } else if (
      number !== undefined &&
      Number.isInteger(number) &&
      number >= 0 &&
      (classes === undefined || number < classes.length)
    ) {
      entry.label = number;
    } else {
      problems.push({ line: entry.line, message: labelProblem(raw, classes) });
    }
  }
  return classes;
}

function checkDuplicateIds(entries: PendingEntry[], problems: ManifestProblem[]): void {
  const firstLine = new Map<string, number>();
  for (const entry of entries) {
    const first = firstLine.get(entry.id);
    if (first === undefined) firstLine.set(entry.id, entry.line);
    else {
      problems.push({
        line: entry.line,
        message: `id '${entry.id}' is already used on line ${first}; ids must be unique`,
      });
    }
  }
}

/** Why the file a row names cannot be used, or undefined when it is a regular file inside. */
async function fileProblem(
  name: string,
  path: string,
  rules: EntryRules,
  realRoot: string,
): Promise<string | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return `field '${name}': file not found: ${path}`;
  const inside = relative(realRoot, real);
  if ((inside.startsWith('..') || isAbsolute(inside)) && !rules.allowOutsideRoot) {
    // The lexical check passed, so a symlink on the way leads out.
    return (
      `field '${name}': ${path} is a link to ${real}, outside the manifest's folder ` +
      `${realRoot}; copy the file inside or set allowOutsideRoot`
    );
  }
  const info = await stat(real).catch(() => undefined);
  if (info === undefined) return `field '${name}': file not found: ${path}`;
  if (!info.isFile()) {
    const type = info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a FIFO' : 'a device';
    return `field '${name}': ${path} is ${type}, not a regular file; give the path of a file`;
  }
  return undefined;
}

async function checkFiles(entries: PendingEntry[], rules: EntryRules, problems: ManifestProblem[]) {
  const checks = entries.flatMap((entry) =>
    Object.entries(entry.values).flatMap(([name, value]) =>
      value.kind === 'file' ? [{ entry, name, path: value.path }] : [],
    ),
  );
  const realRoot = await realpath(rules.root).catch(() => rules.root);
  let next = 0;
  const lane = async () => {
    while (next < checks.length) {
      const { entry, name, path } = checks[next++] as (typeof checks)[number];
      const message = await fileProblem(name, path, rules, realRoot);
      if (message !== undefined) problems.push({ line: entry.line, message });
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
}

/** Checks all rows; problems are sorted by line. */
export async function buildEntries(
  rows: readonly ManifestRow[],
  rules: EntryRules,
): Promise<ManifestEntries> {
  const problems: ManifestProblem[] = [];
  const pending = rows.map((row) => readRow(row, rules, problems));
  const classes = resolveLabels(pending, rules.classes, problems);
  checkDuplicateIds(pending, problems);
  await checkFiles(pending, rules, problems);
  problems.sort((a, b) => a.line - b.line);
  const entries = pending.map(({ rawLabel: _raw, ...entry }) => entry);
  return { entries, classes, problems };
}
