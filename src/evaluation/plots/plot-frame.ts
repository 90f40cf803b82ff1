/**
 * The parts every plot shares: scales, "nice" tick values, axes with labels, a legend, and SVG →
 * PNG rasterisation through sharp (librsvg). Plots are plain SVG strings so tests can read them
 * and the PNG is only the last step.
 */
import sharp from 'sharp';
import { UsageError } from '../../errors/errors.js';

/** DejaVu is what librsvg finds on a bare Linux box; the generic family is the fallback. */
export const FONT_FAMILY = 'DejaVu Sans, Arial, sans-serif';

/** Tableau-10: distinguishable, and colour-blind tolerable for the first few entries. */
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

export function colourFor(index: number): string {
  const n = PALETTE.length;
  return PALETTE[((Math.trunc(index) % n) + n) % n] as string;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Round tick values covering [min, max] with about `count` steps of 1, 2 or 5 × 10^k. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  }
  return ticks;
}

export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

/** Data range with a little padding, so points do not sit on the axes; widens a zero span. */
export function paddedRange(values: Iterable<number>, padding = 0.05): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return [0, 1];
  if (min === max) return [min - 0.5, max + 0.5];
  const pad = (max - min) * padding;
  return [min - pad, max + pad];
}

export interface FrameSpec {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly xRange: [number, number];
  readonly yRange: [number, number];
  /** Legend entries drawn in a column right of the plot area. */
  readonly legend?: readonly { name: string; colour: string }[];
  /** Tick labels on the y axis show 10^tick (the y values passed in are already log10). */
  readonly logY?: boolean;
}

export interface Frame {
  /** Axes, ticks, labels, title and legend as SVG elements. */
  readonly svg: string;
  /** Maps a data value to a pixel coordinate. */
  readonly x: (value: number) => number;
  readonly y: (value: number) => number;
  /** Plot area, for a clip path. */
  readonly area: { left: number; top: number; width: number; height: number };
}

const FONT_SIZE = 12;

export function checkSize(fn: string, width: number, height: number): void {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 120 || v > 8000) {
      throw new UsageError(
        `${fn}: ${name} is ${v}; it must be an integer pixel size in [120, 8000].`,
      );
    }
  }
}

export function buildFrame(spec: FrameSpec): Frame {
  const legendWidth = spec.legend?.length
    ? 34 + Math.max(...spec.legend.map((e) => e.name.length)) * FONT_SIZE * 0.62
    : 0;
  const left = 64;
  const top = spec.title ? 36 : 16;
  const right = 16 + legendWidth;
  const bottom = spec.xLabel ? 52 : 34;
  const area = {
    left,
    top,
    width: Math.max(spec.width - left - right, 10),
    height: Math.max(spec.height - top - bottom, 10),
  };
  const [x0, x1] = spec.xRange;
  const [y0, y1] = spec.yRange;
  const x = (v: number): number => area.left + ((v - x0) / (x1 - x0 || 1)) * area.width;
  const y = (v: number): number =>
    area.top + area.height - ((v - y0) / (y1 - y0 || 1)) * area.height;

  const parts: string[] = [];
  const text = (tx: number, ty: number, s: string, anchor: string, extra = ''): string =>
    `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" text-anchor="${anchor}" ${extra}>${escapeXml(s)}</text>`;

  parts.push(
    `<rect x="${area.left}" y="${area.top}" width="${area.width}" height="${area.height}" fill="none" stroke="#333" stroke-width="1"/>`,
  );
  for (const t of niceTicks(x0, x1, Math.max(2, Math.floor(area.width / 80)))) {
    const px = x(t);
    parts.push(
      `<line x1="${px.toFixed(1)}" y1="${area.top + area.height}" x2="${px.toFixed(1)}" y2="${area.top + area.height + 5}" stroke="#333"/>`,
      `<line x1="${px.toFixed(1)}" y1="${area.top}" x2="${px.toFixed(1)}" y2="${area.top + area.height}" stroke="#eee"/>`,
      text(px, area.top + area.height + 18, formatTick(t), 'middle'),
    );
  }
  for (const t of niceTicks(y0, y1, Math.max(2, Math.floor(area.height / 60)))) {
    const py = y(t);
    parts.push(
      `<line x1="${area.left - 5}" y1="${py.toFixed(1)}" x2="${area.left}" y2="${py.toFixed(1)}" stroke="#333"/>`,
      `<line x1="${area.left}" y1="${py.toFixed(1)}" x2="${area.left + area.width}" y2="${py.toFixed(1)}" stroke="#eee"/>`,
      text(area.left - 8, py + 4, spec.logY ? formatTick(10 ** t) : formatTick(t), 'end'),
    );
  }
  if (spec.title) parts.push(text(spec.width / 2, 22, spec.title, 'middle', 'font-size="15"'));
  if (spec.xLabel)
    parts.push(text(area.left + area.width / 2, spec.height - 12, spec.xLabel, 'middle'));
  if (spec.yLabel) {
    const cy = area.top + area.height / 2;
    parts.push(text(16, cy, spec.yLabel, 'middle', `transform="rotate(-90 16 ${cy.toFixed(1)})"`));
  }
  spec.legend?.forEach((entry, i) => {
    const lx = area.left + area.width + 14;
    const ly = area.top + 8 + i * (FONT_SIZE + 8);
    parts.push(
      `<rect x="${lx.toFixed(1)}" y="${(ly - 5).toFixed(1)}" width="14" height="10" fill="${entry.colour}"/>`,
      text(lx + 20, ly + 4, entry.name, 'start'),
    );
  });
  return { svg: parts.join('\n'), x, y, area };
}

/** Wraps plot elements into a complete SVG document with a white background. */
export function svgDocument(width: number, height: number, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<g font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}" fill="#222">`,
    body,
    '</g>',
    '</svg>',
  ].join('\n');
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}
