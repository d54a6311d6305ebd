import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GitBlameProvenance } from './blame';
import { gitTopLevel } from './git';
import { markerRanges } from './markers';
import { mergeAiRanges } from './merge';
import { AGENT_TRACE_PATHS, HOOK_LOG_PATH, parseAgentTrace, parseHookLog, recordRanges, type ParsedRecords, type RecordProblem } from './records';
import { PROVENANCE_STORE_PATH, readProvenanceStore, restoreRanges, type ProvenanceStore } from './store';
import type { AiRange, ProvenanceSource } from './types';

/** Which evidence to use; every source is on by default. */
export type EnabledSources = Partial<Record<ProvenanceSource, boolean>>;

/**
 * Provenance for files of one workspace folder outside the editor (CLI, `--ai-only`): explicit
 * records, git blame with trailers and git-ai notes, the saved store (user marks and live
 * ranges), and marker comments. Reads each workspace-level file once and caches blame commits.
 */
export class WorkspaceProvenance {
  private records?: Promise<ParsedRecords>;
  private store?: Promise<ProvenanceStore>;
  private git?: Promise<GitBlameProvenance | undefined>;

  constructor(
    readonly root: string,
    private readonly enabled: EnabledSources = {},
  ) {}

  private on(s: ProvenanceSource): boolean {
    return this.enabled[s] !== false;
  }

  /** Why git evidence was not used (e.g. the repository config defines filter commands), if so. */
  async gitSkipReason(signal?: AbortSignal): Promise<string | undefined> {
    const git = await this.loadGit(signal);
    return git?.unsafeReason(signal);
  }

  /** Problems found in the record files (bad lines are skipped). */
  async recordProblems(): Promise<RecordProblem[]> {
    return (await this.loadRecords()).problems;
  }

  private loadRecords(): Promise<ParsedRecords> {
    this.records ??= (async () => {
      const parsed: ParsedRecords = { byFile: new Map(), problems: [] };
      const read = async (rel: string) => fs.readFile(path.join(this.root, rel), 'utf8').catch(() => undefined);
      for (const rel of AGENT_TRACE_PATHS) {
        const t = await read(rel);
        if (t !== undefined) {
          const before = parsed.problems.length;
          parseAgentTrace(t, parsed);
          for (const p of parsed.problems.slice(before)) p.file = rel;
        }
      }
      const hook = await read(HOOK_LOG_PATH);
      if (hook !== undefined) {
        const before = parsed.problems.length;
        parseHookLog(hook, parsed);
        for (const p of parsed.problems.slice(before)) p.file = HOOK_LOG_PATH;
      }
      return parsed;
    })();
    return this.records;
  }

  /** The saved store; throws PROVENANCE_STORE_INVALID when it is corrupt. */
  loadStore(): Promise<ProvenanceStore> {
    this.store ??= readProvenanceStore(path.join(this.root, PROVENANCE_STORE_PATH));
    return this.store;
  }

  private loadGit(signal?: AbortSignal): Promise<GitBlameProvenance | undefined> {
    this.git ??= gitTopLevel(this.root, signal).then((top) => (top ? new GitBlameProvenance(top) : undefined));
    return this.git;
  }

  /** Merged AI ranges of `absPath` whose current text is `text`. */
  async aiRanges(absPath: string, text: string, signal?: AbortSignal): Promise<AiRange[]> {
    const rel = path.relative(this.root, absPath).split(path.sep).join('/');
    const found: AiRange[] = [];
    if (this.on('record')) found.push(...recordRanges(await this.loadRecords(), rel, text));
    if (this.on('git') || this.on('record')) {
      const git = await this.loadGit(signal);
      if (git) {
        const relToRepo = path.relative(git.repoRoot, absPath).split(path.sep).join('/');
        const blamed = await git.aiRanges(relToRepo, { contents: text, signal });
        found.push(...blamed.filter((r) => this.on(r.source)));
      }
    }
    if (this.on('user') || this.on('live')) {
      const stored = (await this.loadStore()).files[rel];
      if (stored) found.push(...restoreRanges(stored, text).ranges.filter((r) => this.on(r.source)));
    }
    if (this.on('marker')) found.push(...markerRanges(text));
    return mergeAiRanges(found);
  }
}
