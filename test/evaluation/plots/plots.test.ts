import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../../src/evaluation/plots/plot-frame.js';
import {
  curvesPlot,
  linePlot,
  linePlotSvg,
  scatterPlot,
  scatterPlotSvg,
} from '../../../src/evaluation/plots/plots.js';

async function pngSize(png: Buffer): Promise<{ format?: string; width?: number; height?: number }> {
  const { format, width, height } = await sharp(png).metadata();
  return { format, width, height };
}

describe('linePlot', () => {
  const series = [
    { name: 'total', y: [5, 3, 2.2, 1.9, 1.7] },
    { name: 'reconstruction <image>', y: [4, 2.5, 1.8, 1.6, 1.5] },
  ];

  it('renders a PNG of the requested size', async () => {
    const png = await linePlot({
      series,
      title: 'Loss',
      xLabel: 'epoch',
      yLabel: 'loss',
      width: 500,
      height: 300,
    });
    expect(await pngSize(png)).toEqual({ format: 'png', width: 500, height: 300 });
  });

  it('draws one line per series, a legend with escaped names, axis labels and ticks', () => {
    const svg = linePlotSvg({ series, title: 'Loss & KL', xLabel: 'epoch', yLabel: 'loss' });
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('>total</text>');
    expect(svg).toContain('reconstruction &lt;image&gt;');
    expect(svg).toContain('Loss &amp; KL');
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('>loss</text>');
  });

  it('breaks a line at non-finite values instead of failing', () => {
    const svg = linePlotSvg({ series: [{ name: 'nll', y: [3, 2, NaN, 1.5, 1.2] }] });
    expect(svg.match(/<polyline /g)).toHaveLength(2);
  });

  it('labels a log axis with the original values', () => {
    const svg = linePlotSvg({ series: [{ name: 'loss', y: [1000, 100, 10, 1] }], logY: true });
    expect(svg).toContain('>1000</text>');
    expect(svg).toContain('>10</text>');
  });

  it('rejects an empty series list and mismatched x and y', () => {
    expect(() => linePlotSvg({ series: [] })).toThrow(/series is empty/);
    expect(() => linePlotSvg({ series: [{ name: 'a', x: [1], y: [1, 2] }] })).toThrow(
      /"a" has 1 x values/,
    );
  });
});

describe('curvesPlot', () => {
  it('renders metric-vs-noise curves with markers at the measured levels', async () => {
    const png = await curvesPlot({
      title: 'Robustness',
      yLabel: 'accuracy',
      series: [
        { name: 'image', x: [0, 0.1, 0.2, 0.4], y: [0.95, 0.9, 0.8, 0.55] },
        { name: 'text', x: [0, 0.1, 0.2, 0.4], y: [0.9, 0.88, 0.85, 0.7] },
      ],
      width: 400,
      height: 320,
    });
    expect(await pngSize(png)).toEqual({ format: 'png', width: 400, height: 320 });
  });
});

describe('scatterPlot', () => {
  it('colours points by class with one legend entry per class, as a PNG of the requested size', async () => {
    const x = [0, 1, 2, 3, 4, 5];
    const y = [1, 0, 1, 0, 1, 0];
    const labels = [0, 0, 1, 1, 2, 2];
    const svg = scatterPlotSvg({ x, y, labels, classNames: ['zero', 'one', 'two'] });
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg).toContain('>two</text>');
    const png = await scatterPlot({ x, y, labels, width: 300, height: 240 });
    expect(await pngSize(png)).toEqual({ format: 'png', width: 300, height: 240 });
  });

  it('rejects labels of the wrong length', () => {
    expect(() => scatterPlotSvg({ x: [1, 2], y: [1, 2], labels: [0] })).toThrow(/labels has 1/);
  });
});

describe('niceTicks', () => {
  it('chooses round steps covering the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.13, 0.87, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
  });
});
