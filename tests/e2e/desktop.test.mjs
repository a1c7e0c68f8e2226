// CubeDesk among the other desktop programs, in the real window: a second launch hands its
// cubedesk:// link to the window already open and quits; links CubeDesk does not follow are
// refused in words; a damaged saved window state does not stop the start; start at login is a
// real file the desktop reads; the diagnostics hold no phone or message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './webdriver.mjs';

const out = process.env.E2E_OUT ?? 'target/e2e';
const config = process.env.XDG_CONFIG_HOME;

/** Launches CubeDesk a second time on the same archive with `link`; it must hand over and quit. */
function secondLaunch(dataDir, link) {
  const r = spawnSync(process.env.APP_BIN, ['--data-dir', dataDir, link], { timeout: 30000, encoding: 'utf8' });
  assert.equal(r.status, 0, `the second launch quits at once: ${r.status} ${r.signal} ${r.stderr}`);
}

test('links reach the open window through a second launch, bad ones are refused, and the desktop settings are real', async () => {
  assert.ok(config, 'e2e.sh gives the app a private XDG_CONFIG_HOME');
  const saved = join(config, 'io.cubeconnect.cubedesk');
  mkdirSync(saved, { recursive: true });
  writeFileSync(join(saved, '.window-state.json'), '{"main": {"width": "wide", ');

  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-e2e-desktop-'));
  const s = await launch(['--data-dir', dataDir]);
  try {
    await s.click('#explore-demo');
    await s.waitForText('#demo-banner', (t) => t.includes('DEMO'), 30000);
    await s.waitFor('.conversation');

    const status = await s.asyncScript('window.__TAURI_INTERNALS__.invoke("app_status").then(done, () => done(null))');
    const text = 'Please confirm my booking for the blue abaya';
    const r = await fetch(`${status.account.baseUrl}/_sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+966 55 777 0101', name: 'Link E2E', type: 'text', text }),
    });
    assert.equal(r.status, 200);
    await s.until(`return [...document.querySelectorAll('.customer')].some(c => c.textContent === 'Link E2E')`, 20000);

    // A link clicked in a browser or an e-mail: the system starts CubeDesk again with it.
    secondLaunch(dataDir, 'cubedesk://conversation/%2B966557770101');
    await s.waitForText('#conversation-title', (t) => t.includes('Link E2E'), 15000);
    assert.equal(await s.exists('#link-error'), false);

    secondLaunch(dataDir, 'cubedesk://delete/966557770101');
    const refusal = await s.waitForText('#link-error', (t) => t.length > 0, 15000);
    assert.match(refusal, /only follows links that open a conversation/);
    assert.equal(await s.attr('#link-error', 'data-code'), 'LINK_REFUSED');
    await s.screenshot(join(out, 'link-refused.png'));
    assert.match(await s.text('#conversation-title'), /Link E2E/, 'the conversation on screen stays');

    await s.click('#link-error button');
    secondLaunch(dataDir, 'cubedesk://conversation/96655<b>1');
    assert.match(await s.waitForText('#link-error', (t) => t.length > 0, 15000), /phone number/);
    await s.click('#link-error button');
    secondLaunch(dataDir, 'cubedesk://conversation/+1 555 000 0000');
    assert.match(await s.waitForText('#link-error', (t) => t.length > 0, 15000), /there is none with that number/);

    // Start at login: the desktop's autostart entry appears and goes.
    await s.click('#open-settings');
    const entry = join(process.env.HOME, '.config', 'autostart', 'CubeDesk.desktop');
    await s.until('return document.querySelector("#pref-autostart") && !document.querySelector("#pref-autostart").disabled', 10000);
    assert.equal(await s.script('return document.querySelector("#pref-autostart").checked'), false);
    await s.click('#pref-autostart');
    await s.until('return document.querySelector("#pref-autostart").checked', 10000);
    assert.ok(existsSync(entry), `${entry} written`);
    const exec = readFileSync(entry, 'utf8').split('\n').find((l) => l.startsWith('Exec='));
    assert.ok(exec?.includes(process.env.APP_BIN) && exec.includes(dataDir), `starts this archive at login: ${exec}`);
    await s.click('#pref-autostart');
    await s.until('return !document.querySelector("#pref-autostart").checked', 10000);
    assert.equal(existsSync(entry), false, 'removed again');

    // Diagnostics for support: states and sizes, never a phone or a message.
    await s.click('#copy-diagnostics');
    const report = await s.until('return document.querySelector("#diagnostics-text")?.value', 10000);
    assert.match(report, /^CubeDesk \d+\.\d+\.\d+/);
    assert.match(report, /Data folder: .* MB\)/);
    assert.match(report, /Showing: the demo/);
    assert.match(report, /Log folder: /);
    assert.ok(!report.includes('557770101') && !report.includes('blue abaya') && !report.includes('Link E2E'), report);
    await s.screenshot(join(out, 'desktop-settings.png'));
  } finally {
    await s.close();
  }
});
