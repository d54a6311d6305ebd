/**
 * The languages the scanner understands: VS Code language ids, the grammar wasm that parses
 * each one, and file-extension lookup. C has no grammar of its own in @vscode/tree-sitter-wasm,
 * so it is parsed with the C++ grammar (a superset for the constructs the rules look at).
 */

/** Language ids (VS Code's `languageId` values) the scanner accepts. */
export type LanguageId =
  | 'python'
  | 'javascript'
  | 'javascriptreact'
  | 'typescript'
  | 'typescriptreact'
  | 'java'
  | 'go'
  | 'c'
  | 'cpp'
  | 'ruby'
  | 'php'
  | 'rust'
  | 'csharp';

/** Rule families: languages that share one rule dialect (e.g. TS uses the JS rules). */
export type RuleLanguage = 'python' | 'javascript' | 'java' | 'go' | 'c' | 'ruby' | 'php' | 'rust' | 'csharp';

export const SUPPORTED_LANGUAGES: readonly LanguageId[] = [
  'python',
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'java',
  'go',
  'c',
  'cpp',
  'ruby',
  'php',
  'rust',
  'csharp',
];

interface LanguageInfo {
  /** Grammar wasm file name inside the wasm dir. */
  grammar: string;
  /** Which rule family applies. */
  family: RuleLanguage;
}

const INFO: Record<LanguageId, LanguageInfo> = {
  python: { grammar: 'tree-sitter-python.wasm', family: 'python' },
  javascript: { grammar: 'tree-sitter-javascript.wasm', family: 'javascript' },
  // The JavaScript grammar parses JSX, so .jsx needs no separate grammar.
  javascriptreact: { grammar: 'tree-sitter-javascript.wasm', family: 'javascript' },
  typescript: { grammar: 'tree-sitter-typescript.wasm', family: 'javascript' },
  typescriptreact: { grammar: 'tree-sitter-tsx.wasm', family: 'javascript' },
  java: { grammar: 'tree-sitter-java.wasm', family: 'java' },
  go: { grammar: 'tree-sitter-go.wasm', family: 'go' },
  c: { grammar: 'tree-sitter-cpp.wasm', family: 'c' },
  cpp: { grammar: 'tree-sitter-cpp.wasm', family: 'c' },
  ruby: { grammar: 'tree-sitter-ruby.wasm', family: 'ruby' },
  php: { grammar: 'tree-sitter-php.wasm', family: 'php' },
  rust: { grammar: 'tree-sitter-rust.wasm', family: 'rust' },
  csharp: { grammar: 'tree-sitter-c-sharp.wasm', family: 'csharp' },
};

const EXTENSIONS: Record<string, LanguageId> = {
  py: 'python',
  pyw: 'python',
  pyi: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  java: 'java',
  go: 'go',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  'c++': 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  rb: 'ruby',
  rake: 'ruby',
  php: 'php',
  phtml: 'php',
  rs: 'rust',
  cs: 'csharp',
};

/** Aliases other tools use for the same languages (CLI flags, dataset labels, SARIF). */
const ALIASES: Record<string, LanguageId> = {
  py: 'python',
  js: 'javascript',
  node: 'javascript',
  ts: 'typescript',
  'c++': 'cpp',
  'c#': 'csharp',
  cs: 'csharp',
  'c-sharp': 'csharp',
  rb: 'ruby',
  golang: 'go',
  rs: 'rust',
};

/** True when `id` is a language id the scanner accepts. */
export function isSupportedLanguage(id: string): id is LanguageId {
  return Object.prototype.hasOwnProperty.call(INFO, id);
}

/** Normalizes a language id or common alias ("py", "c#", "golang") to a LanguageId, or undefined. */
export function normalizeLanguageId(id: string): LanguageId | undefined {
  const lower = id.toLowerCase();
  if (isSupportedLanguage(lower)) return lower;
  return ALIASES[lower];
}

/** The language for a file path, from its extension; undefined when not scanned. */
export function languageForPath(filePath: string): LanguageId | undefined {
  const base = filePath.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 && !base.startsWith('.')) return undefined;
  return EXTENSIONS[base.slice(dot + 1).toLowerCase()];
}

/** Grammar wasm file for a language. */
export function grammarFileFor(id: LanguageId): string {
  return INFO[id].grammar;
}

/** The rule family (dialect) a language uses. */
export function ruleLanguageFor(id: LanguageId): RuleLanguage {
  return INFO[id].family;
}

/** Every grammar file the scanner may load (for bundling checks). */
export const GRAMMAR_FILES: readonly string[] = [...new Set(Object.values(INFO).map((i) => i.grammar))];
