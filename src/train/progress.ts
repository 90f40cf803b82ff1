/**
 * Progress for a training epoch: a redrawn bar with loss and ETA on a TTY, plain lines
 * (one every few seconds) otherwise, so logs in CI stay readable.
 */
export interface ProgressReporter {
  start(epoch: number, epochs: number, steps: number): void;
  update(step: number, loss: number): void;
  end(summary: string): void;
}

export function createProgressReporter(
  stream: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean } = nodeStderr(),
  plainIntervalMs = 5000,
): ProgressReporter {
  let epoch = 0;
  let epochs = 0;
  let steps = 0;
  let started = 0;
  let lastPlain = 0;
  const tty = Boolean((stream as { isTTY?: boolean }).isTTY);
  return {
    start(e, total, n) {
      epoch = e;
      epochs = total;
      steps = n;
      started = Date.now();
      lastPlain = started;
    },
    update(step, loss) {
      const elapsed = (Date.now() - started) / 1000;
      const eta = step > 0 ? (elapsed / step) * (steps - step) : 0;
      const head = `epoch ${epoch + 1}/${epochs}`;
      const tail = `${step}/${steps} loss ${loss.toFixed(4)} eta ${eta.toFixed(0)}s`;
      if (tty) {
        const width = 24;
        const filled = Math.round((step / Math.max(1, steps)) * width);
        stream.write(`\r${head} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`);
      } else if (Date.now() - lastPlain >= plainIntervalMs) {
        lastPlain = Date.now();
        stream.write(`${head} ${tail}\n`);
      }
    },
    end(summary) {
      stream.write(`${tty ? '\r\x1b[K' : ''}epoch ${epoch + 1}/${epochs} ${summary}\n`);
    },
  };
}

/**
 * Node's stderr, read through globalThis: the trainer imports this module in a browser tab too
 * (with its own reporter), where there is no `process`.
 */
function nodeStderr(): NodeJS.WriteStream {
  const node = (globalThis as { process?: { stderr: NodeJS.WriteStream } }).process;
  if (node === undefined) throw new Error('createProgressReporter() needs a stream outside Node');
  return node.stderr;
}

/** A reporter that prints nothing (tests, API use). */
export const silentProgress: ProgressReporter = { start() {}, update() {}, end() {} };
