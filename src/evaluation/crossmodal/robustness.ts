/**
 * Robustness curves: corrupt one modality's test inputs at growing severity (with the corruptions
 * the modality declares, ModalityInstance.corruptions), then measure how
 * well the corrupted input still (a) generates the other modalities coherently and (b) retrieves
 * items of its class from the other modalities' clean galleries (class-level Recall@10).
 */
import type { FeatureColumn, FeatureTable, RawSplit, RawValue } from '../../data/contract.js';
import { PluginError } from '../../errors/errors.js';
import type { JointModel } from '../../model/joint-model.js';
import type { ModalitySetup } from '../../model/modality-instances.js';
import type { Corruption } from '../../modality/corruption.js';
import { SeededRandom, deriveSeed } from '../../random/seeded-random.js';
import { rowsWith, selectRows } from '../../crossmodal/split-table.js';
import { coherence } from '../metrics/coherence.js';
import { encodeTable } from '../measures/encode-table.js';
import { curvesPlot } from '../plots/plots.js';
import { judgeGenerated } from './coherence-table.js';
import type { ModalityJudge } from './modality-judges.js';
import { pairRetrieval } from './retrieval-table.js';

export interface RobustnessCurve {
  readonly modality: string;
  /** The corruption's name, as its modality declares it (ModalityInstance.corruptions). */
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

/**
 * The copy of `rows`' column `setup.name` with every sample corrupted at `level`, or undefined
 * when a raw corruption has no raw values to work on (features do not hold the raw).
 */
async function corruptedColumn(
  context: RobustnessContext,
  rows: FeatureTable,
  setup: ModalitySetup,
  corruption: Corruption,
  level: number,
  raws: Map<string, RawValue> | undefined,
): Promise<FeatureColumn | undefined> {
  const modality = setup.name;
  const column = rows.columns[modality]!;
  const rng = new SeededRandom(
    deriveSeed(context.seed, 'robustness', modality, corruption.name, String(level)),
  );
  const width = column.shape.reduce((a, b) => a * b, 1);
  const data =
    column.dtype === 'int32'
      ? new Int32Array(column.data.length)
      : new Float32Array(column.data.length);
  for (let i = 0; i < rows.size; i++) {
    const id = rows.ids[i]!;
    let corrupted: ArrayLike<number>;
    if (corruption.on === 'features') {
      corrupted = corruption.corrupt(column.data.slice(i * width, (i + 1) * width), level, rng);
    } else {
      const raw = raws?.get(id);
      if (!raw) return undefined;
      corrupted = await setup.instance.prepare(await corruption.corrupt(raw, level, rng, id), id);
    }
    if (corrupted.length !== width) {
      throw new PluginError(
        `Modality "${modality}" (plugin "${setup.pluginId}"): its corruption ` +
          `"${corruption.name}" at level ${level} gave ${corrupted.length} feature values for ` +
          `sample ${id}, not the ${width} of its featureSpec; return one sample's features.`,
      );
    }
    data.set(corrupted, i * width);
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
    for (const corruption of setup.instance.corruptions ?? []) {
      const curve: RobustnessCurve = {
        modality,
        noise: corruption.name,
        levels: [],
        coherence: [],
        recallAt10: [],
      };
      for (const level of corruption.levels) {
        const column = await corruptedColumn(
          context,
          picked,
          setup,
          corruption,
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
      if (curve.levels.length === corruption.levels.length) curves.push(curve);
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

/** One PNG per curve: coherence and Recall@10 against the corruption's level. */
export async function robustnessPlots(
  curves: readonly RobustnessCurve[],
  setups: readonly ModalitySetup[],
): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const curve of curves) {
    const corruption = setups
      .find((s) => s.name === curve.modality)
      ?.instance.corruptions?.find((c) => c.name === curve.noise);
    if (!corruption) continue;
    const x = curve.levels.map((level) => corruption.plotX?.(level) ?? level);
    out[`robustness-${curve.modality}-${curve.noise}.png`] = await curvesPlot({
      title: `${curve.modality} under ${curve.noise}`,
      xLabel: corruption.axis,
      yLabel: 'share',
      series: [
        { name: `coherence (${curve.modality} → others)`, x, y: curve.coherence },
        { name: 'class Recall@10', x, y: curve.recallAt10 },
      ],
    });
  }
  return out;
}
