import { z } from 'zod';
import { reanchor } from './fingerprint';
import { wholeLines, type AiRange } from './types';

/**
 * Explicit provenance records: Agent Trace records (cursor/agent-trace v0.1 RFC, usually
 * `.agent-trace/traces.jsonl`) and the TrustLens hook log (`.trustlens/provenance.jsonl`).
 * Both are JSON lines; a bad line is reported and skipped, never fatal, because the files are
 * appended to by other tools.
 */

/** Conventional locations, relative to the workspace root. */
export const AGENT_TRACE_PATHS = ['.agent-trace/traces.jsonl'];
export const HOOK_LOG_PATH = '.trustlens/provenance.jsonl';

const contributor = z.object({ type: z.enum(['human', 'ai', 'mixed', 'unknown']), model_id: z.string().max(250).optional() });
const agentTraceRecord = z.object({
  version: z.string(),
  id: z.string().optional(),
  timestamp: z.string().optional(),
  tool: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  files: z.array(
    z.object({
      path: z.string(),
      conversations: z.array(
        z.object({
          url: z.string().optional(),
          contributor: contributor.optional(),
          ranges: z.array(z.object({ start_line: z.number().int().min(1), end_line: z.number().int().min(1), contributor: contributor.optional() })),
        }),
      ),
    }),
  ),
});

const hookEntry = z.object({
  v: z.literal(1),
  /** Workspace-relative path, forward slashes. */
  file: z.string().min(1),
  /** 1-based inclusive line ranges in the file right after the agent wrote it. */
  ranges: z
    .array(
      z.object({
        start: z.number().int().min(1),
        end: z.number().int().min(1),
        /** Normalised line hashes (fingerprint.ts `lineHash`) of those lines, to re-anchor later. */
        lineHashes: z.array(z.string()).optional(),
      }),
    )
    .min(1),
  /** The agent, e.g. "Claude Code", "Copilot agent". */
  agent: z.string().min(1).max(200),
  model: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: true }),
  session: z.string().max(200).optional(),
});

/** One line of the TrustLens hook log (what an agent hook appends after each file write). */
export type HookLogEntry = z.infer<typeof hookEntry>;

/** A line that could not be used, with why. */
export interface RecordProblem {
  /** Workspace-relative record file, when known. */
  file?: string;
  line: number;
  message: string;
}

/** Parsed records, ready to be queried per file. */
export interface ParsedRecords {
  /** per normalised path, ranges as written plus what is needed to re-anchor them */
  byFile: Map<string, Array<{ first: number; last: number; lineHashes?: string[]; tool?: string; at?: Date; evidence: string }>>;
  problems: RecordProblem[];
}

const normPath = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '');

function toolFromModel(model?: string): string | undefined {
  if (!model) return undefined;
  const m = model.toLowerCase();
  if (m.includes('claude') || m.startsWith('anthropic/')) return 'Claude';
  if (m.includes('gpt') || m.startsWith('openai/')) return 'ChatGPT';
  if (m.includes('gemini')) return 'Gemini';
  return model;
}

function eachJsonLine(text: string, problems: RecordProblem[], visit: (json: unknown, line: number) => void): void {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t) continue;
    try {
      visit(JSON.parse(t), i + 1);
    } catch (e) {
      problems.push({ line: i + 1, message: `not JSON: ${(e as Error).message}` });
    }
  }
}

function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return `${i.path.map(String).join('.') || '(root)'}: ${i.message}`;
}

/** Parses Agent Trace records (JSON lines, or one JSON array / object) into per-file AI ranges. */
export function parseAgentTrace(text: string, into: ParsedRecords = { byFile: new Map(), problems: [] }): ParsedRecords {
  const trimmed = text.trim();
  const handle = (json: unknown, line: number) => {
    const r = agentTraceRecord.safeParse(json);
    if (!r.success) return into.problems.push({ line, message: `not an Agent Trace record: ${firstIssue(r.error)}` });
    const rec = r.data;
    const at = rec.timestamp && !Number.isNaN(Date.parse(rec.timestamp)) ? new Date(rec.timestamp) : undefined;
    for (const f of rec.files) {
      for (const conv of f.conversations) {
        for (const range of conv.ranges) {
          const who = range.contributor ?? conv.contributor;
          if (!who || (who.type !== 'ai' && who.type !== 'mixed')) continue;
          if (range.end_line < range.start_line) continue;
          const tool = toolFromModel(who.model_id) ?? rec.tool?.name;
          const list = into.byFile.get(normPath(f.path)) ?? [];
          list.push({
            first: range.start_line - 1,
            last: range.end_line - 1,
            ...(tool ? { tool } : {}),
            ...(at ? { at } : {}),
            evidence: `Agent Trace record ${rec.id ?? ''}`.trim() + ` (contributor ${who.type}${who.model_id ? `, model ${who.model_id}` : ''}${rec.tool ? `, tool ${rec.tool.name}` : ''})`,
          });
          into.byFile.set(normPath(f.path), list);
        }
      }
    }
  };
  if (trimmed.startsWith('[')) {
    try {
      (JSON.parse(trimmed) as unknown[]).forEach((j, i) => handle(j, i + 1));
    } catch (e) {
      into.problems.push({ line: 1, message: `not JSON: ${(e as Error).message}` });
    }
  } else if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    try {
      handle(JSON.parse(trimmed), 1);
    } catch (e) {
      into.problems.push({ line: 1, message: `not JSON: ${(e as Error).message}` });
    }
  } else eachJsonLine(text, into.problems, handle);
  return into;
}

/** Parses the TrustLens hook log (JSON lines of HookLogEntry). */
export function parseHookLog(text: string, into: ParsedRecords = { byFile: new Map(), problems: [] }): ParsedRecords {
  eachJsonLine(text, into.problems, (json, line) => {
    const r = hookEntry.safeParse(json);
    if (!r.success) return into.problems.push({ line, message: `not a TrustLens hook entry: ${firstIssue(r.error)}` });
    const e = r.data;
    const list = into.byFile.get(normPath(e.file)) ?? [];
    for (const range of e.ranges) {
      if (range.end < range.start) continue;
      list.push({
        first: range.start - 1,
        last: range.end - 1,
        ...(range.lineHashes ? { lineHashes: range.lineHashes } : {}),
        tool: e.agent,
        at: new Date(e.at),
        evidence: `TrustLens hook log (agent ${e.agent}${e.model ? `, model ${e.model}` : ''}, ${e.at})`,
      });
    }
    into.byFile.set(normPath(e.file), list);
  });
  return into;
}

/** One hook log line for `entry` (validated), ready to append to HOOK_LOG_PATH. */
export function formatHookLogEntry(entry: HookLogEntry): string {
  return JSON.stringify(hookEntry.parse(entry)) + '\n';
}

/**
 * AI ranges the records give for `relPath`, clipped to the current text. Entries that carry
 * line hashes are re-anchored (and dropped when their code is gone); others are taken as written.
 */
export function recordRanges(records: ParsedRecords, relPath: string, text: string): AiRange[] {
  const entries = records.byFile.get(normPath(relPath)) ?? [];
  const lineCount = text.split(/\r\n|\r|\n/).length;
  const out: AiRange[] = [];
  for (const e of entries) {
    let first = e.first;
    let last = Math.min(e.last, lineCount - 1);
    let note = '';
    if (e.lineHashes && e.lineHashes.length) {
      const found = reanchor(e.lineHashes, e.first, text);
      if (found.status === 'lost') continue;
      first = found.range.startLine;
      last = found.range.endLine - 1;
      if (found.status !== 'unchanged') note = ` (re-anchored: ${found.status})`;
    }
    if (first > last || first >= lineCount) continue;
    out.push({ range: wholeLines(first, last), source: 'record', ...(e.tool ? { tool: e.tool } : {}), ...(e.at ? { at: e.at } : {}), evidence: e.evidence + note });
  }
  return out;
}
