import * as assert from 'node:assert/strict';
import { createScanner, type Finding, type Scanner } from '../../../../src/core/scanning/index';

/**
 * JS/TS checks that look at a function's own parameters (request-serving helpers, log-entry and
 * header builders, regexes, URL builders): TypeScript annotations and defaults must not hide the
 * parameter names, and a check in the function must still silence them.
 */
describe('scanning JS/TS parameter checks', () => {
  let scanner: Scanner;
  before(() => {
    scanner = createScanner();
  });
  after(() => scanner.dispose());

  const ids = async (code: string, lang: string): Promise<string[]> => (await scanner.scan(code, lang)).findings.map((f: Finding) => f.ruleId).sort();

  it('finds them in TypeScript with annotated and optional parameters', async () => {
    const code = [
      'function sendAsset(req: Request, res: Response, file: string): void {',
      '  fs.createReadStream(file).pipe(res);',
      '}',
      'function formatAuditLog(action: string, user?: string): string {',
      '  return `[audit] ${user}: ${action}`;',
      '}',
      'function matches(text: string, pattern = ".*"): boolean { return new RegExp(pattern).test(text); }',
      'function withLang(headers: Record<string, string>, lang: string) { headers["Content-Language"] = lang; return headers; }',
      'function userUrl(baseUrl: string, id: string): string { return `${baseUrl}/${id}`; }',
    ].join('\n');
    assert.deepEqual(await ids(code, 'typescript'), ['header-injection', 'log-injection', 'path-traversal', 'regex-dos', 'ssrf']);
  });

  it('stays quiet when the function checks the value itself', async () => {
    const code = [
      'function sendAsset(req: Request, res: Response, file: string): void {',
      '  if (file.includes("..")) { res.end(); return; }',
      '  fs.createReadStream(file).pipe(res);',
      '}',
      'function formatAuditLog(action: string): string {',
      '  const clean = action.replace(/[\\r\\n]/g, " ");',
      '  return `[audit] ${clean}`;',
      '}',
      'function matches(text: string, pattern: string): boolean { return new RegExp(escapeRegExp(pattern)).test(text); }',
      'function withLang(headers: Record<string, string>, lang: string) { if (/[\\r\\n]/.test(lang)) throw new Error("bad"); headers["Content-Language"] = lang; return headers; }',
      'function userUrl(baseUrl: string, id: string): string | null { return /^\\w+$/.test(id) ? `${baseUrl}/${id}` : null; }',
    ].join('\n');
    assert.deepEqual(await ids(code, 'typescript'), []);
  });
});
