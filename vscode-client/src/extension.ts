// Entry point: the output channel, the commands, and the reactions to settings changes.
import * as vscode from 'vscode';

import { CLIENT_NAME } from './client';
import { ServerController } from './controller';
import { openInstallInstructions } from './installHelp';
import { affectsServerCommand, affectsServerSettings, SECTION } from './settings';

// Project settings files the server reads; it forgets them on a configuration change.
const PROJECT_SETTINGS_GLOB = '**/{.connect-policy.toml,pyproject.toml}';
const TRACE_SETTING = `${SECTION}.trace.server`;

let controller: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const current = new ServerController(context.extensionUri, log);
  controller = current;
  context.subscriptions.push(log);

  context.subscriptions.push(
    vscode.commands.registerCommand('connectPolicy.restartServer', () => current.restart()),
    vscode.commands.registerCommand('connectPolicy.showOutput', () => {
      log.show(true);
    }),
    vscode.commands.registerCommand('connectPolicy.showInstallInstructions', () =>
      openInstallInstructions(context.extensionUri),
    ),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsServerCommand(event)) {
        void current.serverSettingChanged('The server setting (connectPolicy.server.*)');
      }
      if (event.affectsConfiguration(TRACE_SETTING)) {
        explainTrace(log); // the client itself applies the trace setting
      }
      if (affectsServerSettings(event)) {
        void current.resendSettings();
      }
    }),
  );

  // The server forgets `.connect-policy.toml` / pyproject.toml on a configuration change;
  // VS Code does not send it those files, so tell it when they change on disk.
  const watcher = vscode.workspace.createFileSystemWatcher(PROJECT_SETTINGS_GLOB);
  let timer: NodeJS.Timeout | undefined;
  const projectSettingsChanged = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void current.resendSettings();
    }, 300);
  };
  context.subscriptions.push(
    watcher,
    watcher.onDidChange(projectSettingsChanged),
    watcher.onDidCreate(projectSettingsChanged),
    watcher.onDidDelete(projectSettingsChanged),
    {
      dispose: () => {
        clearTimeout(timer);
      },
    },
  );

  const manifest = context.extension.packageJSON as { version?: unknown };
  log.info(`${CLIENT_NAME} ${String(manifest.version)} activated`);
  explainTrace(log);
  // Not awaited: finding and starting the server must not hold up the editor.
  void current.start();
}

/** With vscode-languageclient 11 the channel's log level switches the message trace on. */
function explainTrace(log: vscode.LogOutputChannel): void {
  const trace = vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off');
  if (trace !== 'off' && log.logLevel !== vscode.LogLevel.Trace) {
    log.info(
      `${TRACE_SETTING} is "${trace}": set this channel's log level to Trace (the gear in the ` +
        'Output panel, or "Developer: Set Log Level...") to see the messages.',
    );
  }
}

export async function deactivate(): Promise<void> {
  const current = controller;
  controller = undefined;
  await current?.dispose();
}
