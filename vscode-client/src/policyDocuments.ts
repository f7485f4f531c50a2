// Which open documents call for the server. The extension activates on any JSON, YAML or
// Terraform document (`onLanguage:json`/`jsonc`/`yaml`/`terraform`), and VS Code opens some by itself (settings,
// keybindings, in schemes of its own); the server, and any "server not found" message, waits
// for a document the user opened that looks like a policy or a CloudFormation/SAM template,
// or matches a policy glob. A GitHub workflow or docker-compose file never starts it.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { HostFormats } from './settings';

/** The schemes of the documents the client sends to the server (client.ts). */
const SCHEMES = new Set(['file', 'untitled']);
const LANGUAGES = new Set(['json', 'jsonc']);
/** Language ids of YAML (some CloudFormation extensions give templates their own). */
export const YAML_LANGUAGES = ['yaml', 'cloudformation'];
/** Language ids of Terraform (ours for `.tf`, HashiCorp's extension's, Neovim's `hcl`). */
export const TERRAFORM_LANGUAGES = ['terraform', 'hcl'];
/** `.tf` files, whatever language they were given. */
export const TERRAFORM_PATTERN = '**/*.tf';
/** Templates saved as `.template` (JSON or YAML, often without a language of their own). */
export const TEMPLATE_PATTERN = '**/*.template';
/** The files the extension gives the policy schema (package.json `jsonValidation`). */
const SCHEMA_GLOBS = ['*.policy.json', '*/policies/*.json'];
/** What the server checks as a policy: `Statement` or `Version` at the top, or a lone
 * statement (`Effect`). A property name anywhere is enough here: this only decides whether
 * to start the server, which then decides per document. */
const POLICY_KEY = /"(?:Statement|Version|Effect)"\s*:/;
/** A JSON template (which the server reads as `check` does): `Resources` or the format version. */
const JSON_TEMPLATE_KEY = /"(?:Resources|AWSTemplateFormatVersion)"\s*:/;
/** A YAML template: those keys at the start of a line (the top level). */
const YAML_TEMPLATE_KEY = /^(?:Resources|AWSTemplateFormatVersion)[ \t]*:/m;
/** A YAML policy: `Version:` and `Statement:` at the top level. */
const YAML_VERSION_KEY = /^Version[ \t]*:/m;
const YAML_STATEMENT_KEY = /^Statement[ \t]*:/m;
/** Terraform that may hold a policy: a policy argument or an `aws_iam_policy_document`. */
const TERRAFORM_POLICY = /aws_iam_policy_document|\b(?:policy|assume_role_policy|access_polic(?:y|ies)|policy_document|resource_policy|content)\s*=/;

/** A glob as the server matches `policyGlobs`: against the absolute path or the name, `*` and
 * `**` match any characters including `/`, `?` one character. */
export function globMatches(glob: string, filePath: string): boolean {
  const pattern = glob
    .split(/(\*+|\?)/)
    .map((part) => {
      if (part.startsWith('*')) {
        return '.*';
      }
      return part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${pattern}$`);
  const slashed = filePath.split(path.sep).join('/');
  return regex.test(slashed) || regex.test(path.basename(filePath));
}

/** Whether `document` is a document of the user's that the server would check: a JSON policy,
 * a template (JSON, or YAML unless `formats.yaml` is false), a YAML policy, or Terraform with
 * a policy argument (unless `formats.terraform` is false). */
export function callsForServer(document: vscode.TextDocument, globs: string[],
  formats: HostFormats = { yaml: true, terraform: true }): boolean {
  if (!SCHEMES.has(document.uri.scheme)) {
    return false;
  }
  const filePath = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
  if (TERRAFORM_LANGUAGES.includes(document.languageId) || filePath.toLowerCase().endsWith('.tf')) {
    return formats.terraform && TERRAFORM_POLICY.test(document.getText());
  }
  const yaml = formats.yaml;
  const isJson = LANGUAGES.has(document.languageId);
  if (!isJson) {
    const isYaml = YAML_LANGUAGES.includes(document.languageId);
    if (!isYaml && !filePath.toLowerCase().endsWith('.template')) {
      return false;
    }
    const text = document.getText();
    if (!isYaml && text.trimStart().startsWith('{')) {
      return JSON_TEMPLATE_KEY.test(text);
    }
    return yaml && (YAML_TEMPLATE_KEY.test(text) ||
      (YAML_VERSION_KEY.test(text) && YAML_STATEMENT_KEY.test(text)));
  }
  if ([...SCHEMA_GLOBS, ...globs].some((glob) => globMatches(glob, filePath))) {
    return true;
  }
  const text = document.getText();
  return POLICY_KEY.test(text) || JSON_TEMPLATE_KEY.test(text);
}
