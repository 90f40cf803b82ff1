/** `mmae plugins` lists every contribution point: modalities, fusions, datasets and variants. */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pluginsCommand } from '../../src/cli/plugins-command.js';
import { REPO_ROOT } from '../reliability/cli.js';

afterEach(() => {
  vi.restoreAllMocks();
});

async function listed(args: readonly string[] = []): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  expect(await pluginsCommand.run(args)).toBe(0);
  return out;
}

/** The lines of one section, from its title to the next one. */
function section(out: string, title: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  expect(start, `no section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l.length > 0);
}

describe('mmae plugins', () => {
  it('lists the built-in variants with their descriptions, fusion use and options', async () => {
    const variants = section(await listed(), 'variants (model.variant):');
    const ids = variants.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(':')[0]);
    expect(ids).toEqual([
      'jmvae',
      'moe',
      'mopoe',
      'poe',
      'sparse',
      'stacked',
      'standard',
      'variational',
    ]);
    expect(variants).toContain(
      '  poe: MVAE: the product of the unimodal Gaussian experts; sub-sampled ELBO ' +
        '[no fusion: combines its experts itself]',
    );
    expect(variants).toContain(
      '  standard: Joint autoencoder: the fused code z, every modality reconstructed from it ' +
        '[uses a fusion]',
    );
    const jmvae = variants.indexOf(variants.find((l) => l.startsWith('  jmvae:'))!);
    expect(variants.slice(jmvae + 1, jmvae + 4).map((l) => l.trim())).toEqual([
      'beta (number, default 1)',
      'klAnnealEpochs (integer, default 0)',
      'jmvaeAlpha (number, default 1)',
    ]);
  });

  it('lists a variant from a --plugin module beside the built-ins, and no fusion note elsewhere', async () => {
    const plugin = join(REPO_ROOT, 'examples/denoising-variant/index.js');
    const out = await listed(['--plugin', plugin]);
    const variants = section(out, 'variants (model.variant):');
    expect(
      variants.some((l) =>
        /^ {2}denoising: Denoising joint autoencoder.*\[uses a fusion\]$/.test(l),
      ),
    ).toBe(true);
    expect(variants.filter((l) => /^ {2}\S/.test(l))).toHaveLength(9);
    for (const title of ['modalities:', 'fusions:', 'datasets:']) {
      expect(section(out, title).join('\n')).not.toMatch(/fusion\]/);
    }
  });
});
