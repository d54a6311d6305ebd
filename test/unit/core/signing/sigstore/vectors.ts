/** Paths to the shared OMS vectors (read-only, `../shared` next to the repo) for the Sigstore tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../../..');
export const OMS_VECTORS = path.resolve(repoRoot, '../shared/vectors/oms');
export const MT_TESTS = path.join(OMS_VECTORS, 'model-transparency/scripts/tests');
export const SPEC_VECTORS = path.join(OMS_VECTORS, 'model-signing-spec/test-vectors/v1.0');
export const CUSTOM_TRUST_CONFIG = path.join(OMS_VECTORS, 'model-transparency/tests/_signing/testdata/custom_trust_config.json');

/** The identity and issuer every upstream Sigstore vector was signed with (vectors README). */
export const VECTOR_IDENTITY = 'stefanb@us.ibm.com';
export const VECTOR_ISSUER = 'https://sigstore.verify.ibm.com/oauth2';

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A deep copy, so tests can mutate bundles freely. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
