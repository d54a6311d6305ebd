/**
 * Mocha runner loaded INSIDE the real extension host (the smoke-test driver's extensionTestsPath).
 * Runs every compiled `*.test.js` next to this file, or `*.reopen.test.js` when
 * TRUSTLENS_E2E_PHASE=reopen (the second session on the same user data, for state restore).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function run(): Promise<void> {
  // Resolved at run time from the repository's node_modules (not bundled).
  const MochaCtor = require('mocha') as typeof import('mocha');
  const mocha = new MochaCtor({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const phase = process.env.TRUSTLENS_E2E_PHASE ?? 'main';
  const grep = process.env.TRUSTLENS_E2E_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => (phase === 'reopen' ? f.endsWith('.reopen.test.js') : f.endsWith('.test.js') && !f.endsWith('.reopen.test.js')))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  console.log(`[e2e] phase ${phase}: ${files.length} test file(s): ${files.join(', ')}`);
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`[e2e] ${failures} failure(s)`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
}
