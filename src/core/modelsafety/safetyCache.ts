import { promises as fsp } from 'node:fs';
import { scanModelFile } from './scanFile';
import type { FileSafetyReport, ScanOptions } from './types';

/** How the cache checks a file on a miss (default: scanModelFile in this thread; the extension passes its worker client). */
export type SafetyScanFn = (filePath: string, options: ScanOptions) => Promise<FileSafetyReport>;

interface Entry {
  key: string;
  report: Promise<FileSafetyReport>;
}

/**
 * Remembers file verdicts while the file's size, mtime, ctime and inode stay the same, so a tree
 * view can re-render without re-reading models. Concurrent requests for the same file share one
 * scan. A failed or cancelled scan is not remembered.
 */
export class ModelSafetyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly scan: SafetyScanFn = scanModelFile,
  ) {}

  /** The verdict for `filePath`, from the cache when the file is unchanged. */
  async get(filePath: string, options: ScanOptions = {}): Promise<FileSafetyReport> {
    const st = await fsp.stat(filePath).catch(() => undefined);
    const key = st ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}` : '';
    const hit = this.entries.get(filePath);
    if (st && hit && hit.key === key) return hit.report;
    const report = this.scan(filePath, options);
    if (st) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(filePath, { key, report });
      report.catch(() => this.entries.get(filePath)?.report === report && this.entries.delete(filePath));
    }
    return report;
  }

  /** Forgets one file (e.g. on a file-system change event) or everything. */
  invalidate(filePath?: string): void {
    if (filePath === undefined) this.entries.clear();
    else this.entries.delete(filePath);
  }
}
