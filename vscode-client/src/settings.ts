// The extension's settings (`connectPolicy.*`) and the shape the server receives.
import * as vscode from 'vscode';

export const SECTION = 'connectPolicy';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Locale = '' | 'en' | 'ko';

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint'];
const LOCALES: readonly string[] = ['', 'en', 'ko'];
const POLICY_TYPES: readonly string[] = ['', 'identity', 'resource', 'trust', 'service-control', 'resource-control'];

export interface RuleSettings {
  readonly select: string[];
  readonly ignore: string[];
  readonly severity: Record<string, Severity>;
}

export interface ClientSettings {
  /** `connectPolicy.server.path`: a command that starts the server (`serve` is added). */
  readonly serverPath: string;
  /** `connectPolicy.server.pythonPath`: a Python with `connect_policy_lsp` installed. */
  readonly pythonPath: string;
  /** `connectPolicy.files`: globs of files that are always checked as policies. */
  readonly files: string[];
  /** `connectPolicy.locale`: hover language; '' follows VS Code's display language. */
  readonly locale: Locale;
  readonly rules: RuleSettings;
  /** `connectPolicy.inlayHints`: access levels after actions, counts after wildcards. */
  readonly inlayHints: boolean;
  /** `connectPolicy.policyType`: the type of policy files; '' reads it from each file. */
  readonly policyType: string;
  /** `connectPolicy.formats.*`: the host formats checked besides JSON (a restart applies them). */
  readonly formats: HostFormats;
}

/** The formats besides JSON whose documents go to the server. */
export interface HostFormats {
  /** `connectPolicy.formats.yaml`: YAML templates and policies. */
  readonly yaml: boolean;
  /** `connectPolicy.formats.terraform`: `.tf` files. */
  readonly terraform: boolean;
}

/** What the server receives, in `initializationOptions` and `workspace/didChangeConfiguration`. */
export interface ServerSettingsPayload {
  connectPolicy: {
    policyGlobs: string[];
    locale: string;
    rules: RuleSettings;
    inlayHints: boolean;
    policyType: string;
  };
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function severityMap(value: unknown): Record<string, Severity> {
  const result: Record<string, Severity> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return result;
  }
  for (const [code, level] of Object.entries(value as Record<string, unknown>)) {
    if (typeof level === 'string' && SEVERITIES.includes(level.toLowerCase())) {
      result[code.trim().toUpperCase()] = level.toLowerCase() as Severity;
    }
  }
  return result;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function readSettings(scope?: vscode.ConfigurationScope): ClientSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const locale = text(config.get<unknown>('locale'));
  return {
    serverPath: text(config.get<unknown>('server.path')),
    pythonPath: text(config.get<unknown>('server.pythonPath')),
    files: stringList(config.get<unknown>('files')),
    locale: LOCALES.includes(locale) ? (locale as Locale) : '',
    rules: {
      select: stringList(config.get<unknown>('rules.select')).map((code) => code.toUpperCase()),
      ignore: stringList(config.get<unknown>('rules.ignore')).map((code) => code.toUpperCase()),
      severity: severityMap(config.get<unknown>('rules.severity')),
    },
    inlayHints: config.get<unknown>('inlayHints') !== false,
    policyType: POLICY_TYPES.includes(text(config.get<unknown>('policyType')))
      ? text(config.get<unknown>('policyType'))
      : '',
    formats: {
      yaml: config.get<unknown>('formats.yaml') !== false,
      terraform: config.get<unknown>('formats.terraform') !== false,
    },
  };
}

/** The settings as the server takes them: `files` becomes `policyGlobs`, and an empty
 * locale becomes VS Code's display language. */
export function serverSettings(settings: ClientSettings, displayLanguage: string): ServerSettingsPayload {
  return {
    connectPolicy: {
      policyGlobs: settings.files,
      locale: settings.locale === '' ? displayLanguage : settings.locale,
      rules: settings.rules,
      inlayHints: settings.inlayHints,
      policyType: settings.policyType,
    },
  };
}

/** Settings that choose the server process or the documents it gets: they take effect on a
 * restart. */
export function affectsServerCommand(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.server`) || event.affectsConfiguration(`${SECTION}.formats`);
}

/** Settings the running server takes live (sent with `workspace/didChangeConfiguration`). */
export function affectsServerSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return ['files', 'locale', 'rules', 'inlayHints', 'policyType'].some((name) =>
    event.affectsConfiguration(`${SECTION}.${name}`));
}
