// One report per JSON syntax error. VS Code's own JSON service (the built-in JSON Language
// Features extension) reports syntax errors in every JSON file ("Expected comma", "Trailing
// comma"); the server reports the same errors as JSON_SYNTAX_ERROR, with a repair. Its
// `json.validate.enable` is a window-wide setting (not per language, not per file), so turning
// it off for policies would turn it off for package.json and tsconfig.json as well. Instead:
// where VS Code reports a syntax error, the server's report of it is withheld, and the
// server's repair is offered as a quick fix on VS Code's diagnostic.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const SYNTAX_CODE = 'JSON_SYNTAX_ERROR';
export const SERVER_SOURCE = 'connect-policy';
/** The built-in extension and the `source` of its diagnostics. */
export const JSON_EXTENSION_ID = 'vscode.json-language-features';
export const JSON_SOURCE = 'json';

/** Whether VS Code's JSON service reports syntax errors in `document`: the built-in extension
 * is enabled, `json.validate.enable` is on, and the document is JSON or JSON with Comments
 * (its server skips an empty document). */
export function vscodeValidates(document: vscode.TextDocument): boolean {
  if (document.languageId !== 'json' && document.languageId !== 'jsonc') {
    return false;
  }
  if (vscode.extensions.getExtension(JSON_EXTENSION_ID) === undefined) {
    return false; // disabled (a disabled extension is not listed)
  }
  if (document.getText().length === 0) {
    return false;
  }
  return vscode.workspace.getConfiguration('json', document).get<unknown>('validate.enable') !== false;
}

const LONE_SURROGATE = /^(?:[\uD800-\uDFFF]|\\u[dD][89a-fA-F][0-9a-fA-F]{2})$/;

/** Whether VS Code's JSON service also reports the syntax error the server found at `range`.
 * It does for every error except those its parser accepts: a byte order mark (whitespace to
 * it), a lone UTF-16 surrogate, and in JSON with Comments a comment (IAM rejects all three). */
export function vscodeReportsToo(document: vscode.TextDocument, range: vscode.Range): boolean {
  const text = document.getText(range);
  if (text === '\uFEFF' || LONE_SURROGATE.test(text)) {
    return false;
  }
  return !(document.languageId === 'jsonc' && (text.startsWith('//') || text.startsWith('/*')));
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) {
    return undefined;
  }
  return typeof code === 'object' ? String(code.value) : String(code);
}

function isServerSyntaxError(diagnostic: vscode.Diagnostic): boolean {
  return diagnostic.source === SERVER_SOURCE && codeOf(diagnostic) === SYNTAX_CODE;
}

/** The server's syntax errors withheld from display, per document, for the quick fixes. */
export class SyntaxErrorDeduplication {
  private readonly withheld = new Map<string, vscode.Diagnostic[]>();

  /** The diagnostics to show for `document`: the server's, less the syntax errors that
   * VS Code's JSON service reports too. */
  filter(document: vscode.TextDocument | undefined, uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
    if (document === undefined || !vscodeValidates(document)) {
      this.withheld.delete(uri.toString());
      return diagnostics;
    }
    const shown: vscode.Diagnostic[] = [];
    const withheld: vscode.Diagnostic[] = [];
    for (const diagnostic of diagnostics) {
      if (isServerSyntaxError(diagnostic) && vscodeReportsToo(document, diagnostic.range)) {
        withheld.push(diagnostic);
      } else {
        shown.push(diagnostic);
      }
    }
    this.withheld.set(uri.toString(), withheld);
    return shown;
  }

  forget(uri: vscode.Uri): void {
    this.withheld.delete(uri.toString());
  }

  /** The withheld syntax errors of the server that `vscodeDiagnostic` (one of VS Code's JSON
   * diagnostics) is about: those whose range meets it, or is separated from it by white space
   * only (the server reports a missing comma at the gap after a value, VS Code at the token
   * that follows). */
  counterparts(document: vscode.TextDocument, vscodeDiagnostic: vscode.Diagnostic): vscode.Diagnostic[] {
    const withheld = this.withheld.get(document.uri.toString()) ?? [];
    return withheld.filter((ours) => adjacent(document, ours.range, vscodeDiagnostic.range));
  }

  /** Code action middleware: when VS Code asks for quick fixes for its JSON diagnostics, the
   * server is asked about the withheld syntax errors they stand for, and the fixes it gives
   * are attached to VS Code's diagnostics. */
  readonly provideCodeActions: NonNullable<Middleware['provideCodeActions']> = async (document, range, context, token, next) => {
    const pairs: [vscode.Diagnostic, vscode.Diagnostic[]][] = context.diagnostics
      .filter((diagnostic) => diagnostic.source === JSON_SOURCE)
      .map((diagnostic): [vscode.Diagnostic, vscode.Diagnostic[]] => [diagnostic, this.counterparts(document, diagnostic)])
      .filter(([, ours]) => ours.length > 0);
    if (pairs.length === 0) {
      return next(document, range, context, token);
    }
    const ours = [...new Set(pairs.flatMap(([, found]) => found))];
    const widened = ours.reduce((union, diagnostic) => union.union(diagnostic.range), range);
    const actions = await next(document, widened, { ...context, diagnostics: [...context.diagnostics, ...ours] }, token);
    if (!actions) {
      return actions;
    }
    for (const action of actions) {
      if (!(action instanceof vscode.CodeAction) || action.diagnostics === undefined) {
        continue;
      }
      // The server names the finding it fixes; show the fix on VS Code's report of it.
      const fixed = action.diagnostics;
      const reports = pairs
        .filter(([, found]) => found.some((diagnostic) => fixed.some((named) => sameDiagnostic(named, diagnostic))))
        .map(([vscodeDiagnostic]) => vscodeDiagnostic);
      if (reports.length > 0) {
        action.diagnostics = reports;
      }
    }
    return actions;
  };
}

function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return a.range.isEqual(b.range) && a.message === b.message && codeOf(a) === codeOf(b);
}

/** Whether `a` and `b` overlap, touch, or have only white space between them. */
function adjacent(document: vscode.TextDocument, a: vscode.Range, b: vscode.Range): boolean {
  if (a.intersection(b) !== undefined) {
    return true;
  }
  const [first, second] = a.end.isBeforeOrEqual(b.start) ? [a, b] : [b, a];
  return document.getText(new vscode.Range(first.end, second.start)).trim() === '';
}
