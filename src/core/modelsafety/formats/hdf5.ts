/**
 * Legacy Keras `.h5` (HDF5). A full HDF5 parser is out of scope: this is a bounded streaming byte
 * search. Keras stores the model as JSON in the root attributes `model_config` (and
 * `training_config`); attribute values sit contiguously after the attribute name in the object
 * header or dense attribute heap. We find each attribute name, extract the balanced JSON object
 * that follows, and analyse it like a `.keras` config. As a backstop, a raw `"Lambda"` class name
 * anywhere in the file is flagged even if the JSON could not be delimited.
 */
import type { RandomAccess } from '../randomAccess';
import { note, type ScanContext } from '../scanContext';
import { analyzeKerasJson } from './keras';

const SIGNATURE = Buffer.from('\x89HDF\r\n\x1a\n', 'latin1');
const CHUNK = 4 * 1024 * 1024;
const NAMES = ['model_config', 'training_config'];
const MAX_JSON = 64 * 1024 * 1024;
const LOOKAHEAD = 4096;

/** True when the buffer starts with the HDF5 signature. */
export function looksLikeHdf5(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).equals(SIGNATURE);
}

/** Returns the end index (exclusive) of the JSON object starting at `start`, or -1. */
function jsonObjectEnd(buf: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Scans an HDF5 file for Keras model configs. */
export async function scanHdf5(ra: RandomAccess, ctx: ScanContext, member?: string): Promise<void> {
  const found = new Set<string>();
  let lambdaBytes = false;
  const overlap = 64;
  for (let pos = 0; pos < ra.size; pos += CHUNK - overlap) {
    const chunk = await ra.readAt(pos, CHUNK);
    ctx.onProgress?.(pos + chunk.length, ctx.total, member);
    if (!lambdaBytes && (chunk.includes('"class_name": "Lambda"') || chunk.includes('"class_name":"Lambda"'))) lambdaBytes = true;
    for (const name of NAMES) {
      for (let i = chunk.indexOf(name); i >= 0; i = chunk.indexOf(name, i + 1)) {
        const window = await ra.readAt(pos + i, LOOKAHEAD);
        const brace = window.indexOf('{"');
        if (brace < 0) continue;
        // Read generously and delimit the object; stop at MAX_JSON.
        let size = 1 << 16;
        for (;;) {
          const text = await ra.readAt(pos + i + brace, size);
          const end = jsonObjectEnd(text, 0);
          if (end > 0) {
            if (!found.has(name)) {
              if (analyzeKerasJson(text.subarray(0, end).toString('utf8'), ctx, member, `HDF5 attribute ${name}`)) found.add(name);
            }
            break;
          }
          if (text.length < size || size >= MAX_JSON) break;
          size *= 4;
        }
      }
    }
    if (chunk.length < CHUNK) break;
  }
  if (!found.has('model_config')) {
    note(ctx, 'safe', 'HDF5_NO_MODEL_CONFIG', 'no Keras model_config attribute found: weights only (HDF5 was byte-searched, not fully parsed)', member);
  }
  // Backstop only when no config could be delimited and parsed.
  if (lambdaBytes && !found.has('model_config')) note(ctx, 'dangerous', 'KERAS_LAMBDA', 'a Keras "Lambda" layer class name appears in the file', member);
}
