/**
 * Where a worker_threads entry is and how to start it. Bundled (dist/): the calling code lives in
 * dist/extension.js or dist/cli.js and each worker next to it as dist/<name>.js. From TypeScript
 * sources (mocha under tsx) no .js exists, so the worker runs as an inline eval script that
 * registers tsx's CommonJS loader and then requires the `.ts` entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { TrustLensError } from '../errors';

/** How to start a worker: a script file, or inline code run with `eval: true`. */
export type WorkerSource = { kind: 'file'; file: string } | { kind: 'eval'; code: string; file: string };

function tsxLoader(): string | undefined {
  try {
    // Only reached when running from sources, where tsx (a dev dependency) is installed.
    return require.resolve('tsx/cjs');
  } catch {
    return undefined;
  }
}

/** A `.ts` entry under tsx (undefined when tsx is not installed), any other file as it is. */
export function workerSourceForFile(file: string): WorkerSource | undefined {
  if (!file.endsWith('.ts')) return { kind: 'file', file };
  const loader = tsxLoader();
  return loader ? { kind: 'eval', file, code: `require(${JSON.stringify(loader)});\nrequire(${JSON.stringify(file)});\n` } : undefined;
}

/**
 * Locates worker entry `name`: `<bundleDir>/<name>.js` when bundled, else `<sourceDir>/<name>.ts`
 * under tsx. Callers pass their own `__dirname` (in a bundle, every module's is dist/).
 * Undefined when neither is found.
 */
export function locateWorker(name: string, bundleDir: string, sourceDir: string = bundleDir): WorkerSource | undefined {
  const bundled = path.join(bundleDir, `${name}.js`);
  if (fs.existsSync(bundled)) return { kind: 'file', file: bundled };
  const source = path.join(sourceDir, `${name}.ts`);
  return fs.existsSync(source) ? workerSourceForFile(source) : undefined;
}

/**
 * The worker a client starts: `explicitPath` when given (a `.ts` path runs under tsx), else
 * `name` located next to `moduleDir`. Throws TrustLensError WORKER_NOT_FOUND when neither works.
 */
export function requireWorkerSource(name: string, moduleDir: string, explicitPath?: string): WorkerSource {
  const src = explicitPath ? workerSourceForFile(explicitPath) : locateWorker(name, moduleDir);
  if (src) return src;
  throw new TrustLensError('WORKER_NOT_FOUND', explicitPath ? `cannot start ${explicitPath}: tsx is not installed` : `${name}.js not found next to ${moduleDir}`);
}

/** Starts a worker from `src` with `options` (workerData etc.). */
export function startWorker(src: WorkerSource, options: WorkerOptions = {}): Worker {
  return src.kind === 'file' ? new Worker(src.file, options) : new Worker(src.code, { ...options, eval: true });
}
