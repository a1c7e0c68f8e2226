// A small W3C WebDriver client over Node's fetch: enough to drive the real CubeDesk window
// through tauri-driver without a test framework's dependencies.
import { writeFileSync } from 'node:fs';

const base = process.env.WD_URL ?? 'http://127.0.0.1:4444';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function wd(method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(j.value ?? j)}`);
  return j.value;
}

/** Starts the app binary with `args` and returns a session. */
export async function launch(args = []) {
  const { sessionId } = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: process.env.APP_BIN, args } } },
  });
  return new Session(sessionId);
}

class Session {
  constructor(id) {
    this.id = id;
  }

  async find(css) {
    const el = await wd('POST', `/session/${this.id}/element`, { using: 'css selector', value: css });
    return Object.values(el)[0];
  }

  /** Waits until `css` exists and returns its element id. */
  async waitFor(css, timeoutMs = 15000) {
    const until = Date.now() + timeoutMs;
    let last;
    while (Date.now() < until) {
      try {
        return await this.find(css);
      } catch (e) {
        last = e;
        await sleep(100);
      }
    }
    throw new Error(`timed out waiting for ${css}: ${last?.message}`);
  }

  /** The element's text content (WebDriver's own "visible text" is empty while the window is
   *  still being laid out, which made first reads flaky). */
  async text(css) {
    await this.waitFor(css);
    return this.script('return document.querySelector(arguments[0]).textContent', [css]);
  }

  async script(body, args = []) {
    return wd('POST', `/session/${this.id}/execute/sync`, { script: body, args });
  }

  /** Runs `body` with a `done(value)` callback in scope and returns what it was called with. */
  async asyncScript(body, args = []) {
    const script = `const done = arguments[arguments.length - 1]; ${body}`;
    return wd('POST', `/session/${this.id}/execute/async`, { script, args });
  }

  /** Waits until the text of `css` satisfies `pred`, and returns it. */
  async waitForText(css, pred, timeoutMs = 15000) {
    const until = Date.now() + timeoutMs;
    let t = '';
    while (Date.now() < until) {
      try {
        t = await this.text(css);
        if (pred(t)) return t;
      } catch {
        // not there yet
      }
      await sleep(100);
    }
    throw new Error(`timed out waiting for the text of ${css}; last seen: ${JSON.stringify(t)}`);
  }

  async attr(css, name) {
    return wd('GET', `/session/${this.id}/element/${await this.waitFor(css)}/attribute/${name}`);
  }

  async exists(css) {
    const found = await wd('POST', `/session/${this.id}/elements`, { using: 'css selector', value: css });
    return found.length > 0;
  }

  async click(css) {
    await wd('POST', `/session/${this.id}/element/${await this.waitFor(css)}/click`, {});
  }

  /** Types `text` into the element (WebDriver key codes such as '\uE007' for Enter work too). */
  async type(css, text) {
    await wd('POST', `/session/${this.id}/element/${await this.waitFor(css)}/value`, { text });
  }

  /** Waits until `body` (a script returning a value) returns something truthy, and returns it. */
  async until(body, timeoutMs = 15000, args = []) {
    const end = Date.now() + timeoutMs;
    let v;
    while (Date.now() < end) {
      v = await this.script(body, args).catch(() => null);
      if (v) return v;
      await sleep(150);
    }
    throw new Error(`timed out waiting for: ${body}; last: ${JSON.stringify(v)}`);
  }

  async title() {
    return wd('GET', `/session/${this.id}/title`);
  }

  /** Saves a PNG of the window, after a pause so the latest frame is painted. */
  async screenshot(file) {
    await sleep(800);
    const b64 = await wd('GET', `/session/${this.id}/screenshot`);
    writeFileSync(file, Buffer.from(b64, 'base64'));
  }

  async close() {
    await wd('DELETE', `/session/${this.id}`).catch(() => {});
  }
}
