// Puts one `make bench` run together as Markdown: the machine, the core's table (written by
// tests/bench/core.rs), start-up from hyperfine, memory from app.mjs, and the sizes.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { execSync } from 'node:child_process';
import { join } from 'node:path';

const [out, bin, deb] = process.argv.slice(2);
const json = (f) => JSON.parse(readFileSync(join(out, f), 'utf8'));
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function nearestRank(sorted, p) {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}

const lines = [];
const say = (s = '') => lines.push(s);

say(`Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}.`);
say(`Command: \`make bench\` (${['BENCH_MESSAGES', 'BENCH_CUSTOMERS', 'BENCH_SEED', 'BENCH_SAMPLES'].map((k) => `${k}=${process.env[k] ?? 'default'}`).join(' ')}).`);
say();
say('### Core, against raw SQLite on the same file');
say();
say(readFileSync(join(out, 'core.md'), 'utf8').trim());
say();

if (existsSync(join(out, 'export.json'))) {
  say('### Export of the largest conversation (hyperfine, 5 runs after a warm-up, whole command)');
  say();
  say('| command | median | min | max | ratio to raw (medians) |');
  say('|---|---:|---:|---:|---:|');
  const ex = json('export.json').results;
  const raw = ex[ex.length - 1].median;
  for (const r of ex) say(`| ${r.command} | ${r.median.toFixed(2)} s | ${r.min.toFixed(2)} s | ${r.max.toFixed(2)} s | ${(r.median / raw).toFixed(2)}× |`);
  say();
}

say('### Cold start to the first inbox paint (hyperfine, 15 runs after 2 warm-ups, page cache warm)');
say();
say('| archive | median | p95 | min |');
say('|---|---:|---:|---:|');
const startup = json('startup.json').results;
for (const r of startup) {
  const t = [...r.times].sort((a, b) => a - b);
  say(`| ${r.command} | ${(r.median * 1000).toFixed(0)} ms | ${(nearestRank(t, 0.95) * 1000).toFixed(0)} ms | ${(r.min * 1000).toFixed(0)} ms |`);
}
if (startup.length === 2) say(`\nRatio large ÷ tiny (medians): ${(startup[1].median / startup[0].median).toFixed(2)}×.`);
say();

say('### Resident memory: the app and its WebKit processes');
say();
const m = json('memory.json');
say('| when | processes | Rss (sum) | Pss (shared pages split) |');
say('|---|---:|---:|---:|');
say(`| tiny archive, after first paint (baseline) | ${m.tiny.afterPaint.processes} | ${m.tiny.afterPaint.rssMb} MB | ${m.tiny.afterPaint.pssMb} MB |`);
say(`| large archive, after first paint | ${m.large.afterPaint.processes} | ${m.large.afterPaint.rssMb} MB | ${m.large.afterPaint.pssMb} MB |`);
say(`| large archive, largest conversation open (${m.large.afterOpen.threadRows} rows drawn) | ${m.large.afterOpen.processes} | ${m.large.afterOpen.rssMb} MB | ${m.large.afterOpen.pssMb} MB |`);
say();

say('### Sizes');
say();
say('| artefact | size |');
say('|---|---:|');
say(`| the program as shipped (\`/usr/bin/cubedesk\` in the .deb, UI embedded) | ${mb(statSync(bin).size)} |`);
if (deb && existsSync(deb)) {
  say(`| \`.deb\` bundle (\`${deb}\`) | ${mb(statSync(deb).size)} |`);
  try {
    const installed = execSync(`dpkg-deb -f ${JSON.stringify(deb)} Installed-Size`).toString().trim();
    say(`| installed size (dpkg Installed-Size) | ${(Number(installed) / 1024).toFixed(1)} MB |`);
  } catch {
    // dpkg-deb missing: the bundle size stands alone
  }
} else {
  say('| `.deb` bundle | not built: run `make package` first |');
}
console.log(lines.join('\n'));
