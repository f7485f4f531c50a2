// What the user sees when no server can be started: a notification that names every
// candidate tried and why it failed, the same in the output channel, and INSTALL.md.
import * as path from 'node:path';
import * as vscode from 'vscode';

import type { Discovery } from './serverCommand';

const INSTALL = 'Install Instructions';
const OUTPUT = 'Show Output';
const SERVER_PATH_SETTING = 'connectPolicy.server.path';

export async function openInstallInstructions(extensionUri: vscode.Uri): Promise<void> {
  const uri = vscode.Uri.joinPath(extensionUri, 'INSTALL.md');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // No Markdown preview (the built-in extension disabled): show the text itself.
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}

/** Opens the Settings UI at one setting. */
export async function openSetting(setting: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', `@id:${setting}`);
}

/** The notification's text (also what the e2e test looks for on screen). */
export function notFoundMessage(discovery: Extract<Discovery, { found: false }>): string {
  const tried = discovery.attempts.map((attempt) => `${attempt.description}: ${attempt.problem}`);
  if (discovery.setting !== undefined) {
    return `Connect Policy: cannot start the server set in ${tried.join('; ')}.`;
  }
  return (
    `Connect Policy: no language server found. Tried ${tried.join('; ')}. ` +
    `Install connect-policy-lsp, or set ${SERVER_PATH_SETTING} to its full path.`
  );
}

export async function reportServerNotFound(
  discovery: Extract<Discovery, { found: false }>,
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
): Promise<void> {
  log.error('Could not start the Connect Policy language server. Tried:');
  for (const attempt of discovery.attempts) {
    log.error(`  - ${attempt.description}: ${attempt.problem}`);
  }
  if (discovery.searchedPath.length > 0) {
    log.error(`The PATH searched, in full: ${discovery.searchedPath.join(path.delimiter)}`);
  }
  log.error(
    `To install it, see "Connect Policy: Show Install Instructions"; or set ${SERVER_PATH_SETTING} ` +
      '(the server restarts when it changes).',
  );

  // The setting that failed, or else the one that names the server wherever it is.
  const setting = discovery.setting ?? SERVER_PATH_SETTING;
  const settingButton = setting === SERVER_PATH_SETTING ? 'Set Server Path' : 'Set Python Path';
  const choice = await vscode.window.showErrorMessage(notFoundMessage(discovery), settingButton, INSTALL, OUTPUT);
  if (choice === settingButton) {
    await openSetting(setting);
  } else if (choice === INSTALL) {
    await openInstallInstructions(extensionUri);
  } else if (choice === OUTPUT) {
    log.show(true);
  }
}
