// Finds how to start the language server, in this order:
//   1. `connectPolicy.server.path`, a command (`serve` is added);
//   2. `connectPolicy.server.pythonPath`, or else the Python extension's interpreter,
//      running `python -m connect_policy_lsp serve` once `import connect_policy_lsp` works;
//   3. `connect-policy-lsp` on PATH.
// A setting the user gave is used or reported, never silently replaced by another server.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { NOT_FOUND, probe } from './probe';
import { activeInterpreter } from './pythonExtension';
import { describeFolders, pathFolders } from './searchPath';
import type { ClientSettings } from './settings';

export const SERVER_EXECUTABLE = 'connect-policy-lsp';
export const SERVER_MODULE = 'connect_policy_lsp';

export type ServerSource = 'server.path' | 'server.pythonPath' | 'python extension' | 'PATH';

export interface ServerCommand {
  readonly command: string;
  readonly args: string[];
  readonly source: ServerSource;
  /** For the log: what this is, e.g. "connectPolicy.server.path (/x/connect-policy-lsp)". */
  readonly description: string;
  /** What the probe printed (the version, for commands). */
  readonly version?: string;
}

export interface Attempt {
  readonly description: string;
  readonly problem: string;
}

/** The setting that names the server (when one does), for the "open the setting" button. */
export type ServerSetting = 'connectPolicy.server.path' | 'connectPolicy.server.pythonPath';

export type Discovery =
  | { readonly found: true; readonly server: ServerCommand; readonly attempts: Attempt[] }
  | {
      readonly found: false;
      readonly attempts: Attempt[];
      /** The setting that named the server that failed; undefined when none was set. */
      readonly setting: ServerSetting | undefined;
      /** The folders of the PATH searched for `connect-policy-lsp` (when it was). */
      readonly searchedPath: string[];
    };

/** Expands `~`, `${userHome}` and `${workspaceFolder}`; a relative path with a folder part is
 * taken from the first workspace folder. A bare name is left for PATH. */
export function expandPath(value: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let expanded = value.replace(/\$\{userHome\}/g, os.homedir());
  if (folder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
    expanded = path.join(os.homedir(), expanded.slice(1));
  }
  const hasFolderPart = expanded.includes('/') || expanded.includes('\\');
  if (hasFolderPart && !path.isAbsolute(expanded) && folder !== undefined) {
    expanded = path.resolve(folder, expanded);
  }
  return expanded;
}

async function commandServer(command: string, source: ServerSource, description: string): Promise<ServerCommand | Attempt> {
  const result = await probe(command, ['--version']);
  if (!result.ok) {
    return { description, problem: `\`--version\` failed: ${result.problem}` };
  }
  return { command, args: ['serve'], source, description, version: result.output };
}

async function pythonServer(python: string, source: ServerSource, description: string): Promise<ServerCommand | Attempt> {
  const result = await probe(python, ['-c', `import ${SERVER_MODULE}`]);
  if (!result.ok) {
    return { description, problem: `\`import ${SERVER_MODULE}\` failed: ${result.problem}` };
  }
  return { command: python, args: ['-m', SERVER_MODULE, 'serve'], source, description };
}

function isServer(value: ServerCommand | Attempt): value is ServerCommand {
  return 'command' in value;
}

export async function findServer(settings: ClientSettings, log: vscode.LogOutputChannel): Promise<Discovery> {
  const attempts: Attempt[] = [];

  if (settings.serverPath !== '') {
    const command = expandPath(settings.serverPath);
    const description = `connectPolicy.server.path (${command})`;
    log.info(`Trying ${description}`);
    const result = await commandServer(command, 'server.path', description);
    if (isServer(result)) {
      return { found: true, server: result, attempts };
    }
    attempts.push(result);
    return { found: false, attempts, setting: 'connectPolicy.server.path', searchedPath: [] };
  }

  if (settings.pythonPath !== '') {
    const python = expandPath(settings.pythonPath);
    const description = `connectPolicy.server.pythonPath (${python})`;
    log.info(`Trying ${description}`);
    const result = await pythonServer(python, 'server.pythonPath', description);
    if (isServer(result)) {
      return { found: true, server: result, attempts };
    }
    attempts.push(result);
    return { found: false, attempts, setting: 'connectPolicy.server.pythonPath', searchedPath: [] };
  }

  const interpreter = await activeInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri);
  if (interpreter.found) {
    const description = `the Python extension's interpreter (${interpreter.path})`;
    log.info(`Trying ${description}`);
    const result = await pythonServer(interpreter.path, 'python extension', description);
    if (isServer(result)) {
      return { found: true, server: result, attempts };
    }
    attempts.push(result);
  } else {
    log.info(`Not using the Python extension's interpreter: ${interpreter.reason}`);
    attempts.push({ description: "the Python extension's interpreter", problem: interpreter.reason });
  }

  const description = `${SERVER_EXECUTABLE} on PATH`;
  const searchedPath = pathFolders();
  log.info(`Trying ${description} (PATH: ${searchedPath.join(path.delimiter)})`);
  const result = await probe(SERVER_EXECUTABLE, ['--version']);
  if (result.ok) {
    return { found: true, server: { command: SERVER_EXECUTABLE, args: ['serve'], source: 'PATH', description, version: result.output }, attempts };
  }
  // A bare "not found" would hide the usual cause: code-server and remote hosts take PATH from
  // a login shell, which is often not the PATH of the terminal that started them.
  attempts.push({
    description,
    problem: result.problem === NOT_FOUND
      ? `not found in the PATH of VS Code's extension host (${describeFolders(searchedPath)})`
      : `\`--version\` failed: ${result.problem}`,
  });
  return { found: false, attempts, setting: undefined, searchedPath };
}
