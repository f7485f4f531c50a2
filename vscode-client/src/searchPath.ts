// The PATH that the extension host searches for `connect-policy-lsp`, for messages. On
// code-server and remote hosts it comes from a login shell, not from the terminal that
// started VS Code, so it is worth showing.
import * as os from 'node:os';
import * as path from 'node:path';

/** The folders of PATH in order, without empty entries and repeats. */
export function pathFolders(env: NodeJS.ProcessEnv = process.env, delimiter = path.delimiter): string[] {
  // Windows spells it Path; Node's env is case-insensitive there but a copied object is not.
  const value = env.PATH ?? env.Path ?? '';
  const seen = new Set<string>();
  for (const folder of value.split(delimiter)) {
    if (folder.trim() !== '') {
      seen.add(folder);
    }
  }
  return [...seen];
}

const LONG_FOLDER = 40;

/** `folder` with the home folder written `~`, and the middle of a long one as `…`
 * (`~/.cache/…/bin/remote-cli`). */
export function shortenFolder(folder: string, home: string = os.homedir()): string {
  let short = folder;
  if (home !== '' && home !== path.sep) {
    if (folder === home) {
      short = '~';
    } else if (folder.startsWith(home + path.sep)) {
      short = `~${folder.slice(home.length)}`;
    }
  }
  const parts = short.split(path.sep);
  if (short.length > LONG_FOLDER && parts.length > 5) {
    short = [...parts.slice(0, 2), '…', ...parts.slice(-2)].join(path.sep);
  }
  return short;
}

/** The folders for a one-line message: shortened, and past `limit` a count of the rest. */
export function describeFolders(folders: string[], limit = 8, home: string = os.homedir()): string {
  if (folders.length === 0) {
    return 'PATH is empty';
  }
  const shown = folders.slice(0, limit).map((folder) => shortenFolder(folder, home));
  const rest = folders.length - shown.length;
  return shown.join(path.delimiter === ';' ? '; ' : ':') + (rest > 0 ? ` and ${String(rest)} more` : '');
}
