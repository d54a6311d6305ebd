/**
 * Owns web-tree-sitter: one runtime init per process, grammars loaded lazily and cached, and
 * one Parser per grammar. Wasm files are found in an explicit dir (the extension passes
 * `dist/wasm`), next to the bundle (`<bundle dir>/wasm`), or in node_modules (tests under tsx).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { TrustLensError } from '../errors';
import { grammarFileFor, type LanguageId } from './languages';

/** Errors raised by the scanning core. */
export type ScanErrorCode = 'WASM_NOT_FOUND' | 'GRAMMAR_LOAD_FAILED' | 'UNSUPPORTED_LANGUAGE' | 'PARSE_FAILED' | 'DISPOSED';
export class ScanError extends TrustLensError<ScanErrorCode> {
  override readonly name = 'ScanError';
}

const RUNTIME_WASM = 'web-tree-sitter.wasm';

function moduleDir(spec: string): string | undefined {
  try {
    return path.dirname(require.resolve(spec));
  } catch {
    return undefined;
  }
}

/** Directories searched, in order, for a wasm file. */
function candidateDirs(wasmDir: string | undefined, file: string): string[] {
  const dirs: string[] = [];
  if (wasmDir) dirs.push(wasmDir);
  // Bundled: dist/<entry>.js sits next to dist/wasm/.
  dirs.push(path.join(__dirname, 'wasm'));
  if (file === RUNTIME_WASM) {
    const d = moduleDir('web-tree-sitter');
    if (d) dirs.push(d);
  } else {
    const d = moduleDir('@vscode/tree-sitter-wasm/package.json');
    if (d) dirs.push(path.join(d, 'wasm'));
  }
  return dirs;
}

/** Absolute path of a wasm file, or a WASM_NOT_FOUND error listing where it looked. */
export function locateWasm(file: string, wasmDir?: string): string {
  const dirs = candidateDirs(wasmDir, file);
  for (const d of dirs) {
    const p = path.join(d, file);
    if (fs.existsSync(p)) return p;
  }
  throw new ScanError('WASM_NOT_FOUND', `${file} not found (looked in ${dirs.join(', ')})`);
}

let runtimeInit: Promise<void> | undefined;

function initRuntime(wasmDir?: string): Promise<void> {
  if (!runtimeInit) {
    const runtime = locateWasm(RUNTIME_WASM, wasmDir);
    runtimeInit = Parser.init({ locateFile: () => runtime }).catch((e: unknown) => {
      runtimeInit = undefined;
      throw new ScanError('WASM_NOT_FOUND', `could not start web-tree-sitter from ${runtime}`, { cause: e });
    });
  }
  return runtimeInit;
}

/** Process-wide grammar cache: Language objects are immutable and can be shared. */
const languages = new Map<string, Promise<Language>>();

/** A parser host: lazily loaded grammars and one reusable Parser per grammar. */
export interface ParserHost {
  /** Parser for a language (grammar loaded on first use). */
  parserFor(id: LanguageId): Promise<Parser>;
  /** Frees the parsers. Grammars stay cached for the process. */
  dispose(): void;
}

/** Creates a parser host. `wasmDir` overrides where wasm files are looked up first. */
export function createParserHost(wasmDir?: string): ParserHost {
  const parsers = new Map<string, Parser>();
  let disposed = false;

  async function language(id: LanguageId): Promise<Language> {
    await initRuntime(wasmDir);
    const file = grammarFileFor(id);
    let lang = languages.get(file);
    if (!lang) {
      lang = (async () => {
        const p = locateWasm(file, wasmDir);
        try {
          return await Language.load(new Uint8Array(await fs.promises.readFile(p)));
        } catch (e) {
          throw new ScanError('GRAMMAR_LOAD_FAILED', `could not load grammar ${file}`, { cause: e });
        }
      })();
      languages.set(file, lang);
      lang.catch(() => languages.delete(file));
    }
    return lang;
  }

  return {
    async parserFor(id) {
      if (disposed) throw new ScanError('DISPOSED', 'scanner was disposed');
      const file = grammarFileFor(id);
      let parser = parsers.get(file);
      if (!parser) {
        const lang = await language(id);
        if (disposed) throw new ScanError('DISPOSED', 'scanner was disposed');
        parser = parsers.get(file);
        if (!parser) {
          parser = new Parser();
          parser.setLanguage(lang);
          parsers.set(file, parser);
        }
      }
      return parser;
    },
    dispose() {
      disposed = true;
      for (const p of parsers.values()) p.delete();
      parsers.clear();
    },
  };
}
