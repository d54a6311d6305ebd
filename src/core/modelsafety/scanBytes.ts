import { isCancellation } from '../errors';
import { bufferAccess } from './randomAccess';
import { ReportBuilder } from './report';
import { scanBlob } from './scanBlob';
import type { FileSafetyReport, ScanOptions } from './types';
import { DEFAULT_LIMITS } from './types';

/**
 * Checks an in-memory blob (e.g. a downloaded or generated model) exactly as `scanModelFile`
 * checks a file; `name` is used as the extension hint and as the report's path.
 */
export async function scanModelBytes(data: Uint8Array, name: string, options: ScanOptions = {}): Promise<FileSafetyReport> {
  const started = performance.now();
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const report = new ReportBuilder(name, buf.length);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  try {
    await scanBlob(bufferAccess(buf), { report, limits, signal: options.signal, onProgress: options.onProgress, depth: 0, total: buf.length }, name);
  } catch (e) {
    if (isCancellation(e)) throw e;
    // Same contract as scanModelFile: a reader failure is an "unknown", never a crash or a "safe".
    report.addFinding('unknown', 'SCAN_ERROR', `scan stopped: ${(e as Error)?.message ?? String(e)}`);
  }
  report.bytesRead = buf.length;
  return report.build(Math.round(performance.now() - started));
}
