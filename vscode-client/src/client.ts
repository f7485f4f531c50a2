// The language client for one server process.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  DocumentDiagnosticRequest,
  LanguageClient,
  type DocumentFilter,
  type LanguageClientOptions,
  type ServerOptions,
  vsdiag,
} from 'vscode-languageclient/node';

import { TEMPLATE_PATTERN, TERRAFORM_LANGUAGES, TERRAFORM_PATTERN, YAML_LANGUAGES } from './policyDocuments';
import type { ServerCommand } from './serverCommand';
import { stdioOptions } from './serverLog';
import { type HostFormats, readSettings, SECTION, serverSettings, type ServerSettingsPayload } from './settings';
import { SyntaxErrorDeduplication } from './syntaxErrors';

export const CLIENT_ID = 'connectPolicy'; // also the prefix of `connectPolicy.trace.server`
export const CLIENT_NAME = 'Connect Policy';

/** Every JSON document, saved or not, and (unless `connectPolicy.formats.*` turns them off)
 * every YAML document and `.template` file, and every Terraform document and `.tf` file: the
 * server decides which ones hold policies, and gives the others no diagnostics. */
export function documentSelector(formats: HostFormats): DocumentFilter[] {
  const languages = ['json', 'jsonc', ...(formats.yaml ? YAML_LANGUAGES : []),
    ...(formats.terraform ? TERRAFORM_LANGUAGES : [])];
  const selector: DocumentFilter[] = languages.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
  if (formats.yaml) {
    selector.push({ scheme: 'file', pattern: TEMPLATE_PATTERN });
  }
  if (formats.terraform) {
    // Whatever language another extension gives `.tf` files.
    selector.push({ scheme: 'file', pattern: TERRAFORM_PATTERN });
  }
  return selector;
}

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

/** Asks the server for every open document's diagnostics again (they are filtered anew). */
export function refreshDiagnostics(client: LanguageClient): void {
  if (client.isRunning()) {
    client.getFeature(DocumentDiagnosticRequest.method).refresh();
  }
}

function openDocument(document: vscode.TextDocument | vscode.Uri): vscode.TextDocument | undefined {
  if (!(document instanceof vscode.Uri)) {
    return document;
  }
  const key = document.toString();
  return vscode.workspace.textDocuments.find((open) => open.uri.toString() === key);
}

export function createClient(server: ServerCommand, log: vscode.LogOutputChannel): LanguageClient {
  const syntaxErrors = new SyntaxErrorDeduplication();
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    options: { env: { ...process.env, PYTHONIOENCODING: 'utf-8' } },
  };
  const clientOptions: LanguageClientOptions = {
    // Read at each (re)start: changing `connectPolicy.formats.*` restarts the server.
    documentSelector: documentSelector(readSettings().formats),
    outputChannel: log,
    stdioOptions,
    // Evaluated on every (re)start, so a restart picks up the current settings.
    initializationOptions: currentServerSettings,
    // Changes are pushed by the extension (see extension.ts) in the server's shape; should
    // the server ask (`workspace/configuration`), the `connectPolicy` section gets that shape
    // too rather than the raw settings.
    middleware: {
      // VS Code's JSON service reports syntax errors too: one report each (see syntaxErrors.ts).
      handleDiagnostics: (uri, diagnostics, next) => {
        next(uri, syntaxErrors.filter(openDocument(uri), uri, diagnostics));
      },
      provideDiagnostics: async (document, _previousResultId, token, next) => {
        // Always a full report (no previous result id): what is withheld depends on VS Code's
        // settings as well as on the server's findings, so an "unchanged" answer could be stale.
        const report = await next(document, undefined, token);
        if (report?.kind !== vsdiag.DocumentDiagnosticReportKind.full) {
          return report;
        }
        const uri = document instanceof vscode.Uri ? document : document.uri;
        const filtered: vsdiag.RelatedFullDocumentDiagnosticReport = {
          kind: report.kind,
          items: syntaxErrors.filter(openDocument(document), uri, report.items),
        };
        if (report.relatedDocuments !== undefined) {
          filtered.relatedDocuments = report.relatedDocuments;
        }
        return filtered;
      },
      didClose: async (document, next) => {
        syntaxErrors.forget(document.uri);
        await next(document);
      },
      provideCodeActions: syntaxErrors.provideCodeActions,
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
