// The inbox shell in the real window: the core answers, the empty state is honest, and a bad
// archive is explained instead of crashing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './webdriver.mjs';

const out = process.env.E2E_OUT ?? 'target/e2e';

test('a fresh data folder opens on the inbox shell, answered by the core', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-e2e-'));
  const s = await launch(['--data-dir', dataDir]);
  try {
    const status = await s.waitForText('#core-status', (t) => t.includes('schema'));
    assert.match(status, /0\.1\.0/);
    // The schema this build migrates to, as the binary itself reports it.
    const expected = JSON.parse(
      execFileSync(process.env.APP_BIN, ['status', '--json', '--data-dir', mkdtempSync(join(tmpdir(), 'cubedesk-e2e-ref-'))]),
    ).schemaVersion;
    assert.ok(status.includes(`archive schema ${expected} `), `${status} (expected schema ${expected})`);
    assert.ok(status.includes(dataDir), `status names the data folder: ${status}`);
    assert.match(await s.text('#connect-account'), /Connect your CubeConnect account/);
    assert.match(await s.text('#explore-demo'), /Explore with demo data/);
    assert.equal(await s.title(), 'CubeDesk');
    assert.equal(await s.exists('#demo-banner'), false);
    await s.screenshot(join(out, 'inbox.png'));
  } finally {
    await s.close();
  }
});

test('an archive that is not a database is explained, named, and left untouched', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cubedesk-e2e-'));
  const db = join(dataDir, 'cubedesk.db');
  const junk = 'these are my notes, not a database\n'.repeat(50);
  writeFileSync(db, junk);
  const s = await launch(['--data-dir', dataDir]);
  try {
    const message = await s.waitForText('#core-error', (t) => t.length > 0);
    assert.ok(message.includes(db), `the error names the file: ${message}`);
    assert.equal(await s.text('#core-error-code'), 'DB_NOT_SQLITE');
    assert.equal(await s.exists('#explore-demo'), false);
    await s.screenshot(join(out, 'archive-error.png'));
  } finally {
    await s.close();
  }
  assert.equal(readFileSync(db, 'utf8'), junk);
});
