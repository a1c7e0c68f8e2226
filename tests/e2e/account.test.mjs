// Account set-up in the real window against `cubedesk sim` running as its own process: field
// problems shown inline, a wrong key explained, then a real connection whose key lands in the
// system keychain (this suite runs inside a Secret Service session, see scripts/e2e.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './webdriver.mjs';

const out = process.env.E2E_OUT ?? 'target/e2e';
const KEY = 'ck_e2e_key_7f3a9b21';

async function startSim(port) {
  const sim = spawn(process.env.APP_BIN, ['sim', '--port', String(port), '--api-key', KEY, '--number', '01JXE2ENUMBER', '--seed-data'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return sim;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  sim.kill();
  throw new Error('cubedesk sim did not start');
}

async function type(s, css, text) {
  await s.script(
    `const el = document.querySelector(arguments[0]);
     const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
     set.call(el, arguments[1]);
     el.dispatchEvent(new Event('input', { bubbles: true }));`,
    [css, text],
  );
}

test('connect an account: problems inline, a wrong key explained, the key kept in the keychain', async () => {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const sim = await startSim(port);
  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-e2e-account-'));
  const s = await launch(['--data-dir', dataDir]);
  try {
    await s.click('#connect-account');
    await s.waitFor('#account-form');
    await s.click('#account-submit');
    await s.waitForText('#account-form', (t) => t.includes('Paste the API key'));
    assert.equal(await s.script('return document.querySelector("input[name=api_key]").getAttribute("aria-invalid")'), 'true');
    await s.screenshot(join(out, 'account-form.png'));

    await type(s, 'input[name=name]', 'Al Noor Pharmacy');
    await type(s, 'input[name=base_url]', `http://127.0.0.1:${port}`);
    await type(s, 'input[name=api_key]', 'ck_wrong_key_000');
    await type(s, 'input[name="numbers.0.api_id"]', '01JXE2ENUMBER');
    await type(s, 'input[name="numbers.0.display_name"]', 'Main shop');
    await s.click('#account-submit');
    const refusal = await s.waitForText('#account-failure', (t) => t.length > 0, 20000);
    assert.match(refusal, /did not accept this API key/);

    await type(s, 'input[name=api_key]', KEY);
    await s.click('#account-submit');
    await s.waitForText('#account-line', (t) => t.includes('Al Noor Pharmacy'), 20000);
    assert.equal(await s.exists('#demo-banner'), false);

    await s.click('#open-settings');
    const presence = await s.waitForText('#secret-presence', (t) => t.length > 0);
    assert.match(presence, /API key yes/);
  } finally {
    await s.close();
    sim.kill();
  }
  // The key is in the keychain, not in any file of the data folder.
  for (const f of readdirSync(dataDir)) {
    assert.ok(!readFileSync(join(dataDir, f)).includes(KEY), `${f} holds the API key`);
  }
});
