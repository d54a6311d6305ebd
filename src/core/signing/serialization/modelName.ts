import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * subject[0].name as model_signing computes it: `pathlib.Path(model_path).name`, or, when that
 * is empty or '..' (e.g. '.', '/x/..'), the basename of the resolved (symlink-free) path.
 */
export async function modelNameOf(modelPath: string): Promise<string> {
  const sep = process.platform === 'win32' ? /[\\/]/ : /\//;
  const parts = modelPath.split(sep).filter((c) => c !== '' && c !== '.');
  const last = parts.length > 0 ? parts[parts.length - 1] : '';
  // A bare drive or root has no name either.
  if (last !== '' && last !== '..' && !(process.platform === 'win32' && /^[A-Za-z]:$/.test(last) && parts.length === 1)) return last;
  const resolved = await fs.promises.realpath(modelPath).catch(() => path.resolve(modelPath));
  return path.basename(resolved);
}
