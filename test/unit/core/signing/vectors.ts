/** Paths of the shared OMS vectors and temp-dir helpers for signing tests (tests only; dist never reads ../shared). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Repo root is four levels up from test/unit/core/signing; the vectors live in ../shared. */
export const OMS = path.resolve(__dirname, '../../../../../shared/vectors/oms');
export const MT = path.join(OMS, 'model-transparency/scripts/tests');
export const KEYS = path.join(MT, 'keys/certificate');
export const SPEC = path.join(OMS, 'model-signing-spec/test-vectors/v1.0');
export const PAYLOADS = path.join(OMS, 'model-transparency/tests/_signing/testdata/signing/TestPayload');

export const keyFile = (name: string) => fs.readFileSync(path.join(KEYS, name));
export const PUB = () => keyFile('signing-key-pub.pem');
export const PRIV = () => keyFile('signing-key.pem');

/** A fresh temp dir, removed by `cleanup()`. */
export function tempDir(prefix = 'tl-sign-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies a vector dir (or file) into a new temp dir; returns the copy's path. */
export function copyVector(rel: string): string {
  const src = path.join(MT, rel);
  const dst = path.join(tempDir(), path.basename(src));
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}

/** Writes `files` (relative path → content) under a new temp model dir. */
export function makeModel(files: Record<string, string | Buffer>, name = 'model'): string {
  const dir = path.join(tempDir(), name);
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes every temp dir this process created under os.tmpdir() with our prefix. */
export function removeTemp(p: string): void {
  fs.rmSync(path.dirname(p), { recursive: true, force: true });
}
