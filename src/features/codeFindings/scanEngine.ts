import type { Finding, Severity } from '../../core/scanning';

/** Options of one scan. */
export interface ScanRequest {
  signal: AbortSignal;
  timeBudgetMs: number;
  minSeverity?: Severity;
}

/** What the editor needs from the scanner: an async, abortable scan that runs off the main thread. */
export interface ScanEngine {
  scan(text: string, languageId: string, options: ScanRequest): Promise<{ findings: Finding[]; truncated: boolean }>;
  dispose(): void;
}
