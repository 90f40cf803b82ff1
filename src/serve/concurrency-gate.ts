/**
 * At most `max` requests in flight; one more is answered 503 with Retry-After at once, before its
 * body is read. The model runs on the one JavaScript thread, so a request beyond the limit could
 * only wait behind the others, holding its body in memory meanwhile.
 *
 * A request holds its slot until its reply is sent (or its connection closes) and its handler has
 * returned, whichever is later: a request answered by the timeout while its work still runs goes
 * on counting, so timeouts cannot let more work pile up than the limit allows.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServeError } from './serve-errors.js';

interface Slot {
  held: boolean;
  working: boolean;
  answered: boolean;
}

const slots = new WeakMap<FastifyRequest, Slot>();

export class ConcurrencyGate {
  private inFlight = 0;

  constructor(private readonly max: number) {}

  /** Adds the hooks that take and give back slots. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      if (this.inFlight >= this.max) {
        throw new ServeError(
          'BUSY',
          `the server is answering ${this.max} requests already (its --max-concurrent); ` +
            'try again shortly.',
          1,
        );
      }
      this.inFlight++;
      const slot: Slot = { held: true, working: false, answered: false };
      slots.set(request, slot);
      // 'close' also fires when the client goes away before the reply, where onResponse never runs.
      reply.raw.once('close', () => this.answered(slot));
    });
    app.addHook('onResponse', async (request) => {
      const slot = slots.get(request);
      if (slot) this.answered(slot);
    });
  }

  /** Wraps a handler so that its request keeps its slot until the work is done. */
  guard<R>(
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<R>,
  ): (request: FastifyRequest, reply: FastifyReply) => Promise<R> {
    return async (request, reply) => {
      const slot = slots.get(request);
      if (slot) slot.working = true;
      try {
        return await handler(request, reply);
      } finally {
        if (slot) {
          slot.working = false;
          if (slot.answered) this.release(slot);
        }
      }
    };
  }

  private answered(slot: Slot): void {
    slot.answered = true;
    if (!slot.working) this.release(slot);
  }

  private release(slot: Slot): void {
    if (!slot.held) return;
    slot.held = false;
    this.inFlight--;
  }
}
