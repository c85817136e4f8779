import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildChains } from '../src/engine/chains.js';
import type { Finding } from '../src/engine/types.js';
import { analyze } from '../src/scan.js';
import { readFixture } from '../src/sources/fixture.js';
import { Redactor } from '../src/sources/redact.js';

// Whole-cluster fixtures run through every rule: the findings must link root cause first.
// Other rules may add findings (and links) on the same objects, so the expected edges are
// checked with toContain rather than as exact lists.

const now = new Date('2026-11-20T12:00:00Z');

function scan(name: string): readonly Finding[] {
  const path = fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
  const result = analyze(readFixture(path, new Redactor(Buffer.alloc(32, 7))), { source: { type: 'snapshot', name: path }, modelSource: 'cluster', now });
  expect(result.notes).toEqual([]);
  return result.findings;
}

const label = (f: Finding): string => `${f.rule} ${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;

function find(findings: readonly Finding[], text: string): Finding {
  const found = findings.filter((f) => label(f) === text);
  expect(found.map(label), text).toEqual([text]);
  return found[0] as Finding;
}

const causesOf = (findings: readonly Finding[], finding: Finding): string[] =>
  findings.filter((f) => finding.causedBy.includes(f.id)).map(label).sort();

/** The findings reports lead with: those nothing else explains. */
const rootLabels = (findings: readonly Finding[]): string[] => buildChains(findings).map((chain) => label(chain.finding));

describe('correlation across rules', () => {
  it('a stuck rollout is caused by its new ReplicaSet\'s failing pods', () => {
    const findings = scan('stuck-rollout-image-pull.json');
    const stuck = find(findings, 'rollout-stuck Deployment/shop/worker');
    const pull = find(findings, 'image-pull-failed Deployment/shop/worker');
    expect(causesOf(findings, stuck)).toContain('image-pull-failed Deployment/shop/worker');
    expect(pull.causedBy).toEqual([]);
    expect(rootLabels(findings)).toContain('image-pull-failed Deployment/shop/worker');
    expect(rootLabels(findings)).not.toContain('rollout-stuck Deployment/shop/worker');
  });

  it('a Service with no endpoints is caused by its pods\' failures, down to the node', () => {
    const findings = scan('service-no-endpoints-chains.json');
    const apiService = find(findings, 'service-no-endpoints Service/shop/api');
    const postgresService = find(findings, 'service-no-endpoints Service/shop/postgres');
    const pending = find(findings, 'pod-unschedulable StatefulSet/shop/postgres');
    const node = find(findings, 'node-problem Node//aks-nodepool1-41633911-vmss000002');

    expect(causesOf(findings, apiService)).toContain('image-pull-failed Deployment/shop/api');
    expect(causesOf(findings, postgresService)).toContain('pod-unschedulable StatefulSet/shop/postgres');
    // postgres fits nowhere: the only node with room is under disk pressure, and the other
    // is full with, among others, api's pod that cannot pull its image.
    expect(causesOf(findings, pending)).toEqual(expect.arrayContaining(['image-pull-failed Deployment/shop/api', 'node-problem Node//aks-nodepool1-41633911-vmss000002']));
    expect(node.causedBy).toEqual([]);
    expect(pending.evidence.join('\n')).toContain('shop/api-');
    const roots = rootLabels(findings);
    expect(roots).toEqual(expect.arrayContaining(['image-pull-failed Deployment/shop/api', 'node-problem Node//aks-nodepool1-41633911-vmss000002']));
    for (const effect of [apiService, postgresService, pending]) expect(roots).not.toContain(label(effect));
  });
});
