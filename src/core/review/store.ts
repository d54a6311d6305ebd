import { z } from 'zod';
import { TrustLensError } from '../errors';
import type { SnippetKey } from './fingerprint';

/**
 * The review decision file (`.trustlens/reviews.json` by default): a small, diff-friendly JSON
 * document a team can commit. Everything here is pure: reading and writing the file is the
 * adapter's job.
 */

/** What a reviewer decided about a flagged AI-generated snippet. */
export const REVIEW_STATUSES = ['reviewed', 'fixed', 'dismissed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

const DecisionSchema = z
  .object({
    fingerprint: z.string().regex(/^s1:[0-9a-f]{24}$/, 'must look like "s1:" followed by 24 hex digits'),
    anchors: z.array(z.string().regex(/^a1:[^\s:]+:[0-9a-f]{24}$/, 'must look like "a1:<ruleId>:<24 hex digits>"')),
    status: z.enum(REVIEW_STATUSES),
    reason: z.string().trim().min(1).max(2000).optional(),
    file: z.string().max(4096).optional(),
    ruleIds: z.array(z.string()).default([]),
    decidedAt: z.iso.datetime({ offset: true }),
    decidedBy: z.string().max(200).optional(),
  })
  .refine((d) => d.status !== 'dismissed' || (d.reason !== undefined && d.reason.length > 0), {
    message: 'a dismissed snippet needs a non-empty "reason"',
    path: ['reason'],
  });

export const ReviewFileSchema = z.object({
  version: z.literal(1),
  decisions: z.array(DecisionSchema).default([]),
});

export type ReviewDecision = z.infer<typeof DecisionSchema>;
export type ReviewFile = z.infer<typeof ReviewFileSchema>;

export type ReviewStoreErrorCode = 'REVIEW_FILE_NOT_JSON' | 'REVIEW_FILE_INVALID' | 'REVIEW_DECISION_INVALID';

/** Coded error for a review file or decision that does not validate. */
export class ReviewStoreError extends TrustLensError<ReviewStoreErrorCode> {
  override readonly name = 'ReviewStoreError';
}

/** An empty review file. */
export function emptyReviewFile(): ReviewFile {
  return { version: 1, decisions: [] };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Parses the text of a review file. Blank text is an empty file.
 * @throws ReviewStoreError `REVIEW_FILE_NOT_JSON` or `REVIEW_FILE_INVALID` with the failing paths.
 */
export function parseReviewFile(text: string): ReviewFile {
  if (text.trim() === '') return emptyReviewFile();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ReviewStoreError('REVIEW_FILE_NOT_JSON', `review file is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const parsed = ReviewFileSchema.safeParse(raw);
  if (!parsed.success) throw new ReviewStoreError('REVIEW_FILE_INVALID', `review file is invalid: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Serialises deterministically (sorted decisions, sorted keys order fixed, trailing newline) so diffs stay small. */
export function serializeReviewFile(file: ReviewFile): string {
  const decisions = [...file.decisions]
    .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint) || a.decidedAt.localeCompare(b.decidedAt))
    .map((d) => ({
      fingerprint: d.fingerprint,
      anchors: [...d.anchors].sort(),
      status: d.status,
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
      ...(d.file !== undefined ? { file: d.file } : {}),
      ruleIds: [...d.ruleIds].sort(),
      decidedAt: d.decidedAt,
      ...(d.decidedBy !== undefined ? { decidedBy: d.decidedBy } : {}),
    }));
  return `${JSON.stringify({ version: 1, decisions }, null, 2)}\n`;
}

function sameAnchors(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

/**
 * Finds the decision for a snippet. Exact text fingerprint first (survives moves, re-indentation,
 * renames); otherwise a decision whose finding anchors equal the snippet's (survives edits to
 * the snippet's other lines), preferring one recorded for `file` when several match.
 */
export function findDecision(file: ReviewFile, key: SnippetKey, filePath?: string): ReviewDecision | undefined {
  const exact = file.decisions.filter((d) => d.fingerprint === key.fingerprint);
  const candidates = exact.length > 0 ? exact : file.decisions.filter((d) => sameAnchors(d.anchors, key.anchors));
  if (candidates.length === 0) return undefined;
  const latest = (list: ReviewDecision[]) => list.reduce((a, b) => (b.decidedAt > a.decidedAt ? b : a));
  const sameFile = filePath === undefined ? [] : candidates.filter((d) => d.file === filePath);
  return latest(sameFile.length > 0 ? sameFile : candidates);
}

/** Input for recording a decision; `decidedAt` defaults to now. */
export interface DecisionInput {
  status: ReviewStatus;
  reason?: string;
  file?: string;
  ruleIds?: string[];
  decidedAt?: string;
  decidedBy?: string;
}

/**
 * Returns a new file where the snippet's decision is `input`, replacing any decision that
 * `findDecision` would have matched for it.
 * @throws ReviewStoreError `REVIEW_DECISION_INVALID` (e.g. dismissed without a reason).
 */
export function recordDecision(file: ReviewFile, key: SnippetKey, input: DecisionInput): ReviewFile {
  const parsed = DecisionSchema.safeParse({
    fingerprint: key.fingerprint,
    anchors: key.anchors,
    status: input.status,
    reason: input.reason,
    file: input.file,
    ruleIds: input.ruleIds ?? [],
    decidedAt: input.decidedAt ?? new Date().toISOString(),
    decidedBy: input.decidedBy,
  });
  if (!parsed.success) throw new ReviewStoreError('REVIEW_DECISION_INVALID', `invalid review decision: ${describeIssues(parsed.error)}`);
  return { version: 1, decisions: [...removeDecision(file, key).decisions, parsed.data] };
}

/** Returns a new file without the decisions that match the snippet (exact fingerprint or same anchors). */
export function removeDecision(file: ReviewFile, key: SnippetKey): ReviewFile {
  return {
    version: 1,
    decisions: file.decisions.filter((d) => d.fingerprint !== key.fingerprint && !sameAnchors(d.anchors, key.anchors)),
  };
}
