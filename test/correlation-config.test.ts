import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildChains } from '../src/engine/chains.js';
import { defineRule } from '../src/engine/define-rule.js';
import { runRules } from '../src/engine/run.js';
import type { Finding } from '../src/engine/types.js';
import corsOriginMismatch from '../src/rules/cors-origin-mismatch/rule.js';
import insecureUrl from '../src/rules/insecure-url/rule.js';
import { rules } from '../src/rules/index.js';
import secretMismatch from '../src/rules/secret-mismatch/rule.js';
import { loginCauses, logEvidence } from '../src/rules/support/login-flow.js';
import { loadFixture, testNow } from './support/rule-tester.js';

// The whole shop: frontend at https://shop.example.com, api at https://api.shop.example.com,
// a worker. The api's CORS_ORIGINS still names staging, and the worker signs and checks
// sessions with its own (short) BETTER_AUTH_SECRET. The api's log shows the login failing.
const fixtures = fileURLToPath(new URL('e2e/fixtures', import.meta.url));
const { model } = loadFixture(fixtures, 'login-failure-cluster.json');

/**
 * The symptom as a log-signature rule reports it (crash-loop, probe-failing and the log
 * catalogue live on other branches): login requests refused in a workload's log. It names
 * `loginCauses` as causedBy — the contract this test pins for those rules.
 */
const loginRefused = /invalid origin|sign-in\S* 40[13]|signature verification failed/i;
const loginFailureInLogs = defineRule({
  id: 'login-failure-in-logs',
  meta: { title: 'Logins fail', description: 'Login requests refused in a workload\'s log.', category: 'config', severity: 'critical', sources: ['cluster'] },
  messages: { refused: '{{kubectlName}} refuses logins' },
  runbook: { symptoms: 'Logins fail.', rootCause: 'See the causes.', diagnosis: [{ description: 'Read the log', command: 'kubectl -n {{namespace}} logs {{kubectlName}}' }], fix: [], prevention: 'Keep configuration in one place.' },
  *detect(m) {
    for (const { owner } of m.podTemplates()) {
      const evidence = logEvidence(m, owner, loginRefused, 3);
      if (evidence.length > 0 && owner.metadata?.name === 'api') yield { subject: owner, messageId: 'refused', evidence, causedBy: loginCauses(m, owner) };
    }
  },
});

const ref = (f: Finding): string => `${f.rule} ${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;

describe('configuration findings explain a frontend\'s login failures', () => {
  const { findings } = runRules(model(), [...rules, loginFailureInLogs], { now: testNow, options: {} });
  const byRef = new Map(findings.map((f) => [ref(f), f]));

  it('finds the CORS allow-list and the differing auth secret, each with the login failure in its evidence', () => {
    const cors = byRef.get('cors-origin-mismatch Deployment/shop/api');
    const secret = findings.find((f) => f.rule === 'secret-mismatch' && f.cause === 'differs');
    expect(cors?.message).toContain('does not allow https://shop.example.com');
    expect(cors?.evidence.join('\n')).toContain('Invalid origin: https://shop.example.com');
    expect(secret && ref(secret)).toBe('secret-mismatch Deployment/shop/worker');
    expect(secret?.evidence.join('\n')).toContain('Signature verification failed');
  });

  it('makes both the root causes of the login failure', () => {
    const symptom = byRef.get('login-failure-in-logs Deployment/shop/api');
    expect(symptom).toBeDefined();
    const causes = findings.filter((f) => symptom?.causedBy.includes(f.id)).map(ref).sort();
    // The secret that differs, not the worker's too-short secret (a warning beside the critical finding),
    // nor the api's pdb-problem note: the engine links the most severe non-info findings on a named object.
    expect(causes).toEqual([
      'cors-origin-mismatch Deployment/shop/api',
      'secret-mismatch Deployment/shop/worker',
    ]);
    expect(findings.find((f) => f.rule === 'secret-mismatch' && symptom?.causedBy.includes(f.id))?.cause).toBe('differs');
    for (const root of findings.filter((f) => symptom?.causedBy.includes(f.id))) expect(root.causedBy).toEqual([]);
  });

  it('shows the login failure under a root cause in the report\'s chains', () => {
    const chains = buildChains(findings);
    const withSymptom = chains.find((c) => c.effects.some((e) => e.finding.rule === 'login-failure-in-logs'));
    expect(withSymptom && ['cors-origin-mismatch', 'secret-mismatch']).toContain(withSymptom?.finding.rule);
  });

  it('does not link the frontend\'s own https URL or unrelated workloads', () => {
    expect(findings.filter((f) => f.rule === insecureUrl.id)).toEqual([]);
    const api = model().get('Deployment', 'shop', 'api');
    const causes = api ? loginCauses(model(), api).map((o) => o.metadata?.name).sort() : [];
    expect(causes).toEqual(['api', 'worker']);
    // Seen from the frontend (it calls the api through VITE_API_URL) the same two explain its logins.
    const frontend = model().get('Deployment', 'shop', 'frontend');
    expect(frontend ? loginCauses(model(), frontend).map((o) => o.metadata?.name).sort() : []).toEqual(['api', 'worker']);
  });

  it('runs the config rules on the fixture without the symptom rule and keeps them as roots', () => {
    const alone = runRules(model(), [corsOriginMismatch, secretMismatch], { now: testNow, options: {} }).findings;
    expect(alone.map(ref).sort()).toEqual(['cors-origin-mismatch Deployment/shop/api', 'secret-mismatch Deployment/shop/worker', 'secret-mismatch Deployment/shop/worker']);
    expect(alone.every((f) => f.causedBy.length === 0)).toBe(true);
  });
});
