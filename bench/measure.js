// One measurement in a fresh process, so peak RSS belongs to it alone. Prints JSON.
//   node bench/measure.js scan FILE    ingest (stream, normalize, redact) + model + all rules
//   node bench/measure.js parse FILE   a bare JSON.parse of the same bytes (read first, not timed in parse)
import { readFileSync } from 'node:fs';
import { analyze } from '../dist/scan.js';
import { Redactor } from '../dist/sources/redact.js';
import { readSnapshot } from '../dist/sources/snapshot.js';

const [mode, file] = process.argv.slice(2);
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const rssMiB = () => process.resourceUsage().maxRSS / 1024;

if (mode === 'parse') {
  const t0 = performance.now();
  const c0 = cpu();
  const text = readFileSync(file, 'utf8');
  const t1 = performance.now();
  const c1 = cpu();
  const value = JSON.parse(text);
  const t2 = performance.now();
  const c2 = cpu();
  console.log(JSON.stringify({ readMs: t1 - t0, parseMs: t2 - t1, readCpuMs: c1 - c0, parseCpuMs: c2 - c1, items: value.items?.length, peakRssMiB: rssMiB() }));
} else if (mode === 'scan') {
  const t0 = performance.now();
  const c0 = cpu();
  const input = await readSnapshot(file, new Redactor());
  const t1 = performance.now();
  const c1 = cpu();
  const result = analyze(input, { source: { type: 'snapshot', name: file }, modelSource: 'cluster', now: new Date('2026-11-23T09:30:00Z') });
  const t2 = performance.now();
  const c2 = cpu();
  console.log(JSON.stringify({ ingestMs: t1 - t0, analyzeMs: t2 - t1, scanMs: t2 - t0, ingestCpuMs: c1 - c0, analyzeCpuMs: c2 - c1, scanCpuMs: c2 - c0, objects: input.objects.length, findings: result.findings.length, peakRssMiB: rssMiB() }));
} else {
  console.error('usage: node bench/measure.js scan|parse FILE');
  process.exit(2);
}
