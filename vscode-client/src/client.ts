// The language client for one server process.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import type { ServerCommand } from './serverCommand';
import { stdioOptions } from './serverLog';
import { readSettings, SECTION, serverSettings, type ServerSettingsPayload } from './settings';

export const CLIENT_ID = 'connectPolicy'; // also the prefix of `connectPolicy.trace.server`
export const CLIENT_NAME = 'Connect Policy';

/** Every JSON document, saved or not: the server decides which ones are policies. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'json' },
  { scheme: 'untitled', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'untitled', language: 'jsonc' },
];

export function currentServerSettings(): ServerSettingsPayload {
  return serverSettings(readSettings(), vscode.env.language);
}

/** Sends the settings as the server reads them (`{"connectPolicy": {"policyGlobs", ...}}`),
 * which differ from the raw `connectPolicy.*` section (`files`, `server`, `trace`). */
export async function sendSettings(client: LanguageClient): Promise<void> {
  if (client.isRunning()) {
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: currentServerSettings() });
  }
}

export function createClient(server: ServerCommand, log: vscode.LogOutputChannel): LanguageClient {
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    options: { env: { ...process.env, PYTHONIOENCODING: 'utf-8' } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: log,
    stdioOptions,
    // Evaluated on every (re)start, so a restart picks up the current settings.
    initializationOptions: currentServerSettings,
    // Changes are pushed by the extension (see extension.ts) in the server's shape; should
    // the server ask (`workspace/configuration`), the `connectPolicy` section gets that shape
    // too rather than the raw settings.
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers; // an error
          }
          return params.items.map((item, index): unknown =>
            item.section === SECTION ? currentServerSettings().connectPolicy : answers[index],
          );
        },
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
