/**
 * Run as `node --import tsx test/reliability/decode-long-wav-child.ts FILE.wav`: reads a one
 * second clip of the WAV through the audio plugin's reader and prints, as JSON, the clip's length
 * and how far the process's peak RSS rose above its RSS just before the read (MiB).
 */
import { nodeWavFiles } from '../../plugins/audio/node/wav-files.js';
import { readRawAudio } from '../../plugins/audio/raw-audio.js';

const path = process.argv[2] as string;
const before = process.memoryUsage().rss;
const samples = await readRawAudio({ kind: 'file', path }, 'long.wav', 8000, 1, nodeWavFiles);
// resourceUsage().maxRSS is in KiB: the highest RSS the process ever had.
const peakRiseMiB = (process.resourceUsage().maxRSS * 1024 - before) / 2 ** 20;
process.stdout.write(`${JSON.stringify({ samples: samples.length, peakRiseMiB })}\n`);
