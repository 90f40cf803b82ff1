/**
 * W5's rows and their order, for the PyTorch reference: the MNIST train-file indices of the
 * 55,000 training and 5,000 validation images as mmae's mnist dataset carves them (seeded), and
 * each epoch's row order as mmae's trainer visits them (`epochOrder`). Both come from mmae's own
 * code, so the reference trains on the same images in the same order. Prints one JSON object.
 *
 *   tsx bench/workloads/w5-order.ts [--epochs 1] [--limit N] [--seed 42]
 */
import { epochOrder } from '../../src/data/batches.js';
import { loadMnist, mnistOptionsSchema } from '../../datasets/mnist/index.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { W5_VALIDATION } from './w5-conv-vae.js';

/** `mnist/train/123` → 123. */
function fileIndex(id: string): number {
  const index = Number(id.slice(id.lastIndexOf('/') + 1));
  if (!id.startsWith('mnist/train/') || !Number.isInteger(index)) {
    throw new Error(`w5-order: unexpected sample id '${id}'`);
  }
  return index;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const epochs = intArg(args, 'epochs', 1);
  const limit = intArg(args, 'limit', 0);
  const seed = intArg(args, 'seed', 42);
  const options = mnistOptionsSchema.parse({
    validationSize: W5_VALIDATION,
    ...(limit > 0 ? { trainLimit: limit } : {}),
  });
  const dataset = await loadMnist(options, { seed, baseDir: process.cwd() });
  const ids = (split: typeof dataset.train) =>
    Array.from({ length: split.size }, (_, i) => fileIndex(split.sample(i).id));
  const train = ids(dataset.train);
  const order = Array.from({ length: epochs }, (_, epoch) =>
    Array.from(epochOrder(train.length, seed, epoch)),
  );
  process.stdout.write(JSON.stringify({ train, validation: ids(dataset.validation), order }));
}

if (isMain(import.meta.url)) await main();
