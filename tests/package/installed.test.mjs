// The program the .deb installed (scripts/package-test.sh), in a real window: it opens, its
// interface is the one built into it, and the demo works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../e2e/webdriver.mjs';

const out = process.env.E2E_OUT ?? 'target/e2e';

test('the installed CubeDesk opens its window and runs the demo', async () => {
  assert.equal(process.env.APP_BIN, '/usr/bin/cubedesk');
  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-installed-'));
  const s = await launch(['--data-dir', dataDir]);
  try {
    assert.equal(await s.title(), 'CubeDesk');
    await s.click('#explore-demo');
    await s.waitForText('#demo-banner', (t) => t.includes('DEMO'), 30000);
    await s.waitFor('.conversation', 20000);
    const total = Number(await s.attr('#conversations', 'data-count'));
    assert.ok(total >= 60, `${total} demo conversations`);
    await s.click('.conversation .conversation-button');
    await s.waitFor('#conversation-view');
    await s.screenshot(join(out, 'installed-demo.png'));
  } finally {
    await s.close();
  }
});
