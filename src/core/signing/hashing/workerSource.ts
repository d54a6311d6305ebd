/**
 * Finds the hash worker script. Bundled (dist/): the pool code lives in dist/extension.js or
 * dist/cli.js and the worker next to it as dist/hashWorker.js. From TypeScript sources (mocha
 * under tsx): no .js exists, so the worker is started as an inline eval script that registers
 * tsx's CommonJS loader and then requires src/core/signing/hashWorker.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How to start a worker: a script file, or inline code run with `eval: true`. */
export type WorkerSource = { kind: 'file'; file: string } | { kind: 'eval'; code: string; file: string };

/** File name of the bundled worker (esbuild entry `hashWorker`). */
export const BUNDLED_WORKER_NAME = 'hashWorker.js';

function tsxLoader(): string | undefined {
  try {
    // Only reached when running from sources, where tsx (a dev dependency) is installed.
    return require.resolve('tsx/cjs');
  } catch {
    return undefined;
  }
}

/**
 * Locates the worker relative to `moduleDir` (default: this module's directory at run time).
 * Returns undefined when neither a bundled worker nor runnable sources are found.
 */
export function resolveWorkerSource(moduleDir: string = __dirname): WorkerSource | undefined {
  const bundled = path.join(moduleDir, BUNDLED_WORKER_NAME);
  if (fs.existsSync(bundled)) return { kind: 'file', file: bundled };
  const source = path.join(moduleDir, '..', 'hashWorker.ts');
  if (fs.existsSync(source)) {
    const loader = tsxLoader();
    if (loader) return { kind: 'eval', file: source, code: `require(${JSON.stringify(loader)});\nrequire(${JSON.stringify(source)});\n` };
  }
  return undefined;
}
