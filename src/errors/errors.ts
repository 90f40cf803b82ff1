/**
 * Typed errors. Every message names the file, field or value at fault and says what to do,
 * so the CLI can print `error.message` alone and a user can act on it.
 */
export class MmaeError extends Error {
  /** Stable machine-readable code, e.g. for tests and exit-code mapping. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value (YAML field, CLI flag, API option) is invalid. */
export class ConfigError extends MmaeError {
  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super('CONFIG', message, options);
  }
}

/** A data file (IDX, image, WAV, caption, manifest) cannot be read or is malformed. */
export class DataError extends MmaeError {
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super('DATA', message, options);
  }
}

/** A plugin is missing, duplicated or does not meet its contract. */
export class PluginError extends MmaeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PLUGIN', message, options);
  }
}

/** Shapes between two parts of a model disagree. */
export class ShapeError extends MmaeError {
  constructor(message: string) {
    super('SHAPE', message);
  }
}

/** A run directory or checkpoint cannot be read, is tampered with, or does not match its config. */
export class RunError extends MmaeError {
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super('RUN', message, options);
  }
}

/** Training produced NaN or Inf; the last good checkpoint is kept. */
export class DivergenceError extends MmaeError {
  constructor(message: string) {
    super('DIVERGENCE', message);
  }
}

/** The compute backend cannot be initialised or lacks a kernel. */
export class BackendError extends MmaeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND', message, options);
  }
}

/** A user request (CLI query, API call) is invalid, e.g. an empty query or k > gallery size. */
export class UsageError extends MmaeError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/**
 * A vector store outside the process (PostgreSQL + pgvector) cannot serve a gallery: unreachable
 * after the stated retries, lacking the `vector` extension, or holding a table of another shape.
 * `reason` lets a caller tell them apart without parsing the message; the message never holds a
 * password (URLs are shown without credentials).
 */
export class StoreError extends MmaeError {
  constructor(
    message: string,
    readonly reason:
      'unreachable' | 'refused' | 'extension' | 'missing' | 'latent-size' | 'schema' | 'query',
    options?: { cause?: unknown },
  ) {
    super('STORE', message, options);
  }
}
