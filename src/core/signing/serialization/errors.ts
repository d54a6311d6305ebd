import { TrustLensError } from '../../errors';

/**
 * Why a model could not be serialized. Cancellation is not one of these: an aborted
 * operation rejects with the shared CancellationError (code 'CANCELLED').
 */
export type SerializationErrorCode =
  /** A symlink was found (or the model path is one) and symlinks are not allowed. */
  | 'SYMLINK_NOT_ALLOWED'
  /** The model path (or a file in it) does not exist, or a symlink is broken. */
  | 'NOT_FOUND'
  /** A path is neither a regular file nor a directory (fifo, socket, device). */
  | 'NOT_A_FILE'
  /** A name is not valid UTF-8 / well-formed Unicode, or an ignore path is unusable. */
  | 'INVALID_PATH'
  /** Bad options (unknown algorithm or method, non-integer shard size...). */
  | 'INVALID_OPTIONS'
  /** A file changed size while it was being hashed. */
  | 'FILE_CHANGED'
  /** Reading the file system failed (permissions, I/O error, worker crash). */
  | 'IO_ERROR';

/** Coded error raised while walking or hashing a model. `path` names the offending file when known. */
export class SerializationError extends TrustLensError<SerializationErrorCode> {
  override readonly name = 'SerializationError';
  constructor(
    code: SerializationErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Maps a Node fs error on `p` to a SerializationError (ENOENT → NOT_FOUND, else IO_ERROR). */
export function fsError(e: unknown, p: string, what: string): SerializationError {
  if (e instanceof SerializationError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new SerializationError('NOT_FOUND', `Cannot ${what} '${p}': it does not exist`, p, { cause: e });
  const msg = e instanceof Error ? e.message : String(e);
  return new SerializationError('IO_ERROR', `Cannot ${what} '${p}': ${msg}`, p, { cause: e });
}
