// Test-only: opens code-server in headless Chromium (puppeteer-core) and answers the probe
// extension's questions about what only the page shows: the notifications on screen, a
// screenshot, a click on a notification's button, the text of an element.
//
//   node browser.cjs CHROMIUM URL REQUESTS_FOLDER PROFILE_FOLDER
//
// The probe writes REQUESTS_FOLDER/<n>.request (JSON: {action, ...}); this answers with
// <n>.response, written through a rename. puppeteer-core is loaded from
// $CONNECT_POLICY_PUPPETEER/node_modules (scripts/vscode-e2e.sh installs it into its cache).
'use strict';

const fs = require('fs');
const path = require('path');

const puppeteer = require(path.join(process.env.CONNECT_POLICY_PUPPETEER, 'node_modules', 'puppeteer-core'));

const [chromium, url, folder, profile] = process.argv.slice(2);

/** The notifications on screen (toasts), each with its message and buttons. */
function notificationsOnScreen() {
  return [...document.querySelectorAll('.notifications-toasts .notification-list-item')].map((item) => ({
    message: (item.querySelector('.notification-list-item-message') || item).innerText.trim(),
    buttons: [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')]
      .map((button) => button.innerText.trim()),
  }));
}

function clickNotificationButton(label) {
  for (const button of document.querySelectorAll('.notifications-toasts .notification-list-item-buttons-container .monaco-button')) {
    if (button.innerText.trim() === label) {
      button.click();
      return true;
    }
  }
  return false;
}

async function answer(page, request) {
  switch (request.action) {
    case 'notifications':
      return { notifications: await page.evaluate(notificationsOnScreen) };
    case 'screenshot': {
      const file = path.join(folder, `${request.name}.png`);
      await page.screenshot({ path: file });
      return { file };
    }
    case 'click':
      return { clicked: await page.evaluate(clickNotificationButton, request.button) };
    case 'text':
      return {
        text: await page.evaluate((selector) => {
          const element = document.querySelector(selector);
          return element ? element.innerText : null;
        }, request.selector),
      };
    default:
      return { error: `unknown action ${request.action}` };
  }
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    // On SIGTERM (the script ends its sessions) exit at once; the script ends Chromium too.
    handleSIGTERM: false,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--window-size=1280,800'],
  });
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  console.log(`[browser] opened ${url}`);
  const done = new Set();
  for (;;) {
    for (const name of fs.readdirSync(folder).filter((n) => n.endsWith('.request')).sort()) {
      if (done.has(name)) {
        continue;
      }
      done.add(name);
      const request = JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8'));
      let response;
      try {
        response = await answer(page, request);
      } catch (error) {
        response = { error: String(error && error.stack ? error.stack : error) };
      }
      console.log(`[browser] ${request.action}: ${JSON.stringify(response).slice(0, 300)}`);
      const target = path.join(folder, name.replace(/\.request$/, '.response'));
      fs.writeFileSync(`${target}.tmp`, JSON.stringify(response));
      fs.renameSync(`${target}.tmp`, target);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

process.on('SIGTERM', () => process.exit(0));

main().catch((error) => {
  console.error('[browser] failed:', error);
  process.exit(1);
});
