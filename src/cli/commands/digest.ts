import * as path from 'node:path';
import type { CliCommand } from '../command';
import { ExitCode } from '../command';
import { printable, serializeModel } from '../../core/signing';
import { isCancellation, TrustLensError } from '../../core/errors';
import { COMMON_MODEL_OPTIONS, SERIALIZATION_OPTIONS, hashAlgorithm, ignoreGitPaths, parse, resolveIgnorePaths, serializationMethod } from '../signingOptions';
import { UsageError } from '../command';

const USAGE = `Usage: trustlens digest MODEL [options]

Prints the OMS root digest of MODEL as sha256:<hex> (the value a signature's subject carries),
computed with the same ignore rules as sign (files method, sha256 unless told otherwise).

Options:
  --ignore-paths PATH   --ignore-git-paths / --no-ignore-git-paths   --allow-symlinks
  --hash-algorithm sha256|blake2b|blake3   --method files|shards   --shard-size N
  --use-cache           reuse digests of unchanged files
  --json                print { rootDigest, resources, serialization } as JSON`;

/** `trustlens digest`: the root digest of a model, like `model_signing digest`. */
export const digestCommand: CliCommand = {
  name: 'digest',
  summary: 'Print the OMS root digest of a model (sha256:<hex>)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { ...COMMON_MODEL_OPTIONS, ...SERIALIZATION_OPTIONS });
    if (positionals.length !== 1) throw new UsageError(positionals.length ? 'expected one MODEL path' : 'missing MODEL path');
    const model = positionals[0];
    const ser = serializationMethod(values);
    try {
      const manifest = await serializeModel(path.resolve(io.cwd, model), {
        method: ser.method,
        shardSize: ser.method === 'shards' ? (ser.shardSize ?? 1_000_000_000) : undefined,
        hashAlgorithm: hashAlgorithm(values),
        ignorePaths: resolveIgnorePaths(values, model, io.cwd),
        ignoreGitPaths: ignoreGitPaths(values),
        allowSymlinks: values['allow-symlinks'] === true,
        useCache: values['use-cache'] === true,
      });
      if (values.json) {
        io.out(JSON.stringify({ rootDigest: manifest.rootDigest, resources: manifest.resources, serialization: manifest.serialization }, null, 2) + '\n');
      } else io.out(`sha256:${manifest.rootDigest}\n`);
      return ExitCode.Ok;
    } catch (e) {
      if (e instanceof UsageError || isCancellation(e) || !TrustLensError.is(e)) throw e;
      io.err(`trustlens digest: ${model}: [${e.code}] ${printable(e.message, Number.MAX_SAFE_INTEGER)}\n`);
      return ExitCode.Usage;
    }
  },
};
