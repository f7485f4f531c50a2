// Owns the language client: finds the server, starts, stops and restarts it. Operations run
// one after another, so a restart requested during a start waits for it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

import { createClient, refreshDiagnostics, sendSettings } from './client';
import { reportServerNotFound } from './installHelp';
import { onDidChangeInterpreter } from './pythonExtension';
import { findServer, type ServerCommand } from './serverCommand';
import { readSettings } from './settings';

const SHOW_OUTPUT = 'Show Output';

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private server: ServerCommand | undefined;
  private queue: Promise<void> = Promise.resolve();
  private interpreterWatch: vscode.Disposable | undefined;
  private disposed = false;
  /** Set once a document that calls for the server was opened (or on Restart Server): until
   * then nothing starts, and no "server not found" message shows. */
  private needed = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isNeeded(): boolean {
    return this.needed;
  }

  /** A document that calls for the server is open: start it (once). */
  startNeeded(): Promise<void> {
    if (this.needed) {
      return this.queue;
    }
    this.needed = true;
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    this.needed = true;
    return this.enqueue(async () => {
      this.log.info('Restarting the server');
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  /** Sends the current settings again (the server re-reads project settings files too). */
  async resendSettings(): Promise<void> {
    const client = this.client;
    if (client === undefined) {
      return;
    }
    try {
      await sendSettings(client);
    } catch (error: unknown) {
      this.log.warn(`Could not send the settings to the server: ${describe(error)}`);
    }
  }

  /** Filters every open document's diagnostics again (VS Code's JSON validation changed). */
  refreshDiagnostics(): void {
    if (this.client !== undefined) {
      refreshDiagnostics(this.client);
    }
  }

  /** A `connectPolicy.server.*` setting (or the Python interpreter) changed: the server is
   * looked for again and restarted, unless no policy has been opened yet. */
  async serverSettingChanged(what: string): Promise<void> {
    if (!this.needed) {
      this.log.info(`${what} changed; the server starts when a policy is opened`);
      return;
    }
    this.log.info(`${what} changed; restarting the server`);
    await this.restart();
  }

  /** Runs `operation` after the ones before it. Never rejects: an unexpected error is logged
   * and shown. */
  private enqueue(operation: () => Promise<void>): Promise<void> {
    const guarded = async (): Promise<void> => {
      try {
        await operation();
      } catch (error: unknown) {
        this.log.error(`Unexpected error: ${describe(error)}`);
        void vscode.window
          .showErrorMessage(`Connect Policy: ${describe(error)}`, SHOW_OUTPUT)
          .then((choice) => {
            if (choice === SHOW_OUTPUT) {
              this.log.show(true);
            }
          });
      }
    };
    this.queue = this.queue.then(guarded);
    return this.queue;
  }

  private async doStart(): Promise<void> {
    if (this.disposed || this.client !== undefined) {
      return;
    }
    const discovery = await findServer(readSettings(), this.log);
    if (!discovery.found) {
      void reportServerNotFound(discovery, this.extensionUri, this.log).catch((error: unknown) => {
        this.log.error(`Could not show the error message: ${describe(error)}`);
      });
      return;
    }
    const server = discovery.server;
    for (const attempt of discovery.attempts) {
      this.log.info(`Skipped ${attempt.description}: ${attempt.problem}`);
    }
    this.log.info(
      `Starting the server from ${server.description}: ${[server.command, ...server.args].join(' ')}` +
        (server.version !== undefined && server.version !== '' ? ` (${server.version})` : ''),
    );
    const client = createClient(server, this.log);
    this.client = client;
    this.server = server;
    try {
      await client.start();
      const info = client.initializeResult?.serverInfo;
      this.log.info(`Server started${info ? `: ${info.name} ${info.version ?? ''}` : ''}`);
    } catch (error: unknown) {
      // The client has already shown a notification with a link to this output.
      this.log.error(`The server failed to start: ${describe(error)}`);
    }
    if (server.source === 'python extension' && this.interpreterWatch === undefined) {
      this.interpreterWatch = await onDidChangeInterpreter(() => {
        if (this.server?.source === 'python extension') {
          void this.serverSettingChanged("The Python extension's interpreter");
        }
      });
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.server = undefined;
    if (client === undefined) {
      return;
    }
    try {
      await client.dispose(5_000); // stops the server (shutdown, exit) when it runs
    } catch (error: unknown) {
      this.log.warn(`Stopping the server: ${describe(error)}`);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.interpreterWatch?.dispose();
    await this.stop();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
