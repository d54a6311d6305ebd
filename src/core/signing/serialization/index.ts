/**
 * Public API of OMS model serialization (walking + hashing a model into a Manifest) and of the
 * digest cache. Other code imports only from this module.
 */
export { serializeModel, shardRanges, INLINE_HASH_BYTES, COLD_INLINE_HASH_BYTES, RACY_WINDOW_NS, type SerializeModelOptions } from './serializeModel';
export { computeRootDigest } from './rootDigest';
export { compareManifestPaths, compareManifestKeys, comparePosixPaths, compareCodePoints, parseShardName, shardName, posixParts, type ManifestKey } from './order';
export { listModelFiles, type ListOptions, type ModelFile, type ModelListing } from './walk';
export { buildIgnoreSet, isIgnored, DEFAULT_GIT_IGNORES, type IgnoreSet } from './ignore';
export { modelNameOf } from './modelName';
export { SerializationError, type SerializationErrorCode } from './errors';
export { DigestCache, openDigestCache, defaultCacheDir, identityOf, sameIdentity, DIGEST_CACHE_FILE, type FileIdentity } from '../digestCache';
export { HashPool, sharedHashPool, hashInline, type HashPoolOptions, type HashRunOptions } from '../hashing/pool';
export { createStreamHasher, DIGEST_BYTES, HASH_ALGORITHMS, type StreamHasher } from '../hashing/streamHasher';
export type { HashJob } from '../hashing/job';
export { resolveWorkerSource, BUNDLED_WORKER_NAME, type WorkerSource } from '../hashing/workerSource';
