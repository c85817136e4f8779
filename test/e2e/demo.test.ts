import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildChains } from '../../src/engine/chains.js';
import type { ChainNode } from '../../src/engine/chains.js';
import type { Finding, ScanResult } from '../../src/engine/types.js';
import { displayName } from '../../src/model/object-ref.js';
import { analyze } from '../../src/scan.js';
import { inferCaptureTime } from '../../src/sources/capture-time.js';
import { Redactor } from '../../src/sources/redact.js';
import { readSnapshot } from '../../src/sources/snapshot.js';

// The bundled demo is what a newcomer sees first: it must show the tool's range (many
// problem types) and its point (failures explained as chains across several rules).
const demo = fileURLToPath(new URL('../../demo/shop-cluster', import.meta.url));

let result: ScanResult;
let chains: ChainNode[];

beforeAll(async () => {
  const input = await readSnapshot(demo, new Redactor());
  result = analyze(input, {
    source: { type: 'demo', name: 'bundled shop cluster' },
    modelSource: 'cluster',
    now: input.capturedAt ?? inferCaptureTime(input.objects) ?? new Date(),
  });
  chains = buildChains(result.findings);
});

const label = (f: Finding): string => `${f.rule} ${displayName(f.object)}`;
const flatten = (node: ChainNode): Finding[] => [node.finding, ...node.effects.flatMap(flatten)];
/** The chain a finding sits in, as `rule object` labels, root first. */
const chainOf = (rule: string, name: string): string[] => {
  const chain = chains.find((c) => flatten(c).some((f) => f.rule === rule && f.object.name === name));
  return chain ? flatten(chain).map(label) : [];
};

describe('the bundled demo', () => {
  it('shows at least eight of the core problem types', () => {
    const core = ['image-pull-failed', 'crash-loop', 'oom-killed', 'probe-failing', 'missing-config-reference', 'pod-unschedulable',
      'rollout-stuck', 'service-no-endpoints', 'service-port-mismatch', 'dev-server-in-production', 'stale-image', 'node-problem'];
    const fired = new Set(result.findings.map((f) => f.rule));
    expect(core.filter((id) => fired.has(id)).length).toBeGreaterThanOrEqual(8);
  });

  it('explains failures as at least three chains spanning several rules', () => {
    const multiRule = chains.filter((c) => new Set(flatten(c).map((f) => f.rule)).size >= 2);
    expect(multiRule.length).toBeGreaterThanOrEqual(3);
  });

  it('puts the Pending database at the root of the API crash-loop', () => {
    const chain = chainOf('crash-loop', 'api');
    const pending = chain.findIndex((l) => /^pod-unschedulable shop\/.*postgres/.test(l));
    expect(pending).toBeGreaterThanOrEqual(0);
    expect(chain.indexOf('crash-loop shop/deployment/api')).toBeGreaterThan(pending);
  });

  it('puts the missing image tag under the stuck worker rollout', () => {
    const chain = chainOf('rollout-stuck', 'worker');
    expect(chain.some((l) => l.startsWith('image-pull-failed') && l.includes('worker'))).toBe(true);
  });

  it('traces the mailer failure back to the unsynced ExternalSecret', () => {
    const chain = chainOf('missing-config-reference', 'mailer');
    expect(chain[0]).toMatch(/^(external-secret-not-synced|unresolved-placeholder) /);
  });

  it('is judged at the time the dump was taken, so its ages read as they did then', () => {
    expect(result.generatedAt.startsWith('2026-')).toBe(true);
  });
});
