/**
 * Which assistant most likely produced a live edit. The editor API does not say which extension
 * inserted text, so the only honest guess is "the one assistant that is running": with none or
 * several, no name is given.
 */

/** Extension ids (lower case) of known code assistants and their display names. */
export const KNOWN_ASSISTANTS: Readonly<Record<string, string>> = {
  'github.copilot': 'Copilot',
  'github.copilot-chat': 'Copilot',
  'codeium.codeium': 'Codeium',
  'codeium.windsurf': 'Windsurf',
  'tabnine.tabnine-vscode': 'Tabnine',
  'continue.continue': 'Continue',
  'anthropic.claude-code': 'Claude',
  'saoudrizwan.claude-dev': 'Cline',
  'amazonwebservices.amazon-q-vscode': 'Amazon Q',
  'google.geminicodeassist': 'Gemini',
  'sourcegraph.cody-ai': 'Cody',
  'supermaven.supermaven': 'Supermaven',
};

/** The assistant name when exactly one known assistant is active, else undefined. */
export function soleActiveAssistant(activeExtensionIds: readonly string[]): string | undefined {
  const names = new Set(activeExtensionIds.map((id) => KNOWN_ASSISTANTS[id.toLowerCase()]).filter((n): n is string => n !== undefined));
  return names.size === 1 ? [...names][0] : undefined;
}
