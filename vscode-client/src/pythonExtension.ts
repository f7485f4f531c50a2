// The Python extension's active interpreter, when that extension is installed. Its API may
// be absent, older or still starting: every step is checked and a failure means "none".
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';
const ACTIVATION_TIMEOUT_MS = 15_000;

/** The part of the Python extension's `environments` API that we use. */
interface EnvironmentPath {
  readonly id: string;
  readonly path: string;
}

interface ResolvedEnvironment {
  readonly executable?: { readonly uri?: vscode.Uri };
}

interface EnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
  onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
}

export type Interpreter = { found: true; path: string } | { found: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asEnvironmentsApi(exports: unknown): EnvironmentsApi | undefined {
  if (!isRecord(exports)) {
    return undefined;
  }
  const environments = exports.environments;
  if (
    isRecord(environments) &&
    typeof environments.getActiveEnvironmentPath === 'function' &&
    typeof environments.resolveEnvironment === 'function'
  ) {
    return environments as unknown as EnvironmentsApi;
  }
  return undefined;
}

function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${what} took more than ${String(ms / 1000)} s`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function environmentsApi(): Promise<EnvironmentsApi | string> {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
  if (extension === undefined) {
    return 'the Python extension (ms-python.python) is not installed';
  }
  try {
    const exports: unknown = extension.isActive
      ? extension.exports
      : await withTimeout(extension.activate(), ACTIVATION_TIMEOUT_MS, 'activating the Python extension');
    return asEnvironmentsApi(exports) ?? 'the Python extension has no environments API (too old?)';
  } catch (error: unknown) {
    return `the Python extension failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The interpreter the Python extension has selected for `resource` (or the workspace). */
export async function activeInterpreter(resource?: vscode.Uri): Promise<Interpreter> {
  const api = await environmentsApi();
  if (typeof api === 'string') {
    return { found: false, reason: api };
  }
  try {
    const active = api.getActiveEnvironmentPath(resource);
    const resolved = await withTimeout(
      api.resolveEnvironment(active),
      ACTIVATION_TIMEOUT_MS,
      'resolving the Python environment',
    );
    const executable = resolved?.executable?.uri?.fsPath;
    if (executable === undefined || executable === '') {
      return { found: false, reason: `the Python extension's environment ${active.path} has no interpreter` };
    }
    return { found: true, path: executable };
  } catch (error: unknown) {
    return {
      found: false,
      reason: `the Python extension's interpreter could not be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Calls `listener` when the Python extension's selected interpreter changes, if it can tell. */
export async function onDidChangeInterpreter(listener: () => void): Promise<vscode.Disposable | undefined> {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
  if (!extension?.isActive) {
    return undefined; // only watched once we have used it, which activates it
  }
  const api = await environmentsApi();
  if (typeof api === 'string' || typeof api.onDidChangeActiveEnvironmentPath !== 'function') {
    return undefined;
  }
  try {
    return api.onDidChangeActiveEnvironmentPath(() => {
      listener();
    });
  } catch {
    return undefined;
  }
}
