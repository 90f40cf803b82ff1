/**
 * Line, curve and scatter plots as SVG strings and PNG buffers. Loss curves go through
 * `linePlot`, robustness curves (metric vs noise level) through `curvesPlot`, 2-D latent maps
 * through `scatterPlot`. Non-finite values (a diverged loss) are skipped, breaking the line.
 */
import { UsageError } from '../../errors/errors.js';
import {
  buildFrame,
  checkSize,
  colourFor,
  paddedRange,
  svgDocument,
  svgToPng,
} from './plot-frame.js';

export interface PlotSeries {
  readonly name: string;
  readonly y: ArrayLike<number>;
  /** x values, same length as `y`; default 1, 2, 3… (epochs). */
  readonly x?: ArrayLike<number>;
}

export interface LinePlotSpec {
  readonly series: readonly PlotSeries[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Default 640 × 400 pixels. */
  readonly width?: number;
  readonly height?: number;
  /** Log-scale y axis (losses spanning decades); values ≤ 0 are skipped. */
  readonly logY?: boolean;
  /** Draw a dot at every point; default false for line plots, true for curves. */
  readonly markers?: boolean;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

function seriesPoints(series: PlotSeries, logY: boolean): Point[][] {
  const { x, y } = series;
  if (x && x.length !== y.length) {
    throw new UsageError(
      `linePlot: series "${series.name}" has ${x.length} x values but ${y.length} y values; ` +
        'pass one x per y or omit x.',
    );
  }
  // Runs of consecutive plottable points; a gap (NaN, or ≤ 0 on a log axis) starts a new run.
  const runs: Point[][] = [[]];
  for (let i = 0; i < y.length; i++) {
    const px = x ? (x[i] as number) : i + 1;
    const raw = y[i] as number;
    const py = logY ? (raw > 0 ? Math.log10(raw) : NaN) : raw;
    if (Number.isFinite(px) && Number.isFinite(py))
      (runs[runs.length - 1] as Point[]).push({ x: px, y: py });
    else if ((runs[runs.length - 1] as Point[]).length > 0) runs.push([]);
  }
  return runs.filter((r) => r.length > 0);
}

/** SVG of one or more named series over a shared x axis, with a legend. */
export function linePlotSvg(spec: LinePlotSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 400;
  checkSize('linePlot', width, height);
  if (spec.series.length === 0)
    throw new UsageError('linePlot: series is empty; pass at least one series.');
  const logY = spec.logY ?? false;
  const runsBySeries = spec.series.map((s) => seriesPoints(s, logY));
  const all = runsBySeries.flat(2);
  const frame = buildFrame({
    width,
    height,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    xRange: paddedRange(
      all.map((p) => p.x),
      0.02,
    ),
    yRange: paddedRange(all.map((p) => p.y)),
    legend: spec.series.map((s, i) => ({ name: s.name, colour: colourFor(i) })),
    logY,
  });
  const { left, top, width: w, height: h } = frame.area;
  const body: string[] = [
    `<clipPath id="plot-area"><rect x="${left}" y="${top}" width="${w}" height="${h}"/></clipPath>`,
    frame.svg,
    '<g clip-path="url(#plot-area)">',
  ];
  runsBySeries.forEach((runs, i) => {
    const colour = colourFor(i);
    for (const run of runs) {
      const coords = run.map((p) => `${frame.x(p.x).toFixed(1)},${frame.y(p.y).toFixed(1)}`);
      body.push(
        `<polyline points="${coords.join(' ')}" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round"/>`,
      );
      if (spec.markers || run.length === 1) {
        for (const p of run) {
          body.push(
            `<circle cx="${frame.x(p.x).toFixed(1)}" cy="${frame.y(p.y).toFixed(1)}" r="3.5" fill="${colour}"/>`,
          );
        }
      }
    }
  });
  body.push('</g>');
  return svgDocument(width, height, body.join('\n'));
}

/** PNG of `linePlotSvg`, e.g. loss curves (one series per loss term) over epochs. */
export async function linePlot(spec: LinePlotSpec): Promise<Buffer> {
  return svgToPng(linePlotSvg(spec));
}

/**
 * Robustness curves: one series per model or modality, metric against corruption level. Markers
 * are on, since levels are few and the measured points matter more than the lines between them.
 */
export async function curvesPlot(
  spec: LinePlotSpec & {
    readonly series: readonly (PlotSeries & { readonly x: ArrayLike<number> })[];
  },
): Promise<Buffer> {
  return svgToPng(linePlotSvg({ xLabel: 'noise level', yLabel: 'metric', markers: true, ...spec }));
}

export interface ScatterPlotSpec {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Class per point, colouring it; omitted means one colour and no legend. */
  readonly labels?: ArrayLike<number>;
  /** Legend text per class index; default the index itself. */
  readonly classNames?: readonly string[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly width?: number;
  readonly height?: number;
  readonly pointRadius?: number;
}

export function scatterPlotSvg(spec: ScatterPlotSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 520;
  checkSize('scatterPlot', width, height);
  const { x, y, labels } = spec;
  if (x.length !== y.length || (labels && labels.length !== x.length)) {
    throw new UsageError(
      `scatterPlot: x has ${x.length}, y has ${y.length}` +
        (labels ? ` and labels has ${labels.length}` : '') +
        ' entries; pass one of each per point.',
    );
  }
  const classes = labels ? [...new Set(Array.from(labels))].sort((a, b) => a - b) : [];
  const frame = buildFrame({
    width,
    height,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    xRange: paddedRange(Array.from(x)),
    yRange: paddedRange(Array.from(y)),
    legend: classes.map((c) => ({ name: spec.classNames?.[c] ?? String(c), colour: colourFor(c) })),
  });
  const r = spec.pointRadius ?? (x.length > 2000 ? 1.5 : 2.5);
  const body: string[] = [frame.svg];
  for (let i = 0; i < x.length; i++) {
    const px = x[i] as number;
    const py = y[i] as number;
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    const colour = labels ? colourFor(labels[i] as number) : colourFor(0);
    body.push(
      `<circle cx="${frame.x(px).toFixed(1)}" cy="${frame.y(py).toFixed(1)}" r="${r}" fill="${colour}" fill-opacity="0.75"/>`,
    );
  }
  return svgDocument(width, height, body.join('\n'));
}

/** PNG scatter plot coloured by class, with a legend. */
export async function scatterPlot(spec: ScatterPlotSpec): Promise<Buffer> {
  return svgToPng(scatterPlotSvg(spec));
}
