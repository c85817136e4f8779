// npm run bench: synthetic dumps of 1k and 10k pods (150k with BENCH_150K=1 or --150k),
// each scanned in a child process (wall time, CPU time, peak RSS) and, on the same bytes
// in the same run, read + JSON.parse'd bare where a string can hold them (< 512 MiB).
// Scans and parses alternate --repeat=N times (default 3, BENCH_REPEAT): times are medians,
// ratios the median of each scan over the parse run right after it.
// Dumps are cached in bench/out/ (delete them, or pass --regenerate, after changing generate.js).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeDump } from './generate.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = `${here}out`;
const args = process.argv.slice(2);
const sizes = [1000, 10000];
if (process.env.BENCH_150K === '1' || args.includes('--150k')) sizes.push(150000);
const maxString = 512 * 1024 * 1024 - 24;
const repeatArg = args.find((a) => a.startsWith('--repeat='));
const repeat = Math.max(1, Number(repeatArg?.slice('--repeat='.length) ?? process.env.BENCH_REPEAT ?? 3));

/** The run whose `key` is the median (each figure of a row comes from one and the same run). */
function median(runs, key) {
  return [...runs].sort((a, b) => a[key] - b[key])[Math.floor((runs.length - 1) / 2)];
}

mkdirSync(out, { recursive: true });

function measure(mode, file) {
  const text = execFileSync(process.execPath, ['--max-old-space-size=8192', `${here}measure.js`, mode, file], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(text.trim().split('\n').pop());
}

const fmt = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const rows = [];
for (const pods of sizes) {
  const file = `${out}/pods-${pods}.json`;
  if (!existsSync(file) || args.includes('--regenerate')) {
    process.stderr.write(`generating ${pods} pods…\n`);
    writeDump(pods, file);
  }
  const bytes = statSync(file).size;
  process.stderr.write(`scanning ${pods} pods (${(bytes / 1024 / 1024).toFixed(0)} MiB)…\n`);
  // Scan and bare parse alternate, each in a fresh process, `repeat` times; the medians are
  // reported, so one slow moment of a shared machine does not decide a ratio.
  const times = pods >= 100000 ? 1 : repeat;
  const scans = [];
  const parses = [];
  for (let i = 0; i < times; i++) {
    scans.push(measure('scan', file));
    if (bytes < maxString) parses.push(measure('parse', file));
  }
  // Each scan is compared with the parse run right after it (same moment of the machine).
  const pairs = parses.map((parse, i) => ({ wall: scans[i].scanMs / parse.parseMs, cpu: scans[i].scanCpuMs / parse.parseCpuMs }));
  const ratios = pairs.length > 0 ? { wall: median(pairs, 'wall').wall, cpu: median(pairs, 'cpu').cpu } : undefined;
  rows.push({ pods, bytes, runs: times, scan: median(scans, 'scanMs'), parse: parses.length > 0 ? median(parses, 'parseMs') : undefined, ratios });
}

const system = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`;
console.log(`kubetriage bench — ${system}; median of ${repeat} alternating runs (--repeat=N)\n`);
console.log('pods     dump       objects  findings  scan wall (ingest + model+rules)  scan CPU   peak RSS  JSON.parse wall  read+parse wall  JSON.parse CPU  scan/parse wall  scan/parse CPU');
for (const { pods, bytes, scan, parse, ratios } of rows) {
  const cells = [
    String(pods).padEnd(8),
    `${(bytes / 1024 / 1024).toFixed(0)} MiB`.padEnd(10),
    String(scan.objects).padEnd(8),
    String(scan.findings).padEnd(9),
    `${fmt(scan.scanMs)} (${fmt(scan.ingestMs)} + ${fmt(scan.analyzeMs)})`.padEnd(33),
    fmt(scan.scanCpuMs).padEnd(9),
    `${Math.round(scan.peakRssMiB)} MiB`.padEnd(9),
    (parse ? fmt(parse.parseMs) : 'n/a (> max string)').padEnd(16),
    (parse ? fmt(parse.readMs + parse.parseMs) : 'n/a').padEnd(16),
    (parse ? fmt(parse.parseCpuMs) : 'n/a').padEnd(15),
    (ratios ? `${ratios.wall.toFixed(2)}×` : 'n/a').padEnd(16),
    ratios ? `${ratios.cpu.toFixed(2)}×` : 'n/a',
  ];
  console.log(cells.join(' '));
}
writeFileSync(`${out}/results.json`, `${JSON.stringify({ system, rows }, null, 2)}\n`);
