/** One `trustlens` subcommand. `run` returns the process exit code. */
export interface CliCommand {
  /** First word on the command line, e.g. `sign`. */
  readonly name: string;
  /** One line for `trustlens --help`. */
  readonly summary: string;
  /** Full usage text for `trustlens <name> --help`. */
  readonly usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Where a command writes; tests pass buffers, main passes the process streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

/** Exit codes shared by every subcommand. */
export const ExitCode = {
  /** valid, signed, nothing found at the chosen level */
  Ok: 0,
  /** verification failed, or findings / dangerous files present */
  Failed: 1,
  /** usage or input error */
  Usage: 2,
} as const;

/** Thrown by option parsing; main prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
