// Bundles the extension, the CLI and the hashing worker into dist/ (vscode stays external),
// and copies the tree-sitter runtime + grammar wasm files into dist/wasm/.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const GRAMMARS = ['python', 'javascript', 'typescript', 'tsx', 'java', 'go', 'cpp', 'ruby', 'php', 'rust', 'c-sharp'];
const wasmFiles = () => [
  path.join(path.dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'),
  ...GRAMMARS.map((l) => path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', `tree-sitter-${l}.wasm`)),
];

const copyWasm = {
  name: 'copy-wasm',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync('dist/wasm', { recursive: true });
      for (const f of wasmFiles()) if (fs.existsSync(f)) fs.copyFileSync(f, path.join('dist/wasm', path.basename(f)));
    });
  },
};

// Entry points that exist; features land incrementally, so a missing optional entry is skipped.
const ENTRIES = {
  extension: 'src/extension.ts',
  cli: 'src/cli/main.ts',
  hashWorker: 'src/core/signing/hashWorker.ts',
  scanWorker: 'src/core/scanning/scanWorker.ts',
  safetyWorker: 'src/core/modelsafety/safetyWorker.ts',
};

(async () => {
  const entryPoints = Object.fromEntries(Object.entries(ENTRIES).filter(([, f]) => fs.existsSync(f)));
  const ctx = await esbuild.context({
    entryPoints,
    outdir: 'dist',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    keepNames: true,
    // web-tree-sitter (ESM) calls createRequire(import.meta.url), which is undefined in a CJS bundle.
    define: { 'import.meta.url': '__trustlensImportMetaUrl' },
    banner: { js: "const __trustlensImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [copyWasm],
  });
  if (watch) await ctx.watch();
  else {
    await ctx.rebuild();
    await ctx.dispose();
    const cli = path.join('dist', 'cli.js');
    if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
