import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Repository root, computed from this file's location. */
export const REPO_ROOT = path.resolve(__dirname, '../../../../..');
/** The read-only shared test vectors (present next to the repo in CI). */
export const OMS_VECTORS = path.resolve(REPO_ROOT, '../shared/vectors/oms');
export const DERIVED_FIXTURES = path.join(OMS_VECTORS, 'derived/fixtures');
export const SERIALIZATION_GOLDENS = path.join(OMS_VECTORS, 'model-transparency/tests/_serialization/testdata');
export const PAYLOAD_GOLDENS = path.join(OMS_VECTORS, 'model-transparency/tests/_signing/testdata/signing/TestPayload');

/** A fresh temp directory, removed by the returned cleanup. */
export function makeTempDir(prefix = 'tl-ser-'): { dir: string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function makeWritable(p: string): void {
  const st = fs.lstatSync(p);
  if (st.isSymbolicLink()) return;
  fs.chmodSync(p, st.mode | 0o200);
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) makeWritable(path.join(p, e));
}

/** The fixtures: folder name → model path inside it. */
export const FIXTURES: Record<string, string> = {
  sample_model_folder: 'sample_model',
  sample_model_file: 'file_model',
  deep_model_folder: 'deep_model',
  empty_model_file: 'empty_file_model',
  empty_model_folder: 'empty_folder_model',
  model_folder_with_empty_file: 'empty_file_inside_model',
  symlink_model_folder: 'symlink_model',
};

/**
 * Copies every derived fixture into `dest` and recreates what git cannot store: the empty
 * folder model and the `symlink_file → ../external/file` symlink.
 * Returns fixture name → absolute model path.
 */
export function materializeFixtures(dest: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [fixture, model] of Object.entries(FIXTURES)) {
    const src = path.join(DERIVED_FIXTURES, fixture);
    const dst = path.join(dest, fixture);
    if (fs.existsSync(src)) {
      fs.cpSync(src, dst, { recursive: true, verbatimSymlinks: true });
      makeWritable(dst);
    }
    out[fixture] = path.join(dst, model);
  }
  fs.mkdirSync(out.empty_model_folder, { recursive: true });
  const link = path.join(out.symlink_model_folder, 'symlink_file');
  fs.rmSync(link, { force: true });
  fs.symlinkSync('../external/file', link);
  return out;
}

/** Writes files given as relative POSIX path → content under `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}
