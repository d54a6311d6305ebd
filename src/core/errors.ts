/**
 * Coded error classes shared by every core area. Adapters (CLI, VS Code) map `code` to a
 * user message and log the `cause` chain. Names are literal so minification cannot change them.
 */
export class TrustLensError<Code extends string = string> extends Error {
  override readonly name: string = 'TrustLensError';
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when `e` is a TrustLensError, optionally with the given code. */
  static is(e: unknown, code?: string): e is TrustLensError {
    return e instanceof TrustLensError && (code === undefined || e.code === code);
  }
}

/** Thrown when an AbortSignal fires during a long operation. */
export class CancellationError extends TrustLensError<'CANCELLED'> {
  override readonly name = 'CancellationError';
  constructor(message = 'operation cancelled') {
    super('CANCELLED', message);
  }
}

/** True for our CancellationError and for DOM-style AbortError thrown by Node APIs. */
export function isCancellation(e: unknown): boolean {
  return e instanceof CancellationError || (e instanceof Error && e.name === 'AbortError');
}

/** Marks a code path that must be unreachable; throws instead of silently continuing. */
export function internalError(message: string): never {
  throw new TrustLensError('INTERNAL', message);
}
