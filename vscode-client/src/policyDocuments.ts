// Which open documents call for the server. The extension activates on any JSON document
// (`onLanguage:json`/`jsonc`), and VS Code opens some by itself (settings, keybindings, in
// schemes of its own); the server, and any "server not found" message, waits for a document
// the user opened that looks like a policy or matches a policy glob.
import * as path from 'node:path';
import type * as vscode from 'vscode';

/** The schemes of the documents the client sends to the server (client.ts). */
const SCHEMES = new Set(['file', 'untitled']);
const LANGUAGES = new Set(['json', 'jsonc']);
/** The files the extension gives the policy schema (package.json `jsonValidation`). */
const SCHEMA_GLOBS = ['*.policy.json', '*/policies/*.json'];
/** What the server checks as a policy: `Statement` or `Version` at the top, or a lone
 * statement (`Effect`). A property name anywhere is enough here: this only decides whether
 * to start the server, which then decides per document. */
const POLICY_KEY = /"(?:Statement|Version|Effect)"\s*:/;

/** A glob as the server matches `policyGlobs`: against the absolute path or the name, `*` and
 * `**` match any characters including `/`, `?` one character. */
export function globMatches(glob: string, filePath: string): boolean {
  const pattern = glob
    .split(/(\*+|\?)/)
    .map((part) => {
      if (part.startsWith('*')) {
        return '.*';
      }
      return part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${pattern}$`);
  const slashed = filePath.split(path.sep).join('/');
  return regex.test(slashed) || regex.test(path.basename(filePath));
}

/** Whether `document` is a JSON document of the user's that the server would check. */
export function callsForServer(document: vscode.TextDocument, globs: string[]): boolean {
  if (!SCHEMES.has(document.uri.scheme) || !LANGUAGES.has(document.languageId)) {
    return false;
  }
  const filePath = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
  if ([...SCHEMA_GLOBS, ...globs].some((glob) => globMatches(glob, filePath))) {
    return true;
  }
  return POLICY_KEY.test(document.getText());
}
