/**
 * Raw audio value → decoded samples, so robustness noise is added to the waveform at a true SNR
 * (the audio plugin then prepares the noisy clip like any other). Mono by averaging channels.
 */
import wavefile from 'wavefile';
import type { DecodedAudio, RawValue } from '../../data/contract.js';
import { readInputFile } from '../../data/input-file.js';
import { DataError } from '../../errors/errors.js';

export async function decodedAudioOf(raw: RawValue, source: string): Promise<DecodedAudio> {
  if (raw.kind === 'audio') return raw;
  let bytes: Uint8Array;
  if (raw.kind === 'file') {
    bytes = await readInputFile(raw.path, { kind: 'audio', what: 'WAV file', of: source });
  } else if (raw.kind === 'bytes') bytes = raw.data;
  else
    throw new DataError(`${source}: a '${raw.kind}' value is not audio; give a WAV file.`, source);
  try {
    const wav = new wavefile.WaveFile(bytes);
    wav.toBitDepth('32f');
    const fmt = wav.fmt as { numChannels: number; sampleRate: number };
    const interleaved = wav.getSamples(true, Float64Array) as unknown as Float64Array;
    const frames = Math.floor(interleaved.length / fmt.numChannels);
    const samples = new Float32Array(frames);
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < fmt.numChannels; c++) sum += interleaved[f * fmt.numChannels + c]!;
      samples[f] = sum / fmt.numChannels;
    }
    return { kind: 'audio', sampleRate: fmt.sampleRate, samples };
  } catch (cause) {
    throw new DataError(`${source}: not a readable WAV file; check the dataset file.`, source, {
      cause,
    });
  }
}
