// Entry point: the output channel, the commands, and the reactions to settings changes.
import * as vscode from 'vscode';

import { CLIENT_NAME } from './client';
import { ServerController } from './controller';
import { openInstallInstructions } from './installHelp';
import { callsForServer } from './policyDocuments';
import { affectsServerCommand, affectsServerSettings, readSettings, SECTION } from './settings';
import { JSON_EXTENSION_ID } from './syntaxErrors';

// Project settings files the server reads; it forgets them on a configuration change.
const PROJECT_SETTINGS_GLOB = '**/{.connect-policy.toml,pyproject.toml}';
const TRACE_SETTING = `${SECTION}.trace.server`;
// The Settings UI writes a text setting as it is typed: restart once the typing pauses.
const SERVER_SETTING_DELAY_MS = 800;

let controller: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const current = new ServerController(context.extensionUri, log);
  controller = current;
  context.subscriptions.push(log);
  let serverSettingTimer: NodeJS.Timeout | undefined;
  let jsonExtensionMissing = vscode.extensions.getExtension(JSON_EXTENSION_ID) === undefined;

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
        clearTimeout(serverSettingTimer);
        serverSettingTimer = setTimeout(() => {
          void current.serverSettingChanged('The server setting (connectPolicy.server.* or connectPolicy.formats.*)');
        }, SERVER_SETTING_DELAY_MS);
      }
      if (event.affectsConfiguration(TRACE_SETTING)) {
        explainTrace(log); // the client itself applies the trace setting
      }
      if (affectsServerSettings(event)) {
        void current.resendSettings();
      }
      if (event.affectsConfiguration('json.validate.enable')) {
        current.refreshDiagnostics(); // which syntax errors VS Code reports itself
      }
    }),
    vscode.extensions.onDidChange(() => {
      // VS Code's JSON extension enabled or disabled (see syntaxErrors.ts).
      if (vscode.extensions.getExtension(JSON_EXTENSION_ID) === undefined !== jsonExtensionMissing) {
        jsonExtensionMissing = !jsonExtensionMissing;
        current.refreshDiagnostics();
      }
    }),
    new vscode.Disposable(() => {
      clearTimeout(serverSettingTimer);
    }),
  );
  context.subscriptions.push(startWithFirstPolicy(current, log));

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
}

/** Starts the server when the first document that calls for it is open (at once when one
 * already is); VS Code activates the extension for any JSON or YAML document, including some
 * it opens itself, and the server is not needed until a policy or template is there. */
function startWithFirstPolicy(current: ServerController, log: vscode.LogOutputChannel): vscode.Disposable {
  const watchers: vscode.Disposable[] = [];
  const check = (document: vscode.TextDocument): void => {
    const settings = readSettings(document);
    if (current.isNeeded || !callsForServer(document, settings.files, settings.formats)) {
      return;
    }
    log.info(`${vscode.workspace.asRelativePath(document.uri)} looks like a policy or template: starting the server`);
    for (const watcher of watchers.splice(0)) {
      watcher.dispose();
    }
    // Not awaited: finding and starting the server must not hold up the editor.
    void current.startNeeded();
  };
  watchers.push(
    vscode.workspace.onDidOpenTextDocument(check),
    // A new file becomes a policy as it is typed.
    vscode.workspace.onDidChangeTextDocument((event) => {
      check(event.document);
    }),
  );
  vscode.workspace.textDocuments.forEach(check);
  if (!current.isNeeded) {
    log.info('The server starts when a policy is opened');
  }
  return new vscode.Disposable(() => {
    for (const watcher of watchers.splice(0)) {
      watcher.dispose();
    }
  });
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
