/**
 * The training page (train.html): trains a shipped config (web/page-configs.ts) on its samples
 * (train-data/<id>.bin, written by the build) in this tab, with the portable trainer
 * (trainInMemory), a live loss curve, reconstructions after every epoch, Pause / Resume between
 * steps, and "Save run": the run directory's files as a zip, which `mmae eval`, `loadRun` and
 * the inference page open unchanged once unzipped. Like the inference page it loads the library
 * bundle (mmae-web.js) from beside itself at run time.
 */
import type {
  BrowserBackendRequest,
  EpochMetrics,
  StepProgress,
  TrainedInMemory,
} from './entry.js';

type MmaeWeb = typeof import('./entry.js');
type Loaded = TrainedInMemory['loaded'];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const library: Promise<MmaeWeb> = import(new URL('./mmae-web.js', import.meta.url).href);

/** How many validation pairs the reconstructions show. */
const SHOWN = 6;
/** Longest the tab's event loop waits while a step runs before the page redraws. */
const YIELD_EVERY_MS = 40;
const MAX_EPOCHS = 50;

/** What the page has done, for the status line and for the browser tests (window.trainPage). */
interface PageState {
  phase: 'idle' | 'loading' | 'training' | 'paused' | 'done' | 'failed';
  backend?: string;
  config?: string;
  /** Every loss the trainer reported: the epoch's running mean at that step. */
  losses: { epoch: number; done: number; steps: number; loss: number }[];
  epochs: EpochMetrics[];
  /** tf.memory().numTensors after each epoch's reconstructions were drawn and freed. */
  tensorsAfterEpoch: number[];
  /** Steps completed (all epochs), advanced after each step. */
  steps: number;
  /** Steps completed when each pause took hold, and when it was lifted. */
  pauses: { at: number; resumedAt?: number }[];
  /** After training: codes the trained model gives, for comparison with Node. */
  report?: { caption: string; captionCode: number[]; imageIndex: number; imageCode: number[] };
  savedBytes?: number;
  error?: string;
}

const state: PageState = {
  phase: 'idle',
  losses: [],
  epochs: [],
  tensorsAfterEpoch: [],
  steps: 0,
  pauses: [],
};
Object.assign(globalThis, { trainPage: state });

let paused = false;
let resume: (() => void) | undefined;
let trained: TrainedInMemory | undefined;
let runName = '';
let shown: {
  pixels: { width: number; height: number; channels: 1 | 3; data: Uint8Array };
  caption: string;
}[] = [];

function setPhase(phase: PageState['phase'], line?: string): void {
  state.phase = phase;
  $('status').dataset.phase = phase;
  if (line !== undefined) $('status').textContent = line;
  $<HTMLButtonElement>('train').disabled =
    phase === 'loading' || phase === 'training' || phase === 'paused';
  $<HTMLButtonElement>('pause').disabled = phase !== 'training' && phase !== 'paused';
  $<HTMLButtonElement>('pause').textContent = phase === 'paused' ? 'Resume' : 'Pause';
  $<HTMLButtonElement>('save').disabled = phase !== 'done';
}

function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  state.error = message;
  $('error').textContent = message;
  setPhase('failed');
}

/** The response body, refused past `limit` bytes without reading the rest. */
async function fetchBounded(url: string, limit: number): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(
      `GET ${url} answered ${response.status}; rebuild the page (npm run build:web).`,
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new Error(`${url} is over ${limit} bytes.`);
  const reader = response.body!.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`${url} is over ${limit} bytes.`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function drawLoss(): void {
  const canvas = $<HTMLCanvasElement>('loss');
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const points = state.losses.map((p) => ({ x: p.epoch + p.done / p.steps, y: p.loss }));
  const validation = state.epochs
    .filter((m) => m.validation?.total !== undefined)
    .map((m) => ({ x: m.epoch + 1, y: m.validation!.total! }));
  const all = [...points, ...validation];
  if (all.length === 0) return;
  const pad = { left: 52, right: 10, top: 10, bottom: 24 };
  const maxX = Math.max(1, ...all.map((p) => p.x));
  const ys = all.map((p) => p.y);
  const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
  const span = hi - lo || 1;
  const px = (x: number) => pad.left + (x / maxX) * (width - pad.left - pad.right);
  const py = (y: number) => pad.top + (1 - (y - lo) / span) * (height - pad.top - pad.bottom);
  ctx.strokeStyle = '#999';
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, height - pad.bottom);
  ctx.lineTo(width - pad.right, height - pad.bottom);
  ctx.stroke();
  ctx.fillText(hi.toFixed(1), 4, pad.top + 8);
  ctx.fillText(lo.toFixed(1), 4, height - pad.bottom);
  ctx.fillText(`epoch ${maxX.toFixed(maxX % 1 ? 1 : 0)}`, width - pad.right - 60, height - 6);
  const line = (ps: { x: number; y: number }[], colour: string) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ps.forEach((p, i) => (i === 0 ? ctx.moveTo(px(p.x), py(p.y)) : ctx.lineTo(px(p.x), py(p.y))));
    ctx.stroke();
    for (const p of ps.length < 30 ? ps : []) ctx.fillRect(px(p.x) - 1.5, py(p.y) - 1.5, 3, 3);
  };
  line(points, '#1565c0');
  line(validation, '#c62828');
}

/** Draws gray or RGB features in [0, 1] onto a new canvas. */
function featureCanvas(
  features: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) {
      const v = features[channels === 1 ? i : 3 * i + c]!;
      image.data[4 * i + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** A row per epoch: each shown pair, its image rebuilt from itself, drawn from its caption alone, and its caption from the image. */
async function drawReconstructions(model: Loaded, epoch: number): Promise<void> {
  const row = document.createElement('div');
  row.className = 'recon-row';
  row.dataset.epoch = String(epoch + 1);
  const title = document.createElement('div');
  title.className = 'recon-title';
  title.textContent = `after epoch ${epoch + 1}`;
  row.append(title);
  for (const { pixels, caption } of shown) {
    const cell = document.createElement('figure');
    const { width, height, channels } = pixels;
    const original = featureCanvas(
      Array.from(pixels.data, (v) => v / 255),
      width,
      height,
      channels,
    );
    const fromImage = await model.encode({ image: pixels });
    const rebuilt = await model.decode(fromImage, 'image');
    const fromText = await model.encode({ text: caption });
    const drawn = await model.decode(fromText, 'image');
    const told = await model.decode(fromImage, 'text');
    cell.append(
      original,
      featureCanvas(rebuilt.features, width, height, channels),
      featureCanvas(drawn.features, width, height, channels),
    );
    const text = document.createElement('figcaption');
    text.textContent = `“${caption}” → “${told.artefact.kind === 'text' ? told.artefact.text : ''}”`;
    cell.append(text);
    row.append(cell);
  }
  $('reconstructions').prepend(row);
}

async function betweenSteps(): Promise<void> {
  state.steps++;
  if (paused) {
    const pause: PageState['pauses'][number] = { at: state.steps };
    state.pauses.push(pause);
    setPhase('paused', `Paused after step ${state.steps}.`);
    await new Promise<void>((done) => (resume = done));
    pause.resumedAt = state.steps;
    setPhase('training', 'Training …');
  }
  if (performance.now() - lastYield >= YIELD_EVERY_MS) {
    await new Promise((done) => setTimeout(done, 0));
    lastYield = performance.now();
  }
}
let lastYield = 0;

function epochsRequested(): number | undefined {
  const raw = $<HTMLInputElement>('epochs').value.trim();
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_EPOCHS) {
    throw new Error(`epochs must be a whole number from 1 to ${MAX_EPOCHS}`);
  }
  return n;
}

async function train(): Promise<void> {
  $('error').textContent = '';
  const mmae = await library;
  const page = mmae.PAGE_CONFIGS.find((c) => c.id === $<HTMLSelectElement>('config').value);
  if (!page) throw new Error('choose one of the shipped configs');
  const epochs = epochsRequested();
  trained?.dispose();
  trained = undefined;
  Object.assign(state, { losses: [], epochs: [], tensorsAfterEpoch: [], steps: 0, pauses: [] });
  delete state.report;
  delete state.savedBytes;
  delete state.error;
  $('reconstructions').replaceChildren();
  drawLoss();
  setPhase('loading', `Loading ${page.id} …`);
  const backend = await mmae.startBackend(
    $<HTMLSelectElement>('backend').value as BrowserBackendRequest,
  );
  state.backend = backend.name;
  state.config = page.id;
  const data = mmae.parseTrainData(
    await fetchBounded(
      new URL(`train-data/${page.id}.bin`, location.href).href,
      mmae.TRAIN_DATA_LIMITS.bytes,
    ),
  );
  const raw = data.config as { training?: Record<string, unknown> };
  const config = mmae.parseConfig(
    epochs === undefined ? raw : { ...raw, training: { ...raw.training, epochs } },
    `page config ${page.id}`,
  );
  const validation = mmae.rawSplitOf(data.validation, data.image);
  const showFrom = data.validation.ids.length > 0 ? data.validation : data.train;
  shown = [];
  for (let i = 0; i < Math.min(SHOWN, showFrom.ids.length); i++) {
    const per = data.image.width * data.image.height * data.image.channels;
    shown.push({
      pixels: { ...data.image, data: showFrom.pixels.slice(i * per, (i + 1) * per) },
      caption: showFrom.captions[i]!,
    });
  }
  runName = `${config.name}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  setPhase(
    'training',
    `Training ${config.name} on ${data.train.ids.length} pairs (${data.validation.ids.length} for ` +
      `validation), ${config.training.epochs} epochs, backend ${backend.name} (${backend.reason}) …`,
  );
  lastYield = performance.now();
  const started = performance.now();
  trained = await mmae.trainInMemory({
    config,
    dataset: { train: mmae.rawSplitOf(data.train, data.image), validation },
    modules: mmae.BUILTIN_BROWSER_MODULES,
    writer: { mmaeVersion: mmae.MMAE_VERSION, runtime: `browser: ${navigator.userAgent}` },
    betweenSteps,
    progressEvery: 5,
    onStep: (p: StepProgress) => {
      state.losses.push({ epoch: p.epoch, done: p.done, steps: p.steps, loss: p.loss });
      $('step').textContent =
        `epoch ${p.epoch + 1}/${p.epochs}, step ${p.done}/${p.steps}: loss ${p.loss.toFixed(3)}`;
      drawLoss();
    },
    onEpoch: async (metrics, _next, model) => {
      state.epochs.push(metrics);
      await drawReconstructions(model, metrics.epoch);
      state.tensorsAfterEpoch.push(mmae.tensorCount());
      drawLoss();
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const caption = shown[0]?.caption ?? 'a handwritten seven';
  const captionCode = Array.from(await trained.loaded.encode({ text: caption }));
  const imageCode = shown[0]
    ? Array.from(await trained.loaded.encode({ image: shown[0].pixels }))
    : [];
  state.report = { caption, captionCode, imageIndex: 0, imageCode };
  const last = state.epochs.at(-1);
  setPhase(
    'done',
    `Trained ${state.epochs.length} epochs (${state.steps} steps) in ${seconds.toFixed(1)} s on ` +
      `${backend.name}; last loss ${last?.train.total?.toFixed(3)}` +
      `${last?.validation?.total !== undefined ? `, validation ${last.validation.total.toFixed(3)}` : ''}.`,
  );
}

async function save(): Promise<void> {
  const mmae = await library;
  if (!trained) throw new Error('train first');
  const files = await trained.runFiles();
  // The files open in the tab as they will on disk (checksums, model size), before they are offered.
  const check = await mmae.loadRunFiles(
    {
      manifest: files.get(mmae.RUN_FILES.manifest)!,
      config: files.get(mmae.RUN_FILES.config)!,
      model: files.get(mmae.RUN_FILES.model)!,
      pluginState: files.get(mmae.RUN_FILES.pluginState)!,
      weights: { [mmae.RUN_FILES.weights]: files.get(mmae.RUN_FILES.weights)! },
    },
    { modules: mmae.BUILTIN_BROWSER_MODULES, name: runName },
  );
  check.dispose();
  const zip = mmae.zipStore(
    [...files].map(([name, data]) => ({ name: `${runName}/${name}`, data })),
  );
  state.savedBytes = zip.byteLength;
  const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${runName}.zip`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  $('saved').textContent =
    `Saved ${runName}.zip (${(zip.byteLength / 1024).toFixed(0)} KiB, ${files.size} files). ` +
    `Unzip it and run: mmae eval ${runName}`;
}

function togglePause(): void {
  if (state.phase === 'paused' || paused) {
    paused = false;
    resume?.();
    resume = undefined;
  } else if (state.phase === 'training') {
    paused = true;
    $('status').textContent = 'Pausing after this step …';
  }
}

const report = (task: () => Promise<void>) => () => {
  task().catch(showError);
};

void library.then((mmae) => {
  Object.assign(globalThis, { mmae });
  const select = $<HTMLSelectElement>('config');
  select.replaceChildren(
    ...mmae.PAGE_CONFIGS.map((c) => {
      const option = document.createElement('option');
      option.value = c.id;
      option.textContent = c.title;
      return option;
    }),
  );
  const query = new URLSearchParams(location.search);
  const wanted = query.get('config');
  if (wanted && mmae.PAGE_CONFIGS.some((c) => c.id === wanted)) select.value = wanted;
  const backend = query.get('backend');
  if (backend && mmae.BROWSER_BACKEND_REQUESTS.includes(backend as BrowserBackendRequest)) {
    $<HTMLSelectElement>('backend').value = backend;
  }
  const epochs = query.get('epochs');
  if (epochs) $<HTMLInputElement>('epochs').value = epochs;
  setPhase('idle', 'Choose a config and press Train.');
  $('status').dataset.ready = 'true';
}, showError);

$('train').addEventListener('click', report(train));
$('pause').addEventListener('click', togglePause);
$('save').addEventListener('click', report(save));
