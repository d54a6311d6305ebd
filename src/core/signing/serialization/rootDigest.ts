import { createHash } from 'node:crypto';
import type { ResourceDescriptor } from '../types';
import { SerializationError } from './errors';

const HEX = /^(?:[0-9a-f]{2})*$/;

/**
 * The OMS root digest: SHA-256 over the raw digest bytes of `resources`, in the given order
 * (names and algorithms are not included). No resources gives the SHA-256 of the empty string.
 * Throws INVALID_OPTIONS when a digest is not lowercase hex of even length.
 */
export function computeRootDigest(resources: readonly Pick<ResourceDescriptor, 'digest'>[]): string {
  const h = createHash('sha256');
  for (const r of resources) {
    if (typeof r.digest !== 'string' || !HEX.test(r.digest)) {
      throw new SerializationError('INVALID_OPTIONS', `resource digest is not lowercase hex: ${JSON.stringify(r.digest)}`);
    }
    h.update(Buffer.from(r.digest, 'hex'));
  }
  return h.digest('hex');
}
