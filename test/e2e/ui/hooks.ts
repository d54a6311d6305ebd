// Mocha root hooks for the UI suite (loaded with --require by scripts/vscode-host/e2e.js).
import { closeBrowser } from './harness';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await closeBrowser();
  },
};
