/**
 * State shared by the format readers while one file is scanned: where findings go, the limits,
 * cancellation, progress, and the nesting depth (archives in archives, pickles in pickles).
 */
import type { ProgressCallback } from '../abort';
import type { ReportBuilder } from './report';
import type { SafetyLimits, SafetyLocation, SafetyVerdict } from './types';

export interface ScanContext {
  report: ReportBuilder;
  limits: SafetyLimits;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** 0 for the file itself. */
  depth: number;
  /** Label prefix for members of nested containers (`outer.zip/inner.pkl`). */
  memberPrefix?: string;
  /** Total bytes of the top-level file (for progress). */
  total: number;
}

/** Member label for an entry inside the current container. */
export function memberLabel(ctx: ScanContext, name: string | undefined): string | undefined {
  if (name === undefined) return ctx.memberPrefix;
  return ctx.memberPrefix ? `${ctx.memberPrefix}/${name}` : name;
}

/** Location helper. */
export function at(member: string | undefined, offset: number): SafetyLocation {
  return member === undefined ? { offset } : { member, offset };
}

/** Adds a finding located in `member`. */
export function note(ctx: ScanContext, verdict: SafetyVerdict, code: string, message: string, member?: string, offset = 0): void {
  ctx.report.addFinding(verdict, code, message, member === undefined && offset === 0 ? undefined : at(member, offset));
}

/** A child context one level deeper. */
export function nestedContext(ctx: ScanContext, prefix: string | undefined): ScanContext {
  return { ...ctx, depth: ctx.depth + 1, memberPrefix: prefix };
}
