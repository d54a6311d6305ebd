#!/usr/bin/env node
// `npm run package`: production build + .vsix with @vscode/vsce. Everything is bundled by esbuild,
// so the package holds dist/ (extension, CLI, workers, wasm), media/, README, CHANGELOG, LICENSE
// (see .vscodeignore). Writes dist-vsix/trustlens-<version>.vsix and dist-vsix/latest.json.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const outDir = path.join(REPO, 'dist-vsix');
const vsix = path.join(outDir, `${pkg.name}-${pkg.version}.vsix`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status})`);
}

const t0 = Date.now();
run(process.execPath, ['esbuild.js', '--production']); // always package a fresh production bundle
// Check what would ship: the bundle, wasm, media and docs only; never sources, tests or node_modules.
const ls = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' });
if (ls.status !== 0) throw new Error(`vsce ls failed: ${ls.stderr}`);
const shipped = ls.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
const forbidden = shipped.filter((f) => /^(src|test|scripts|node_modules|out|\.tmp|\.vscode)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map'));
// Every bundle esbuild emitted (extension, CLI, each worker entry) must ship: a worker left out
// of .vscodeignore only fails at run time, inside the installed extension.
const bundles = fs.readdirSync(path.join(REPO, 'dist')).filter((f) => f.endsWith('.js')).map((f) => `dist/${f}`);
const required = [...bundles, 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/icon.png', 'media/activitybar.svg'];
const missing = required.filter((f) => !shipped.includes(f));
if (forbidden.length || missing.length) throw new Error(`package contents wrong: forbidden ${forbidden.join(', ') || '-'}; missing ${missing.join(', ') || '-'}`);
fs.mkdirSync(outDir, { recursive: true });
// --no-dependencies: the bundle has no runtime node_modules. --allow-missing-repository and
// --no-rewrite-relative-links: the project has no public repository URL yet; README images
// stay relative (they render in the VS Code extension page from the package itself).
run(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix]);
const size = fs.statSync(vsix).size;
fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify({ vsix, size, version: pkg.version }, null, 2));
console.log(`[package] ${path.relative(REPO, vsix)}: ${(size / 1024).toFixed(0)} KB in ${Date.now() - t0} ms`);
