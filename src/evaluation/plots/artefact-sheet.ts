import sharp from 'sharp';

/**
 * Lays PNG artefacts (rendered by modality plugins) out in a grid, row by row, on a gray sheet.
 * Works for any modality whose render returns PNG, so evaluation never needs plugin internals.
 */
export async function artefactSheet(
  pngs: readonly Uint8Array[],
  cols: number,
  scale = 2,
): Promise<Buffer> {
  if (pngs.length === 0) throw new RangeError('artefactSheet: no images');
  const first = await sharp(pngs[0]).metadata();
  const w = (first.width ?? 1) * scale;
  const h = (first.height ?? 1) * scale;
  const pad = 2;
  const rows = Math.ceil(pngs.length / cols);
  const tiles = await Promise.all(
    pngs.map((png) => sharp(png).resize(w, h, { kernel: 'nearest' }).png().toBuffer()),
  );
  return sharp({
    create: {
      width: cols * (w + pad) + pad,
      height: rows * (h + pad) + pad,
      channels: 3,
      background: { r: 128, g: 128, b: 128 },
    },
  })
    .composite(
      tiles.map((input, i) => ({
        input,
        left: pad + (i % cols) * (w + pad),
        top: pad + Math.floor(i / cols) * (h + pad),
      })),
    )
    .png()
    .toBuffer();
}
