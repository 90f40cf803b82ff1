/** A decoded modality as JSON: PNG and WAV bytes inline in base64, a caption as text. */
import type { Decoded } from '../api/loaded-model.js';
import type { Artefact } from '../modality/contract.js';

export type ArtefactJson =
  | { readonly kind: 'png'; readonly mediaType: 'image/png'; readonly base64: string }
  | { readonly kind: 'wav'; readonly mediaType: 'audio/wav'; readonly base64: string }
  | { readonly kind: 'text'; readonly mediaType: 'text/plain'; readonly text: string };

export function artefactJson(artefact: Artefact): ArtefactJson {
  if (artefact.kind === 'text') {
    return { kind: 'text', mediaType: 'text/plain', text: artefact.text };
  }
  const bytes = artefact.data;
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return artefact.kind === 'png'
    ? { kind: 'png', mediaType: 'image/png', base64 }
    : { kind: 'wav', mediaType: 'audio/wav', base64 };
}

export function decodedJson(decoded: Decoded) {
  return { features: Array.from(decoded.features), artefact: artefactJson(decoded.artefact) };
}
