/** Logger the core takes as a parameter; adapters back it with a LogOutputChannel or stderr. */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

/** A logger that drops everything (default for library calls). */
export const nullLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };
