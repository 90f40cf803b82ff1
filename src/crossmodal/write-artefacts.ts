/**
 * Artefacts → what a user gets: PNGs laid out in one grid file, WAVs as files in a directory
 * (or one file), captions as lines to print.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors/errors.js';
import { artefactSheet } from '../evaluation/plots/artefact-sheet.js';
import type { Artefact } from '../modality/contract.js';

export interface WrittenArtefacts {
  /** Files written. */
  readonly files: string[];
  /** Captions, one per text artefact, for printing. */
  readonly texts: string[];
}

/**
 * Writes `artefacts` (all of one kind) to `out`: PNG → one grid PNG (a single image as is);
 * WAV → `out` itself for one, else `out`/<name>.wav; text → `out` as lines when given.
 */
export async function writeArtefacts(
  artefacts: readonly Artefact[],
  names: readonly string[],
  out: string | undefined,
): Promise<WrittenArtefacts> {
  const kind = artefacts[0]?.kind;
  if (kind === 'text') {
    const texts = artefacts.map((a) => (a.kind === 'text' ? a.text : ''));
    if (out) await writeText(out, `${texts.join('\n')}\n`);
    return { files: out ? [out] : [], texts };
  }
  if (kind === undefined) return { files: [], texts: [] };
  if (!out)
    throw new UsageError(`--out: ${kind.toUpperCase()} results need an output path; add --out.`);
  if (kind === 'png') {
    const pngs = artefacts.map((a) => (a.kind === 'png' ? a.data : Buffer.alloc(0)));
    const png = pngs.length === 1 ? pngs[0]! : await artefactSheet(pngs, Math.min(pngs.length, 10));
    await writeText(out, png);
    return { files: [out], texts: [] };
  }
  const wavs = artefacts.map((a) => (a.kind === 'wav' ? a.data : Buffer.alloc(0)));
  if (wavs.length === 1) {
    await writeText(out, wavs[0]!);
    return { files: [out], texts: [] };
  }
  await mkdir(out, { recursive: true });
  const files = wavs.map((_, i) =>
    join(out, `${String(i + 1).padStart(2, '0')}-${safe(names[i] ?? String(i))}.wav`),
  );
  await Promise.all(files.map((file, i) => writeFile(file, wavs[i]!)));
  return { files, texts: [] };
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function writeText(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, data);
}
