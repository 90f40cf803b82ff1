/**
 * The inference page (inference.html): open a run by URL, take a caption and/or an image, encode
 * them into the shared latent and decode that code into every modality of the run, in this tab.
 * It loads the library bundle (mmae-web.js) from beside itself at run time, so the page's own
 * script stays small and the explorer can load the same bundle.
 */
import type { BrowserRun, Decoded, MultimodalInput, BrowserBackendRequest } from './entry.js';

type MmaeWeb = typeof import('./entry.js');

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let run: BrowserRun | undefined;
/** The uploaded image as the run's image modality takes it, drawn at the run's geometry. */
let pixels: { width: number; height: number; channels: 1 | 3; data: Uint8Array } | undefined;
const objectUrls: string[] = [];

const library: Promise<MmaeWeb> = import(new URL('./mmae-web.js', import.meta.url).href);
// The library as window.mmae, for the console (and the browser tests): `await mmae.openRun(url)`.
void library.then((mmae) => Object.assign(globalThis, { mmae }));

function showError(error: unknown): void {
  $('error').textContent = error instanceof Error ? error.message : String(error);
}

async function openSelected(): Promise<void> {
  $('error').textContent = '';
  $<HTMLFieldSetElement>('inputs').disabled = true;
  run?.dispose();
  run = undefined;
  pixels = undefined;
  const url = $<HTMLInputElement>('run-url').value;
  const backend = $<HTMLSelectElement>('backend').value as BrowserBackendRequest;
  $('status').textContent = `Opening ${url} …`;
  const started = performance.now();
  const mmae = await library;
  run = await mmae.openRun(url, { backend });
  const ms = performance.now() - started;
  const names = run.modalities.map((m) => `${m.name} (${m.plugin})`).join(', ');
  $('status').textContent =
    `Opened ${run.url} in ${ms.toFixed(0)} ms: ${names}; latent size ${run.latentSize}.\n` +
    `Backend ${run.backend.name}: ${run.backend.reason}.`;
  $('status').dataset.backend = run.backend.name;
  $<HTMLFieldSetElement>('inputs').disabled = false;
}

function imageModality(open: BrowserRun) {
  return open.modalities.find((m) => m.plugin === 'image');
}

/**
 * Draws the file at the run's image geometry as the image plugin's default 'contain' fit does
 * (letterboxed on black, alpha composited onto black), then reads gray as Rec. 709 luma. The
 * canvas resamples with the browser's filter, not sharp's: an upload at the run's own size
 * (a 28×28 digit) gives exactly its pixels; another size gives pixels close to, not equal to,
 * what `mmae` on Node reads from the same file.
 */
async function readImage(file: File): Promise<void> {
  const open = run;
  const modality = open && imageModality(open);
  if (!modality) throw new Error('this run has no image modality');
  const width = Number(modality.options.width ?? 28);
  const height = Number(modality.options.height ?? 28);
  const channels = modality.options.channels === 3 ? 3 : 1;
  const bitmap = await createImageBitmap(file);
  const canvas = $<HTMLCanvasElement>('preview');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.imageSmoothingEnabled = bitmap.width !== width || bitmap.height !== height;
  context.fillStyle = '#000';
  context.fillRect(0, 0, width, height);
  const scale = Math.min(width / bitmap.width, height / bitmap.height);
  const w = Math.round(bitmap.width * scale);
  const h = Math.round(bitmap.height * scale);
  context.drawImage(bitmap, Math.floor((width - w) / 2), Math.floor((height - h) / 2), w, h);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [rgba[4 * i]!, rgba[4 * i + 1]!, rgba[4 * i + 2]!];
    if (channels === 1) data[i] = Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b);
    else data.set([r, g, b], 3 * i);
  }
  pixels = { width, height, channels, data };
  canvas.hidden = false;
}

function inputOf(open: BrowserRun): MultimodalInput {
  const input: Record<string, unknown> = {};
  const caption = $<HTMLInputElement>('caption').value.trim();
  const text = open.modalities.find((m) => m.plugin === 'text');
  if (caption !== '' && text) input[text.name] = caption;
  const image = imageModality(open);
  if (pixels && image) input[image.name] = pixels;
  if (Object.keys(input).length === 0) throw new Error('type a caption or choose an image first');
  return input as MultimodalInput;
}

function show(name: string, decoded: Decoded): HTMLElement {
  const box = document.createElement('div');
  box.className = 'result';
  box.dataset.modality = name;
  const title = document.createElement('h3');
  title.textContent = name;
  box.append(title);
  const { artefact } = decoded;
  if (artefact.kind === 'text') {
    const caption = document.createElement('div');
    caption.className = 'caption';
    caption.textContent = artefact.text;
    box.append(caption);
  } else {
    const type = artefact.kind === 'png' ? 'image/png' : 'audio/wav';
    const url = URL.createObjectURL(new Blob([artefact.data as BlobPart], { type }));
    objectUrls.push(url);
    const media = document.createElement(artefact.kind === 'png' ? 'img' : 'audio');
    media.src = url;
    if (media instanceof HTMLImageElement) media.alt = `${name} decoded from the latent code`;
    else media.controls = true;
    box.append(media);
  }
  return box;
}

async function encodeDecode(): Promise<void> {
  $('error').textContent = '';
  const open = run;
  if (!open) throw new Error('open a run first');
  const input = inputOf(open);
  const t0 = performance.now();
  const latent = await open.encode(input);
  const t1 = performance.now();
  const decoded: [string, Decoded][] = [];
  for (const { name } of open.modalities) decoded.push([name, await open.decode(latent, name)]);
  const t2 = performance.now();
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
  $('latent').textContent = `[${Array.from(latent, (v) => v.toFixed(4)).join(', ')}]`;
  // Every digit, for whoever compares the code with another implementation's (the tests).
  $('latent').dataset.values = JSON.stringify(Array.from(latent));
  $('timings').textContent =
    `encode ${(t1 - t0).toFixed(1)} ms, decode into ${decoded.length} modalities ` +
    `${(t2 - t1).toFixed(1)} ms (${open.backend.name})`;
  $('results').replaceChildren(...decoded.map(([name, d]) => show(name, d)));
  $('output').hidden = false;
}

const report = (task: () => Promise<void>) => () => {
  task().catch(showError);
};
$('open').addEventListener('click', report(openSelected));
$('run').addEventListener('click', report(encodeDecode));
$<HTMLInputElement>('image').addEventListener(
  'change',
  report(async () => {
    const file = $<HTMLInputElement>('image').files?.[0];
    if (file) await readImage(file);
  }),
);
// ?run=URL&backend=NAME open a run as soon as the page loads.
const query = new URLSearchParams(location.search);
if (query.has('run')) $<HTMLInputElement>('run-url').value = query.get('run')!;
if (query.has('backend')) $<HTMLSelectElement>('backend').value = query.get('backend')!;
if (query.has('run')) report(openSelected)();
