// What the user sees when no server can be started: a notification that names every
// candidate tried and why it failed, the same in the output channel, and INSTALL.md.
import * as vscode from 'vscode';

import type { Discovery } from './serverCommand';

const INSTALL = 'Install instructions';
const SETTINGS = 'Open Settings';
const OUTPUT = 'Show Output';

export async function openInstallInstructions(extensionUri: vscode.Uri): Promise<void> {
  const uri = vscode.Uri.joinPath(extensionUri, 'INSTALL.md');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // No Markdown preview (the built-in extension disabled): show the text itself.
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}

export async function reportServerNotFound(
  discovery: Extract<Discovery, { found: false }>,
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const tried = discovery.attempts.map((attempt) => `${attempt.description}: ${attempt.problem}`);
  log.error('Could not start the Connect Policy language server. Tried:');
  for (const line of tried) {
    log.error(`  - ${line}`);
  }
  log.error(
    'To install it, see "Connect Policy: Show Install Instructions"; then "Connect Policy: Restart Server".',
  );

  const message =
    discovery.fromSetting
      ? `Connect Policy: cannot start the server set in ${tried.join('; ')}.`
      : `Connect Policy: no language server found. Tried ${tried.join('; ')}. ` +
        'Install connect-policy-lsp, or set connectPolicy.server.path.';
  const choice = await vscode.window.showErrorMessage(message, INSTALL, SETTINGS, OUTPUT);
  if (choice === INSTALL) {
    await openInstallInstructions(extensionUri);
  } else if (choice === SETTINGS) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'connectPolicy.server');
  } else if (choice === OUTPUT) {
    log.show(true);
  }
}
