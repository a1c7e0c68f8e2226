// The inbox a shop owner lives in, in the real window against the demo's simulator: a customer
// writes (with markup that must stay text), we reply and watch the ticks reach read, a refused send
// is retried for real, the window closes and the composer becomes the template picker, an Arabic
// template goes out, and the whole layout mirrors in Arabic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './webdriver.mjs';

const out = process.env.E2E_OUT ?? 'target/e2e';
const ENTER = '\uE007';

async function sim(base, path, body, method = 'POST') {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.equal(r.status, 200, `${path}: ${text}`);
  return JSON.parse(text);
}

/** The id of the conversation whose row shows `name`. */
const rowOf = (s, name) =>
  s.until(
    `return [...document.querySelectorAll('.conversation')].find(r => r.querySelector('.customer')?.textContent === arguments[0])?.dataset.id`,
    20000,
    [name],
  );

test('a conversation from the first message to a template after the window closed, in English and Arabic', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-e2e-inbox-'));
  const s = await launch(['--data-dir', dataDir]);
  try {
    await s.click('#explore-demo');
    await s.waitForText('#demo-banner', (t) => t.includes('DEMO'), 30000);
    await s.waitFor('.conversation');
    const total = Number(await s.attr('#conversations', 'data-count'));
    const drawn = await s.script('return document.querySelectorAll(".conversation").length');
    assert.ok(total >= 60, `${total} conversations listed`);
    assert.ok(drawn < total, `virtualised: ${drawn} rows drawn of ${total}`);
    await s.screenshot(join(out, 'ui-inbox.png'));

    // Filters narrow the list, and clear again.
    await s.click('#filter-failed');
    await s.until('return document.querySelector("#filter-failed").getAttribute("aria-pressed") === "true" && Number(document.querySelector("#conversations")?.dataset.count) < arguments[0]', 10000, [total]);
    await s.click('#filter-failed');
    await s.until('return Number(document.querySelector("#conversations")?.dataset.count) === arguments[0]', 10000, [total]);

    // A customer writes, with markup and a script in the text: it arrives without a reload.
    const status = await s.asyncScript('window.__TAURI_INTERNALS__.invoke("app_status").then(done, () => done(null))');
    const base = status.account.baseUrl;
    const payload = 'Hi <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> <a href="javascript:window.__xss=3">link</a>';
    await sim(base, '/_sim/inbound', { phone: '+966 55 888 0042', name: 'Layla E2E', type: 'text', text: payload });
    const id = await rowOf(s, 'Layla E2E');
    await s.click(`.conversation[data-id="${id}"] .conversation-button`);
    await s.waitFor('#conversation-view');
    await s.until('return [...document.querySelectorAll("#thread .message.inbound")].some(m => m.textContent.includes(arguments[0]))', 15000, [payload]);
    assert.equal(await s.script('return window.__xss ?? null'), null, 'nothing in the message ran');
    assert.equal(await s.script('return document.querySelectorAll("#thread img, #thread script, #thread a[href^=javascript]").length'), 0);
    assert.match(await s.text('#window-banner'), /left/);

    // We reply: Enter sends, and the ticks go pending → sent → delivered → read.
    await s.type('#composer-text', `Your order is ready, Layla${ENTER}`);
    await s.until('return document.querySelector("#composer-text").value === ""', 10000);
    const reply = await s.until(
      `return [...document.querySelectorAll('#thread .message.outbound')].find(m => m.textContent.includes('Your order is ready, Layla'))?.dataset.id`,
      10000,
    );
    await s.until(`return document.querySelector('#thread .message[data-id="${reply}"]')?.dataset.status === 'read'`, 30000);
    const label = await s.script(`return [...document.querySelectorAll('#thread .message[data-id="${reply}"] [aria-label]')].map(e => e.getAttribute('aria-label')).join(' | ')`);
    assert.match(label, /Read/);
    await s.screenshot(join(out, 'ui-conversation.png'));

    // CubeConnect refuses the next send: it fails with the reason, and Retry truly sends it again.
    await sim(base, '/_sim/faults', { error: { code: 'VALIDATION_ERROR', count: 1 } });
    await s.type('#composer-text', `Shall we deliver today?${ENTER}`);
    const failed = await s.until(
      `return [...document.querySelectorAll('#thread .message.outbound')].find(m => m.textContent.includes('Shall we deliver today?') && m.dataset.status === 'failed')?.dataset.id`,
      20000,
    );
    assert.ok((await s.text(`#thread .message[data-id="${failed}"]`)).length > 0);
    await s.click(`#thread .message[data-id="${failed}"] [data-action="retry"]`);
    await s.until(`return ['sent', 'delivered', 'read'].includes(document.querySelector('#thread .message[data-id="${failed}"]')?.dataset.status)`, 30000);
    // Two texts reached CubeConnect (the reply and the retried one), each once, under its own key.
    const sends = (await sim(base, '/_sim/sends', undefined, 'GET')).filter((x) => x.phone?.includes('966558880042'));
    assert.equal(sends.length, 2, JSON.stringify(sends));
    assert.equal(new Set(sends.map((x) => x.idempotency_key)).size, 2);

    // A day passes on CubeConnect's clock: the window closes, and free text gives way to templates.
    await sim(base, '/_sim/clock', { advance_seconds: 25 * 3600 });
    await s.click(`.conversation[data-id="${id}"] .conversation-button`); // opening confirms the window
    await s.waitFor('#template-picker', 30000);
    assert.equal(await s.exists('#composer-text'), false, 'free-form input is replaced, not greyed out');
    assert.match(await s.text('#composer'), /24-hour window is closed/);
    assert.equal(await s.attr('#window-banner', 'data-phase'), 'closed');

    // An Arabic template: fields per parameter, a right-to-left preview, Send only when filled.
    const name = await s.asyncScript(
      `window.__TAURI_INTERNALS__.invoke('templates_for', { conversationId: ${id} })
         .then(all => done(all.find(t => t.language === 'ar' && t.paramsCount >= 1 && t.headerType === 'none')?.name ?? null), () => done(null))`,
    );
    assert.ok(name, 'the demo has an Arabic template with parameters');
    await s.click(`.template-option[data-name="${name}"]`);
    await s.waitFor('#template-preview');
    assert.equal(await s.attr('#template-preview', 'dir'), 'rtl');
    assert.equal(await s.script('return document.querySelector("#template-send").disabled'), true);
    const fields = await s.script('return [...document.querySelectorAll(".template-param")].map(e => e.id)');
    assert.ok(fields.length >= 1);
    for (const [i, field] of fields.entries()) {
      await s.type(`[id="${field}"]`, `ليلى ${i + 1}`);
    }
    await s.until('return document.querySelector("#template-preview").textContent.includes("ليلى 1")', 10000);
    await s.screenshot(join(out, 'ui-templates.png'));
    await s.until('return !document.querySelector("#template-send").disabled', 5000);
    await s.click('#template-send');
    await s.until(
      `return [...document.querySelectorAll('#thread .message.outbound[data-type="template"]')].some(m => m.textContent.includes('ليلى 1'))`,
      20000,
    );

    // Arabic: the whole layout mirrors (the list moves to the right), customer text stays as written.
    await s.click('#open-settings');
    await s.click('#pref-language option[value="ar"]');
    await s.until('return document.documentElement.dir === "rtl"', 5000);
    await s.click('#close-settings');
    await s.click(`.conversation[data-id="${id}"] .conversation-button`);
    await s.waitFor('#conversation-view');
    const sides = await s.script(
      'const a = document.querySelector(".sidebar").getBoundingClientRect(); const m = document.querySelector(".main-pane").getBoundingClientRect(); return [a.left, m.left]',
    );
    assert.ok(sides[0] > sides[1], `the sidebar is on the right in Arabic: ${sides}`);
    assert.equal(await s.script('return document.querySelector("#conversation-title bdi").getAttribute("dir")'), 'auto');
    await s.screenshot(join(out, 'ui-arabic.png'));

    // Dark, whatever the system says: the owner's choice wins.
    await s.click('#open-settings');
    await s.click('#pref-theme option[value="dark"]');
    await s.until('return document.documentElement.dataset.theme === "dark"', 5000);
    const bg = await s.script('return getComputedStyle(document.querySelector(".sidebar")).backgroundColor');
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 200, `a dark surface: ${bg}`);
    await s.click('#close-settings');
    await s.screenshot(join(out, 'ui-dark.png'));
  } finally {
    // Display choices live in the webview's storage, shared by the tests that follow.
    await s.script('localStorage.removeItem("cubedesk.preferences")').catch(() => {});
    await s.close();
  }
});
