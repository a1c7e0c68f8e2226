// The real window's resident memory on the benchmark archive (make bench): the app and every
// WebKit process it started, after the first inbox paint and after opening the largest
// conversation, beside the same app on a tiny archive (the cost of the webview itself). Run by
// scripts/bench.sh under Xvfb with tauri-driver listening; prints JSON.
import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { launch } from '../e2e/webdriver.mjs';

const [tiny, large, largestPhone] = process.argv.slice(2);
const app = realpathSync(process.env.APP_BIN);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function processes() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: the fields after it are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${d}/exe`);
      } catch {
        // a kernel thread, or gone
      }
      out.push({ pid: Number(d), ppid, exe });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Rss and Pss (shared pages split between the processes sharing them) of the app's tree, in MB. */
function memory() {
  const all = processes();
  const root = all.filter((p) => p.exe === app).sort((a, b) => b.pid - a.pid)[0];
  if (!root) throw new Error(`no running ${app}`);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i].pid));
  let rss = 0;
  let pss = 0;
  for (const p of tree) {
    try {
      const roll = readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(roll)[1]);
      pss += Number(/^Pss:\s+(\d+)/m.exec(roll)[1]);
    } catch {
      // gone
    }
  }
  return { processes: tree.length, rssMb: Math.round(rss / 1024), pssMb: Math.round(pss / 1024) };
}

async function measure(dataDir, openPhone) {
  const s = await launch(['--data-dir', dataDir]);
  try {
    await s.waitFor('.conversation', 60000);
    await sleep(2000);
    const afterPaint = memory();
    if (!openPhone) return { afterPaint };
    await s.type('#inbox-search', openPhone);
    await s.until(`return document.querySelectorAll('.conversation').length === 1`, 30000);
    await s.click('.conversation');
    await s.until(`return document.querySelectorAll('#thread .message').length >= 10`, 30000);
    await sleep(2000);
    const rows = await s.script(`return document.querySelectorAll('#thread .message').length`);
    return { afterPaint, afterOpen: { ...memory(), threadRows: rows } };
  } finally {
    await s.close();
    await sleep(1000);
  }
}

const result = { tiny: await measure(tiny), large: await measure(large, largestPhone) };
console.log(JSON.stringify(result));
