import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/model/object-ref.js';
import { analyze } from '../../src/scan.js';
import { readFixture } from '../../src/sources/fixture.js';
import { Redactor } from '../../src/sources/redact.js';

// A realistic, healthy cluster: several namespaces, an ingress with TLS and a Ready
// certificate, PDBs, a shared auth secret, probes everywhere, default-deny network
// policies with the allows the app needs, a CronJob that succeeds, Helm records. A
// careful engineer would call any warning here noise: this is the false-positive guard.
const fixture = fileURLToPath(new URL('fixtures/healthy-cluster.json', import.meta.url));

describe('a healthy cluster', () => {
  it('produces no critical finding and no warning', () => {
    const input = readFixture(fixture, new Redactor());
    const result = analyze(input, { source: { type: 'snapshot', name: fixture }, modelSource: 'cluster', now: new Date('2026-11-23T09:30:00Z') });
    const noisy = result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${displayName(f.object)}: ${f.message}`);
    expect(noisy).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.summary.objects).toBeGreaterThan(100);
  });
});
