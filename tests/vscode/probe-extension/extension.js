// Test-only extension for scripts/vscode-e2e.sh. Plain JavaScript, no build step.
//
// Once VS Code has started (and, through extensionDependencies, once connect-policy is active),
// it opens the workspace's policy.json, waits for connect-policy's diagnostics, asks for a hover
// on `connect:DescribeUser` in hover.json and for completion after `"connect:Desc` in
// completion.json, applies the preferred quick fix for the unknown action in quickfix.json (as a
// user would: the code actions VS Code collects for the diagnostic's range, the preferred one's
// edit through workspace.applyEdit, left unsaved) and waits for the diagnostics to follow the
// edit, opens the YAML template template.yaml and the Terraform file main.tf, waits for their
// diagnostics and asks for a hover and completion in each, and writes
// everything it saw as JSON to $CONNECT_POLICY_E2E_OUT (or, when the
// environment does not reach the extension host, to .connect-policy-e2e-result.json in the
// workspace folder). It writes the file once, at the end, through a rename, so a reader never
// sees half of it.
'use strict';

const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const SOURCE = 'connect-policy';
const EXTENSION_ID = 'connect-policy-lsp.connect-policy';
const FALLBACK_NAME = '.connect-policy-e2e-result.json';
const DIAGNOSTICS_TIMEOUT_MS = 60000;
const REQUEST_TIMEOUT_MS = 20000;
// The finding in quickfix.json that the probe fixes.
const FIX_FILE = 'quickfix.json';
const FIX_CODE = 'INVALID_ACTION';
const FIX_SUBJECT = 'connect-campaigns:UpdateDialerConfig';

// The syntax errors in syntax.json: a missing comma and a trailing comma, reported once each
// (by VS Code's JSON service, with the server's quick fix on them).
const SYNTAX_FILE = 'syntax.json';
// A CloudFormation template in YAML with an unknown action (connect:ListUsrs).
const TEMPLATE_FILE = 'template.yaml';
// A Terraform file with an unknown action (connect:ListUsrs) in a jsonencode policy.
const TERRAFORM_FILE = 'main.tf';
const JSON_SOURCE = 'json';
const MISSING_COMMA_FIX = 'Insert the missing comma';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();

/** Asks the page (tests/vscode/browser.cjs) for what only it sees; null without a browser. */
let requests = 0;
async function askBrowser(request) {
  const folder = process.env.CONNECT_POLICY_E2E_BROWSER;
  if (!folder) {
    return null;
  }
  const name = String(++requests).padStart(3, '0');
  const file = path.join(folder, `${name}.request`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(request));
  fs.renameSync(`${file}.tmp`, file);
  const response = path.join(folder, `${name}.response`);
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (fs.existsSync(response)) {
      return JSON.parse(fs.readFileSync(response, 'utf8'));
    }
    await sleep(100);
  }
  return { error: `no answer to ${JSON.stringify(request)}` };
}

async function screenshot(name, log) {
  const answer = await askBrowser({ action: 'screenshot', name });
  if (answer) {
    log.push(`screenshot ${name}: ${answer.file || answer.error}`);
  }
}

/** The notifications on screen that come from Connect Policy. */
async function ourNotifications() {
  const answer = await askBrowser({ action: 'notifications' });
  if (!answer || !answer.notifications) {
    return answer;
  }
  return answer.notifications.filter((n) => n.message.includes('Connect Policy'));
}

function positionOf(document, needle, delta) {
  const offset = document.getText().indexOf(needle);
  if (offset < 0) {
    throw new Error(`${path.basename(document.uri.fsPath)} does not contain ${needle}`);
  }
  return document.positionAt(offset + delta);
}

function rangeJson(range) {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

function codeOf(diagnostic) {
  const code = diagnostic.code;
  if (code !== null && typeof code === 'object') {
    return String(code.value);
  }
  return code === undefined ? null : String(code);
}

function markdownOf(content) {
  if (typeof content === 'string') {
    return content;
  }
  if (content && typeof content.value === 'string') {
    return content.value; // MarkdownString, or a MarkedString { language, value }
  }
  return String(content);
}

function labelOf(item) {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Asks again until `ask` returns something `good` (the server may still be starting). */
async function retry(what, ask, good, log) {
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  let last = [];
  for (let attempt = 1; ; attempt++) {
    last = await ask();
    if (last.some(good) || Date.now() > deadline) {
      log.push(`${what}: ${last.length} result(s) after ${attempt} attempt(s)`);
      return last;
    }
    await sleep(500);
  }
}

async function waitForDiagnostics(uri, log) {
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  let ours = [];
  let stableSince = 0;
  let lastKey = '';
  while (Date.now() < deadline) {
    ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
    const key = JSON.stringify(ours.map((d) => [codeOf(d), d.message]));
    if (key !== lastKey) {
      lastKey = key;
      stableSince = Date.now();
    }
    // Done once there are some and they have not changed for a second.
    if (ours.length > 0 && Date.now() - stableSince >= 1000) {
      log.push(`diagnostics: ${ours.length} from ${SOURCE} after ${Date.now() - started} ms`);
      return ours;
    }
    await sleep(250);
  }
  const all = vscode.languages.getDiagnostics(uri);
  throw new Error(`no diagnostics from ${SOURCE} on ${uri.fsPath} within ` +
    `${DIAGNOSTICS_TIMEOUT_MS / 1000} s (diagnostics from other sources: ` +
    `${JSON.stringify(all.map((d) => `${d.source}: ${d.message}`))})`);
}

function diagnosticsJson(diagnostics) {
  return diagnostics.map((d) => ({
    source: d.source,
    code: codeOf(d),
    severity: vscode.DiagnosticSeverity[d.severity],
    message: d.message,
    range: rangeJson(d.range),
  }));
}

function diagnosticsKey(diagnostics) {
  return JSON.stringify(diagnosticsJson(diagnostics));
}

/** All diagnostics on `uri` (every source) once VS Code's JSON service has reported too and
 * nothing changed for 1.5 s. */
async function waitForAllDiagnostics(uri, log) {
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  let lastKey = '';
  let stableSince = Date.now();
  let all = [];
  while (Date.now() < deadline) {
    all = vscode.languages.getDiagnostics(uri);
    const key = diagnosticsKey(all);
    if (key !== lastKey) {
      lastKey = key;
      stableSince = Date.now();
    }
    const sources = new Set(all.map((d) => d.source));
    if (sources.has(SOURCE) && sources.has(JSON_SOURCE) && Date.now() - stableSince >= 1500) {
      break;
    }
    await sleep(250);
  }
  log.push(`all diagnostics on ${path.basename(uri.fsPath)}: ${all.length} after ${Date.now() - started} ms`);
  return all;
}

/** Waits until our diagnostics on `uri` differ from `before` (a diagnosticsKey) and have not
 * changed for a second; returns them, or null on timeout. */
async function waitForNewDiagnostics(uri, before, log) {
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  let lastKey = before;
  let stableSince = 0;
  while (Date.now() < deadline) {
    const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
    const key = diagnosticsKey(ours);
    if (key !== lastKey) {
      lastKey = key;
      stableSince = Date.now();
    }
    if (key !== before && Date.now() - stableSince >= 1000) {
      log.push(`diagnostics after the quick fix: ${ours.length} after ${Date.now() - started} ms`);
      return ours;
    }
    await sleep(250);
  }
  log.push(`diagnostics did not change within ${DIAGNOSTICS_TIMEOUT_MS / 1000} s of the quick fix`);
  return null;
}

/** Step 4: the preferred quick fix for FIX_CODE in FIX_FILE, applied as an unsaved edit. */
async function applyQuickFix(uri, log) {
  const quickFix = { file: FIX_FILE, offered: [], applied: false };
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  const before = await waitForDiagnostics(uri, log);
  quickFix.diagnosticsBefore = diagnosticsJson(before);
  const target = before.find((d) => codeOf(d) === FIX_CODE && d.message.includes(FIX_SUBJECT));
  if (!target) {
    throw new Error(`no ${FIX_CODE} diagnostic about ${FIX_SUBJECT} in ${FIX_FILE}`);
  }
  quickFix.range = rangeJson(target.range);
  // What the light bulb shows: VS Code passes the diagnostics at the range as the context.
  const actions = await retry('code actions', async () => {
    const answer = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider', uri, target.range, vscode.CodeActionKind.QuickFix.value);
    return answer || [];
  }, (action) => action.isPreferred === true, log);
  quickFix.offered = actions.map((action) => ({
    title: action.title,
    kind: action.kind ? action.kind.value : null,
    isPreferred: action.isPreferred === true,
    hasEdit: Boolean(action.edit), // (vscode.executeCodeActionProvider drops `diagnostics`)
  }));
  const preferred = actions.filter((action) => action.isPreferred === true && action.edit);
  if (preferred.length !== 1) {
    quickFix.problem = `${preferred.length} preferred quick fixes with an edit, not one`;
  } else {
    const beforeKey = diagnosticsKey(before);
    quickFix.versionBefore = document.version;
    quickFix.applied = await vscode.workspace.applyEdit(preferred[0].edit);
    quickFix.versionAfter = document.version;
    log.push(`applied "${preferred[0].title}": ${quickFix.applied}`);
    if (quickFix.applied) {
      const after = await waitForNewDiagnostics(uri, beforeKey, log);
      quickFix.diagnosticsChanged = after !== null;
    }
  }
  quickFix.text = document.getText();
  quickFix.isDirty = document.isDirty;
  quickFix.textOnDisk = fs.readFileSync(uri.fsPath, 'utf8');
  quickFix.diagnostics = diagnosticsJson(
    vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE));
  return quickFix;
}

/** Step 5: syntax.json's two syntax errors, each reported once, with the server's quick fix on
 * VS Code's report; the missing comma's fix applied (unsaved). */
async function syntaxErrors(uri, log) {
  const syntax = { file: SYNTAX_FILE };
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  // Room for every file's problems in the screenshots.
  await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
  const before = await waitForAllDiagnostics(uri, log);
  syntax.diagnostics = diagnosticsJson(before);
  await screenshot('problems-before-fix', log);
  // The light bulb's menu as a user opens it (Ctrl+.) on VS Code's "Expected comma".
  const expected = before.find((d) => d.source === JSON_SOURCE && d.message.startsWith('Expected comma'));
  if (expected) {
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel'); // the editor
    const editor = vscode.window.activeTextEditor;
    editor.selection = new vscode.Selection(expected.range.start, expected.range.start);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await sleep(1500);
    const menu = await askBrowser({ action: 'text', selector: '.action-widget' });
    syntax.quickFixMenu = menu ? menu.text : null;
    await screenshot('quick-fix-menu', log);
    await vscode.commands.executeCommand('hideCodeActionWidget');
  }
  syntax.fixes = [];
  for (const diagnostic of before.filter((d) => d.source === JSON_SOURCE)) {
    const actions = (await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) || [];
    syntax.fixes.push({ message: diagnostic.message, range: rangeJson(diagnostic.range),
      offered: actions.map((action) => action.title) });
    const fix = actions.find((action) => action.title === MISSING_COMMA_FIX && action.edit);
    if (fix && !syntax.applied) {
      syntax.applied = await vscode.workspace.applyEdit(fix.edit);
      log.push(`applied "${fix.title}" on "${diagnostic.message}": ${syntax.applied}`);
    }
  }
  if (syntax.applied) {
    await sleep(500);
    if (expected) {
      await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    }
    syntax.diagnosticsAfter = diagnosticsJson(await waitForAllDiagnostics(uri, log));
    await screenshot('problems-after-fix', log);
  }
  syntax.text = document.getText();
  return syntax;
}

/** The scenario with no server (connectPolicy.server.path names a missing file): nothing shows
 * until a policy is opened; then the "not found" message, with its buttons. */
async function noServer(result) {
  const log = result.log;
  const folder = vscode.workspace.workspaceFolders[0];
  const file = (name) => vscode.Uri.joinPath(folder.uri, name);
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  result.extension = extension ? { id: extension.id, active: extension.isActive } : null;
  // The message lists the extension host's PATH (this host's), home written ~, long folders
  // shortened: a short one of the first few must be there as it is.
  const home = require('os').homedir();
  const folders = (process.env.PATH || '').split(path.delimiter).filter((folder) => folder !== '')
    .map((folder) => (folder.startsWith(home + path.sep) ? `~${folder.slice(home.length)}` : folder));
  result.firstPathFolder = folders.slice(0, 8).find((folder) => folder.length <= 40) || null;
  await sleep(8000); // the start-up, and whatever VS Code opens by itself
  result.documentsAtStart = vscode.workspace.textDocuments.map((d) => ({
    uri: d.uri.toString(), languageId: d.languageId }));
  result.notificationsAtStart = await ourNotifications();
  await screenshot('no-policy-open', log);

  const notes = await vscode.workspace.openTextDocument(file('notes.json'));
  await vscode.window.showTextDocument(notes, { preview: false });
  await sleep(4000);
  result.notificationsWithOtherJson = await ourNotifications();

  const policy = await vscode.workspace.openTextDocument(file('policy.json'));
  await vscode.window.showTextDocument(policy, { preview: false });
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  let shown = [];
  while (Date.now() < deadline) {
    shown = (await ourNotifications()) || [];
    if (shown.length > 0) {
      break;
    }
    await sleep(500);
  }
  result.notificationsWithPolicy = shown;
  log.push(`notifications with a policy open: ${shown.length} after ${Date.now() - started} ms`);
  await screenshot('server-not-found', log);
  const button = shown.length > 0 ? shown[0].buttons.find((b) => b.startsWith('Set ')) : undefined;
  if (button) {
    result.clicked = (await askBrowser({ action: 'click', button })).clicked;
    await sleep(3000);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    result.activeTabAfterClick = tab ? tab.label : null;
    const text = await askBrowser({ action: 'text', selector: '.settings-editor .settings-body' });
    result.settingsText = text ? text.text : null;
    await screenshot('settings-after-click', log);
  }

  // Setting connectPolicy.server.path (as in the Settings UI) restarts the server with it.
  const server = process.env.CONNECT_POLICY_E2E_SERVER;
  if (server) {
    await vscode.workspace.getConfiguration('connectPolicy')
      .update('server.path', server, vscode.ConfigurationTarget.Global);
    log.push(`set connectPolicy.server.path to ${server}`);
    result.diagnosticsAfterSetting = diagnosticsJson(await waitForDiagnostics(file('policy.json'), log));
  }
}

function writeResult(result) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const target = process.env.CONNECT_POLICY_E2E_OUT ||
    (folder ? path.join(folder.uri.fsPath, FALLBACK_NAME) : null);
  if (!target) {
    console.error('[connect-policy-e2e-probe] nowhere to write the result');
    return;
  }
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(result, null, 2));
  fs.renameSync(temporary, target);
  console.log(`[connect-policy-e2e-probe] wrote ${target}`);
}

async function run(result) {
  const log = result.log;
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) {
    throw new Error('no workspace folder is open');
  }
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  result.extension = extension
    ? { id: extension.id, version: extension.packageJSON.version, active: extension.isActive }
    : null;
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed`);
  }
  const file = (name) => vscode.Uri.joinPath(folder.uri, name);

  // 1. Diagnostics on the broken policy, as a person opening it would see them.
  const policyUri = file('policy.json');
  const policy = await vscode.workspace.openTextDocument(policyUri);
  await vscode.window.showTextDocument(policy, { preview: false });
  log.push(`opened policy.json as ${policy.languageId} after ${Date.now() - started} ms`);
  const diagnostics = await waitForDiagnostics(policyUri, log);
  result.diagnostics = diagnosticsJson(diagnostics);
  result.allDiagnostics = diagnosticsJson(await waitForAllDiagnostics(policyUri, log));

  // 2. Hover on connect:DescribeUser (the middle of the action's name).
  const hoverUri = file('hover.json');
  const hoverDocument = await vscode.workspace.openTextDocument(hoverUri);
  await vscode.window.showTextDocument(hoverDocument, { preview: false });
  const hoverAt = positionOf(hoverDocument, '"connect:DescribeUser"', 12);
  result.hoverPosition = { line: hoverAt.line, character: hoverAt.character };
  const hovers = await retry('hover', async () => {
    const answer = await vscode.commands.executeCommand('vscode.executeHoverProvider', hoverUri, hoverAt);
    return (answer || []).flatMap((hover) => hover.contents.map(markdownOf));
  }, (text) => text.includes('DescribeUser'), log);
  result.hover = hovers;

  // 3. Completion right after `"connect:Desc` (an action being typed, no closing quote yet).
  const completionUri = file('completion.json');
  const completionDocument = await vscode.workspace.openTextDocument(completionUri);
  await vscode.window.showTextDocument(completionDocument, { preview: false });
  const completeAt = positionOf(completionDocument, '"connect:Desc', '"connect:Desc'.length);
  result.completionPosition = { line: completeAt.line, character: completeAt.character };
  const labels = await retry('completion', async () => {
    const answer = await vscode.commands.executeCommand(
      'vscode.executeCompletionItemProvider', completionUri, completeAt);
    return ((answer && answer.items) || []).map(labelOf);
  }, (label) => label.startsWith('connect:'), log);
  result.completions = labels;

  // 4. The preferred quick fix for the unknown action in quickfix.json (never saved).
  result.quickFix = await applyQuickFix(file(FIX_FILE), log);

  // 5. Syntax errors reported once, with the server's quick fix.
  result.syntax = await syntaxErrors(file(SYNTAX_FILE), log);

  // 6. A CloudFormation template in YAML: its typo is in the Problems panel.
  const templateUri = file(TEMPLATE_FILE);
  const template = await vscode.workspace.openTextDocument(templateUri);
  await vscode.window.showTextDocument(template, { preview: false });
  log.push(`opened ${TEMPLATE_FILE} as ${template.languageId}`);
  result.template = {
    languageId: template.languageId,
    diagnostics: diagnosticsJson(await waitForDiagnostics(templateUri, log)),
  };
  // ... and hover and completion work inside it.
  result.template.hover = await hoverTextAt(templateUri, positionOf(template, 'connect:DescribeUser', 12),
    'DescribeUser', log);
  result.template.completions = await completionsAt(templateUri,
    positionOf(template, 'connect:ListUsrs', 'connect:List'.length), 'connect:List', log);

  // 7. A Terraform file: its typo in the Problems panel, hover and completion in its policies.
  const terraformUri = file(TERRAFORM_FILE);
  const terraform = await vscode.workspace.openTextDocument(terraformUri);
  await vscode.window.showTextDocument(terraform, { preview: false });
  log.push(`opened ${TERRAFORM_FILE} as ${terraform.languageId}`);
  result.terraform = {
    languageId: terraform.languageId,
    diagnostics: diagnosticsJson(await waitForDiagnostics(terraformUri, log)),
    hover: await hoverTextAt(terraformUri, positionOf(terraform, 'connect:DescribeUser', 12),
      'DescribeUser', log),
    completions: await completionsAt(terraformUri,
      positionOf(terraform, 'connect:ListUsrs', 'connect:List'.length), 'connect:List', log),
  };
}

/** The hover's text at `position`, asked again until it mentions `expected`. */
async function hoverTextAt(uri, position, expected, log) {
  return retry(`hover in ${path.basename(uri.fsPath)}`, async () => {
    const answer = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, position);
    return (answer || []).flatMap((hover) => hover.contents.map(markdownOf));
  }, (text) => text.includes(expected), log);
}

/** The completion labels at `position`, asked again until one starts with `expected`. */
async function completionsAt(uri, position, expected, log) {
  return retry(`completion in ${path.basename(uri.fsPath)}`, async () => {
    const answer = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, position);
    return ((answer && answer.items) || []).map(labelOf);
  }, (label) => label.startsWith(expected), log);
}

async function probe() {
  const result = {
    vscodeVersion: vscode.version,
    envOut: Boolean(process.env.CONNECT_POLICY_E2E_OUT),
    diagnostics: [],
    hover: [],
    completions: [],
    quickFix: null,
    log: [],
  };
  result.scenario = process.env.CONNECT_POLICY_E2E_SCENARIO || 'main';
  try {
    if (result.scenario === 'no-server') {
      await noServer(result);
    } else {
      await run(result);
    }
  } catch (error) {
    result.error = error && error.stack ? error.stack : String(error);
  }
  result.elapsedMs = Date.now() - started;
  try {
    writeResult(result);
  } catch (error) {
    console.error('[connect-policy-e2e-probe] could not write the result', error);
  }
}

function activate() {
  // Not awaited: activation returns at once and the probe goes on in the background.
  void probe();
}

function deactivate() {}

module.exports = { activate, deactivate };
