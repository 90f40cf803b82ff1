/**
 * Inputs a native kernel does not take (another dtype, another rank) run on the kernel it
 * replaced, which gives the same values more slowly. Each such case is said once per process,
 * on stderr, and kept here for `mmae doctor`.
 */
export interface NativeFallback {
  readonly kernelName: string;
  /** What the native kernel does not take, and what runs instead. */
  readonly reason: string;
}

const seen = new Map<string, NativeFallback>();

export function noteNativeFallback(kernelName: string, reason: string): void {
  const key = `${kernelName}: ${reason}`;
  if (seen.has(key)) return;
  seen.set(key, { kernelName, reason });
  console.warn(
    `mmae: native ${kernelName} does not take ${reason}; these run on the kernel it replaced ` +
      '(same values, slower). `mmae doctor` lists what each native kernel takes.',
  );
}

/** The fallbacks taken so far in this process. */
export function nativeFallbacks(): NativeFallback[] {
  return [...seen.values()];
}
