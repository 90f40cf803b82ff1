/**
 * Robustness curves: corrupt one modality's test inputs at growing severity, then measure how
 * well the corrupted input still (a) generates the other modalities coherently and (b) retrieves
 * items of its class from the other modalities' clean galleries (class-level Recall@10).
 */
import type { FeatureColumn, FeatureTable, RawSplit, RawValue } from '../../data/contract.js';
import { decodeInputText } from '../../data/input-text.js';
import type { ImageShape } from '../../eval/noise.js';
import { coherence } from '../metrics/coherence.js';
import { curvesPlot } from '../plots/plots.js';
import { encodeTable } from '../measures/encode-table.js';
import type { JointModel } from '../../model/joint-model.js';
import type { ModalitySetup } from '../../model/setup-modalities.js';
import { SeededRandom, deriveSeed } from '../../random/seeded-random.js';
import { rowsWith, selectRows } from '../../crossmodal/split-table.js';
import { judgeGenerated } from './coherence-table.js';
import { decodedAudioOf } from './decode-wav.js';
import type { ModalityJudge } from './modality-judges.js';
import { NOISE_SPECS, type NoiseSpec } from './noise-levels.js';
import { pairRetrieval } from './retrieval-table.js';

export interface RobustnessCurve {
  readonly modality: string;
  readonly noise: string;
  readonly levels: number[];
  /** Mean over the other modalities of coherence of what the noisy input generates. */
  readonly coherence: number[];
  /** Mean over the other modalities of class-level Recall@10 of the noisy input as a query. */
  readonly recallAt10: number[];
}

export interface RobustnessContext {
  readonly model: JointModel;
  readonly setups: readonly ModalitySetup[];
  readonly judges: Readonly<Record<string, ModalityJudge>>;
  readonly test: FeatureTable;
  readonly rawTest?: RawSplit;
  readonly seed: number;
}

/** The noisy copy of `rows`' column `modality` at `level`, or undefined when it cannot be made. */
async function noisyColumn(
  context: RobustnessContext,
  rows: FeatureTable,
  modality: string,
  spec: NoiseSpec,
  level: number,
  raws: Map<string, RawValue> | undefined,
): Promise<FeatureColumn | undefined> {
  const column = rows.columns[modality]!;
  const rng = new SeededRandom(
    deriveSeed(context.seed, 'robustness', modality, spec.name, String(level)),
  );
  const kind = spec.kind;
  if (kind.target === 'features') {
    if (column.shape.length !== 3 || column.dtype !== 'float32') return undefined;
    const shape = column.shape as unknown as ImageShape;
    return { ...column, data: kind.apply(column.data as Float32Array, shape, level, rng) };
  }
  if (!raws) return undefined;
  const instance = context.setups.find((s) => s.name === modality)!.instance;
  const width = column.shape.reduce((a, b) => a * b, 1);
  const data =
    column.dtype === 'int32'
      ? new Int32Array(column.data.length)
      : new Float32Array(column.data.length);
  for (let i = 0; i < rows.size; i++) {
    const id = rows.ids[i]!;
    const raw = raws.get(id);
    if (!raw) return undefined;
    let noisy: RawValue;
    if (kind.target === 'text') {
      if (raw.kind !== 'text') return undefined;
      const text =
        typeof raw.text === 'string' ? raw.text : decodeInputText(raw.text, `Caption ${id}`);
      noisy = { kind: 'text', text: kind.apply(text, level, rng) };
    } else {
      noisy = kind.apply(await decodedAudioOf(raw, id), level, rng);
    }
    data.set(await instance.prepare(noisy, id), i * width);
  }
  return { ...column, data };
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

export async function robustnessCurves(
  context: RobustnessContext,
  maxRows: number,
): Promise<RobustnessCurve[]> {
  const { model, judges, test } = context;
  const raws = context.rawTest ? rawValuesById(context.rawTest) : undefined;
  const curves: RobustnessCurve[] = [];
  for (const setup of context.setups) {
    const modality = setup.name;
    const others = model.names.filter((n) => n !== modality);
    const all = rowsWith(test, [modality]);
    const labelledRows = Array.from(all.labels.keys())
      .filter((i) => all.labels[i]! >= 0)
      .slice(0, maxRows);
    if (others.length === 0 || labelledRows.length === 0) continue;
    const picked = selectRows(all, labelledRows);
    const galleries = others.map((o) => {
      const g = rowsWith(test, [o]);
      return { name: o, codes: encodeTable(model, g, [o]), labels: g.labels };
    });
    for (const spec of NOISE_SPECS.filter((s) => s.pluginId === setup.pluginId)) {
      const curve: RobustnessCurve = {
        modality,
        noise: spec.name,
        levels: [],
        coherence: [],
        recallAt10: [],
      };
      for (const level of spec.levels) {
        const column = await noisyColumn(
          context,
          picked,
          modality,
          spec,
          level,
          raws?.get(modality),
        );
        if (!column) break;
        const noisy: FeatureTable = {
          ...picked,
          columns: { ...picked.columns, [modality]: column },
        };
        const codes = encodeTable(model, noisy, [modality]);
        curve.levels.push(level);
        curve.coherence.push(
          mean(
            others.map((o) => coherence(judgeGenerated(model, judges[o]!, codes, o), noisy.labels)),
          ),
        );
        curve.recallAt10.push(
          mean(
            galleries.map(
              (g) =>
                pairRetrieval(model, codes, g.codes, noisy.labels, g.labels, false).classLevel
                  ?.recallAt10 ?? NaN,
            ),
          ),
        );
      }
      if (curve.levels.length === spec.levels.length) curves.push(curve);
    }
  }
  return curves;
}

/** raw values by modality and sample id. */
function rawValuesById(split: RawSplit): Map<string, Map<string, RawValue>> {
  const out = new Map<string, Map<string, RawValue>>();
  for (let i = 0; i < split.size; i++) {
    const sample = split.sample(i);
    for (const [name, value] of Object.entries(sample.values)) {
      if (!value) continue;
      let byId = out.get(name);
      if (!byId) out.set(name, (byId = new Map()));
      byId.set(sample.id, value);
    }
  }
  return out;
}

/** One PNG per noise: coherence and Recall@10 against the noise level. */
export async function robustnessPlots(
  curves: readonly RobustnessCurve[],
): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const curve of curves) {
    const spec = NOISE_SPECS.find((s) => s.name === curve.noise)!;
    const x = curve.levels.map(spec.x);
    out[`robustness-${curve.modality}-${curve.noise}.png`] = await curvesPlot({
      title: `${curve.modality} under ${curve.noise}`,
      xLabel: spec.axis,
      yLabel: 'share',
      series: [
        { name: `coherence (${curve.modality} → others)`, x, y: curve.coherence },
        { name: 'class Recall@10', x, y: curve.recallAt10 },
      ],
    });
  }
  return out;
}
