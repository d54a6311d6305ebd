import * as vscode from 'vscode';
// Imported from the module itself, not the scanning index: the index pulls the in-thread scanner
// and web-tree-sitter into the extension bundle, and the editor only ever scans in the worker.
import { createScanWorkerClient, type ScanWorkerClient } from '../../core/scanning/workerClient';
import { describeError } from '../../vscode/log';
import type { ScanEngine } from './scanEngine';

/**
 * The scanner in a worker thread (dist/scanWorker.js + dist/wasm): the extension host's main
 * thread never parses. The worker starts on the first scan, so tree-sitter and its grammars load
 * only once a document of a scanned language is open.
 */
export function createWorkerScanEngine(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): ScanEngine {
  let client: ScanWorkerClient | undefined;
  const get = (): ScanWorkerClient => {
    if (!client) {
      const dist = vscode.Uri.joinPath(extensionUri, 'dist');
      client = createScanWorkerClient({ workerPath: vscode.Uri.joinPath(dist, 'scanWorker.js').fsPath, wasmDir: vscode.Uri.joinPath(dist, 'wasm').fsPath });
      log.info('scanner worker started');
    }
    return client;
  };
  return {
    async scan(text, languageId, options) {
      try {
        const r = await get().scan(text, languageId, options);
        return { findings: r.findings, truncated: r.truncated };
      } catch (e) {
        log.trace(`scan failed: ${describeError(e)}`);
        throw e;
      }
    },
    dispose() {
      void client?.dispose();
      client = undefined;
    },
  };
}
