// Demo mode in the real window: the in-process simulator, the seeded account, always labelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './webdriver.mjs';

const out = process.env.E2E_OUT ?? 'target/e2e';

test('Explore with demo data shows the seeded account, labelled as a demo, and leaves cleanly', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-e2e-demo-'));
  const s = await launch(['--data-dir', dataDir]);
  try {
    await s.click('#explore-demo');
    const banner = await s.waitForText('#demo-banner', (t) => t.includes('DEMO'), 30000);
    assert.match(banner, /Nothing reaches real customers/);
    assert.match(await s.text('#account-line'), /\(demo\)/);
    await s.waitFor('.conversation');
    const rows = Number(await s.attr('#conversations', 'data-count'));
    assert.ok(rows >= 60, `${rows} conversations`);
    // The list is virtualised: each window state is checked through its filter.
    for (const tone of ['open', 'closing', 'closed']) {
      await s.click(`#filter-window option[value="${tone}"]`);
      await s.until(`return [...document.querySelectorAll('.window-badge')].length > 0 && [...document.querySelectorAll('.window-badge')].every(e => e.classList.contains(arguments[0]))`, 10000, [tone]);
    }
    await s.click('#filter-window option[value=""]');
    await s.until('return Number(document.querySelector("#conversations")?.dataset.count) === arguments[0]', 10000, [rows]);
    assert.match(await s.text('#core-status'), /demo/);

    // A customer writes: the simulator's signed webhook reaches the demo's receiver, and the
    // conversation appears at the top without a reload.
    const sync = await s.waitForText('#sync-status', (t) => t.includes('receiving webhooks at http://127.0.0.1:'));
    assert.match(sync, /\/webhooks\/cubeconnect/);
    const status = await s.asyncScript('window.__TAURI_INTERNALS__.invoke("app_status").then(done, (e) => done(null))');
    const simUrl = status.account.baseUrl;
    const r = await fetch(`${simUrl}/_sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+966 55 777 0001', name: 'Noura E2E', type: 'text', text: 'Is my order ready? <script>alert(1)</script>' }),
    });
    assert.equal(r.status, 200);
    await s.waitForText('.conversation .customer', (t) => t === 'Noura E2E', 15000);
    const preview = await s.text('.conversation .preview');
    assert.equal(preview, 'Is my order ready? <script>alert(1)</script>', 'customer text shown as text');
    assert.equal(await s.script('return document.querySelectorAll(".conversations script").length'), 0);
    await s.waitForText('#sync-status', (t) => t.includes('last event'));
    await s.screenshot(join(out, 'demo-inbox.png'));

    await s.click('#leave-demo');
    await s.waitFor('#explore-demo');
    assert.equal(await s.exists('#demo-banner'), false);
    assert.equal(await s.exists('.conversation'), false, 'the real archive has no demo data');
  } finally {
    await s.close();
  }
});
