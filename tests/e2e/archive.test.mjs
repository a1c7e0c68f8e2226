// The offline archive in the real window: a customer's Arabic message with tashkeel is found by a
// search typed without it, the hit is highlighted as text, opening it shows the conversation at that
// message, and the insights page and the archive tools are there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './webdriver.mjs';

const out = process.env.E2E_OUT ?? 'target/e2e';

async function sim(base, path, body) {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200, `${path}: ${await r.text()}`);
}

test('search finds Arabic without tashkeel, opens the conversation at the message; insights and archive tools open', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-e2e-archive-'));
  const s = await launch(['--data-dir', dataDir]);
  try {
    await s.click('#explore-demo');
    await s.waitFor('.conversation', 30000);
    const status = await s.asyncScript('window.__TAURI_INTERNALS__.invoke("app_status").then(done, () => done(null))');
    const base = status.account.baseUrl;
    const words = 'هل عندكم الزَّعْفَرَانُ الإيراني؟ <b>bold</b>';
    await sim(base, '/_sim/inbound', { phone: '+966 55 777 0101', name: 'Search E2E', type: 'text', text: words });
    await s.until(`return [...document.querySelectorAll('.conversation .customer')].some(c => c.textContent === 'Search E2E')`, 20000);
    // More messages after it, so opening the hit must land in the middle, not at the newest.
    for (let i = 0; i < 30; i++) {
      await sim(base, '/_sim/inbound', { phone: '+966 55 777 0101', name: 'Search E2E', type: 'text', text: `later message ${i}` });
    }

    await s.click('#open-search');
    await s.waitFor('#search-query');
    await s.type('#search-query', 'زعفران');
    await s.until(`return document.querySelectorAll('.search-hit').length === 1`, 20000);
    const marked = await s.script(`return [...document.querySelectorAll('.search-hit mark')].map(m => m.textContent)`);
    assert.deepEqual(marked, ['الزَّعْفَرَانُ'], 'the word is highlighted as written, with its tashkeel');
    const bold = await s.script(`return document.querySelector('.search-hit b')`);
    assert.equal(bold, null, 'customer text is never markup');
    const snippet = await s.script(`return document.querySelector('.search-hit').textContent`);
    assert.ok(snippet.includes('<b>bold</b>'), snippet);
    await s.screenshot(join(out, 'search.png'));

    // Syntax characters are searched as text, never an error.
    await s.script(`const i = document.querySelector('#search-query'); const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set; set.call(i, ''); i.dispatchEvent(new Event('input', { bubbles: true }));`);
    await s.type('#search-query', 'NEAR( "later *');
    await s.until(`return document.querySelectorAll('.search-hit').length > 0 || !!document.querySelector('#search-none')`, 20000);
    assert.equal(await s.script(`return document.querySelector('#search-error')?.textContent ?? null`), null);

    await s.script(`const i = document.querySelector('#search-query'); const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set; set.call(i, ''); i.dispatchEvent(new Event('input', { bubbles: true }));`);
    await s.type('#search-query', 'زعفران');
    await s.until(`return document.querySelectorAll('.search-hit').length === 1`, 20000);
    const messageId = await s.attr('.search-hit', 'data-message-id');
    await s.click('.search-hit');
    await s.waitFor('#conversation-view');
    await s.until(
      `const el = document.querySelector('[data-found="true"]');
       if (!el || el.dataset.key !== 'm-' + arguments[0]) return false;
       const r = el.getBoundingClientRect(), t = document.querySelector('#thread').getBoundingClientRect();
       return r.bottom > t.top && r.top < t.bottom;`,
      20000,
      [messageId],
    );
    await s.screenshot(join(out, 'search-opened.png'));

    await s.click('#open-insights');
    await s.waitFor('#insights-page');
    await s.until(`return document.querySelectorAll('#insights-page svg').length > 0 || !!document.querySelector('#insights-page [role="alert"]')`, 20000);
    assert.equal(await s.script(`return document.querySelector('#insights-page [role="alert"]')?.textContent ?? null`), null);
    await s.screenshot(join(out, 'insights.png'));

    await s.click('#open-settings');
    await s.waitFor('#backup-demo-note');
    await s.waitFor('#archive-export');
    await s.waitFor('#import-phone');
    await s.screenshot(join(out, 'archive-tools.png'));
  } finally {
    await s.close();
  }
});
