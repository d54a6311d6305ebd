/**
 * Public surface of the scanning core (no `vscode` import). Typical use:
 *
 *   const scanner = await createScanner({ wasmDir });
 *   const { findings, truncated } = await scanner.scan(text, 'python', { signal, timeBudgetMs: 1500 });
 *   scanner.dispose();
 *
 * `scan` runs on the calling thread; for an editor use `createScanWorkerClient` (same API, runs
 * in a worker_threads worker with abort and a hard time budget).
 */
import { createParserHost, ScanError } from './parserHost';
import { normalizeLanguageId, type LanguageId } from './languages';
import { cweUrl, type RuleInfo } from './rule';
import { RULE_SET } from './rules/index';
import { runScan, type ScanOptions, type ScanResult } from './scanner';

export type { Finding, FixEdit, Range, Severity } from './finding';
export { SEVERITIES } from './finding';
export { SUPPORTED_LANGUAGES, languageForPath, normalizeLanguageId, isSupportedLanguage, type LanguageId, type RuleLanguage } from './languages';
export type { ScanOptions, ScanResult } from './scanner';
export type { RuleInfo } from './rule';
export { ScanError, type ScanErrorCode } from './parserHost';
export { createScanWorkerClient, type ScanWorkerClient, type ScanWorkerClientOptions } from './workerClient';

/** Rule metadata for SARIF/UI: id, CWE, severity, name, descriptions, help URL, languages. */
export const RULES: readonly RuleInfo[] = RULE_SET.map((r) => ({
  id: r.id,
  name: r.name,
  cwe: r.cwe,
  severity: r.severity,
  languages: r.languages,
  message: r.message,
  why: r.why,
  description: r.description,
  pattern: r.pattern,
  helpUrl: cweUrl(r.cwe),
  shortDescription: r.name,
  fullDescription: `${r.description} ${r.why}`,
}));

/** A scanner: parses and checks one document at a time. */
export interface Scanner {
  /**
   * Scans `text` as `languageId` (a VS Code language id or alias like "py", "c#").
   * Rejects with ScanError('UNSUPPORTED_LANGUAGE') for other languages and CancellationError
   * when `signal` fires. A budget overrun is not an error: it returns `truncated: true`.
   */
  scan(text: string, languageId: string, options?: ScanOptions): Promise<ScanResult>;
  /** Frees parsers. The scanner cannot be used afterwards. */
  dispose(): void;
}

export interface ScannerOptions {
  /** Directory holding web-tree-sitter.wasm and the grammar wasm files (the bundle's dist/wasm). */
  wasmDir?: string;
}

/** Creates a scanner. Grammars load lazily on the first scan of each language. */
export function createScanner(options: ScannerOptions = {}): Scanner {
  const host = createParserHost(options.wasmDir);
  let busy: Promise<unknown> = Promise.resolve();
  return {
    scan(text, languageId, scanOptions = {}) {
      const id: LanguageId | undefined = normalizeLanguageId(languageId);
      if (!id) return Promise.reject(new ScanError('UNSUPPORTED_LANGUAGE', `language ${languageId} is not scanned`));
      // Parsers are stateful: serialize scans on this scanner.
      const run = busy.then(async () => {
        const parser = await host.parserFor(id);
        return runScan(parser, id, text, RULE_SET, scanOptions);
      });
      busy = run.catch(() => undefined);
      return run;
    },
    dispose() {
      host.dispose();
    },
  };
}
