// @vscode/test-cli runner for machines that CAN download VS Code (desktop Electron build):
//   npm run test:vscode-electron
// It runs the same integration tests as `npm run test:e2e` (test/e2e/integration/*.test.ts, compiled
// to out/e2e/integration by scripts/vscode-host/build-e2e.js) on the generated sample workspace.
// On machines without access to update.code.visualstudio.com use `npm run test:e2e` (code-server).
import { defineConfig } from '@vscode/test-cli';
import * as fs from 'node:fs';

const dir = 'out/e2e/integration';
const files = fs.existsSync(dir)
  ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js') && !f.endsWith('.reopen.test.js')).map((f) => `${dir}/${f}`)
  : [`${dir}/*.test.js`];

export default defineConfig({
  label: 'integration',
  files,
  version: process.env.VSCODE_TEST_VERSION ?? 'stable',
  workspaceFolder: './test/fixtures/workspace-e2e',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 60000, color: true },
});
