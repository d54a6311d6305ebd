import * as assert from 'node:assert/strict';
import * as path from 'node:path';

// The adapter is a plain node script (test/conformance/adapter); it exports its argument mapping.
const { toCliArgs } = require(path.resolve(__dirname, '../../../../conformance/adapter')) as {
  toCliArgs(argv: string[], env?: Record<string, string>): string[];
};

describe('OMS conformance adapter: protocol → trustlens CLI', () => {
  it('maps sign-model for the certificate method', () => {
    assert.deepEqual(
      toCliArgs(['sign-model', '--method', 'certificate', '--model-path', '/m', '--output-bundle', '/b.sig', '--private-key', 'k.pem', '--signing-cert', 'c.pem', '--cert-chain', 'i.pem', '--cert-chain', 'r.pem', '--ignore-paths', '/m/x']),
      ['sign', 'certificate', '/m', '--signature', '/b.sig', '--private-key', 'k.pem', '--signing-certificate', 'c.pem', '--certificate-chain', 'i.pem', '--certificate-chain', 'r.pem', '--ignore-paths', '/m/x'],
    );
  });

  it('maps verify-model for sigstore, adding --offline only when asked', () => {
    const argv = ['verify-model', '--method', 'sigstore', '--model-path', '/m', '--bundle', '/b.sig', '--identity', 'a@b', '--identity-provider', 'https://i', '--ignore-unsigned-files'];
    const base = ['verify', 'sigstore', '/m', '--signature', '/b.sig', '--identity', 'a@b', '--identity-provider', 'https://i', '--ignore-unsigned-files'];
    assert.deepEqual(toCliArgs(argv, {}), base);
    assert.deepEqual(toCliArgs(argv, { TRUSTLENS_SIGSTORE_OFFLINE: '1' }), [...base, '--offline']);
  });

  it('adds the runner trust config to sigstore signing and verification only', () => {
    const env = { TRUSTLENS_SIGSTORE_TRUST_CONFIG: '/tmp/tc.json' };
    assert.deepEqual(toCliArgs(['sign-model', '--method', 'sigstore', '--model-path', '/m', '--output-bundle', 'b', '--identity-token', 't.o.k'], env), [
      'sign', 'sigstore', '/m', '--signature', 'b', '--identity-token', 't.o.k', '--trust-config', '/tmp/tc.json',
    ]);
    assert.ok(!toCliArgs(['verify-model', '--method', 'key', '--model-path', '/m', '--bundle', 'b'], env).includes('--trust-config'));
  });

  it('maps verify-model for keys and staging', () => {
    assert.deepEqual(toCliArgs(['verify-model', '--method', 'key', '--model-path', '/m', '--bundle', 'b', '--public-key', 'p.pem', '--use-staging'], {}), [
      'verify', 'key', '/m', '--signature', 'b', '--public-key', 'p.pem', '--use-staging',
    ]);
  });

  it('refuses unknown subcommands, methods, flags and missing paths', () => {
    assert.throws(() => toCliArgs([]), /unknown subcommand/);
    assert.throws(() => toCliArgs(['sign-model', '--method', 'pkcs11', '--model-path', '/m', '--output-bundle', 'b']), /--method/);
    assert.throws(() => toCliArgs(['sign-model', '--method', 'key', '--model-path', '/m']), /--output-bundle/);
    assert.throws(() => toCliArgs(['verify-model', '--method', 'key', '--bundle', 'b']), /--model-path/);
    assert.throws(() => toCliArgs(['verify-model', '--method', 'key', '--model-path', '/m', '--bundle', 'b', '--bogus']), /bogus/);
  });
});
