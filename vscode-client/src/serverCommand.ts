// Finds how to start the language server, in this order:
//   1. `connectPolicy.server.path`, a command (`serve` is added);
//   2. `connectPolicy.server.pythonPath`, or else the Python extension's interpreter,
//      running `python -m connect_policy_lsp serve` once `import connect_policy_lsp` works;
//   3. `connect-policy-lsp` on PATH.
// A setting the user gave is used or reported, never silently replaced by another server.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { probe } from './probe';
import { activeInterpreter } from './pythonExtension';
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

export type Discovery =
  | { readonly found: true; readonly server: ServerCommand; readonly attempts: Attempt[] }
  | { readonly found: false; readonly attempts: Attempt[]; readonly fromSetting: boolean };

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
    return { found: false, attempts, fromSetting: true };
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
    return { found: false, attempts, fromSetting: true };
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
  log.info(`Trying ${description}`);
  const result = await commandServer(SERVER_EXECUTABLE, 'PATH', description);
  if (isServer(result)) {
    return { found: true, server: result, attempts };
  }
  attempts.push(result);
  return { found: false, attempts, fromSetting: false };
}
