import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRuleOn, testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

const differs = {
  object: 'Deployment/shop/worker',
  cause: 'differs',
  severity: 'critical' as const,
  message: ['BETTER_AUTH_SECRET of deployment/worker differs from the one deployment/api uses'],
  evidence: [
    'deployment/worker (container worker) gets it from Secret worker-auth key BETTER_AUTH_SECRET: 45 characters',
    'deployment/api (container api) gets it from Secret api-auth key BETTER_AUTH_SECRET: 44 characters',
    'deployment/scheduler (container scheduler) gets it from a literal value: 44 characters',
  ],
  rootCause: ['reads BETTER_AUTH_SECRET from Secret worker-auth key BETTER_AUTH_SECRET, deployment/api from Secret api-auth key BETTER_AUTH_SECRET'],
  commands: ['kubectl -n shop patch deployment/worker --type=json -p \'[{"op":"replace","path":"/spec/template/spec/containers/0/env/1","value":{"name":"BETTER_AUTH_SECRET","valueFrom":{"secretKeyRef":{"name":"api-auth","key":"BETTER_AUTH_SECRET"}}}}]\''],
};

const short = (workload: string) => ({
  object: `Deployment/shop/${workload}`,
  cause: 'too-short',
  severity: 'warning' as const,
  message: [`JWT_SECRET of deployment/${workload} is 20 characters long`, 'at least 32'],
  evidence: ['Secret auth key JWT_SECRET (envFrom): 20 characters'],
  commands: ['kubectl -n shop patch secret auth -p', `kubectl -n shop rollout restart deployment/${workload}`],
});

testRule(rule, fixtures, {
  valid: [
    { name: 'api and worker read one Secret; another namespace has its own value', fixture: 'healthy.json' },
    { name: 'the same as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    { name: 'the worker reads its own Secret while api and scheduler agree (one from a Secret, one literal)', fixture: 'different-secrets.json', findings: [differs] },
    { name: 'the same manifests before deploy', fixture: 'different-secrets.json', source: 'manifests', findings: [differs] },
    { name: 'one shared Secret holding a 20-character development default', fixture: 'short-secret.json', findings: [{ ...short('api') }, short('worker')] },
  ],
});

describe('secret-mismatch output', () => {
  it('never holds a secret value, only lengths and fingerprint prefixes', () => {
    const findings = runRuleOn(rule, fixtures, { name: 'different', fixture: 'different-secrets.json' });
    const text = JSON.stringify(findings);
    expect(findings.length).toBeGreaterThan(0);
    for (const value of ['u8Q2rX5vJ9mK3pL7wN1zT4bY6cF0hD2sA8eG5jR3qW7x', 'Zp4Lk9Qw2Er7Ty1Ui8Op3As6Df0Gh5Jk2Lz9Xc4Vb7Nm1']) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value).toString('base64'));
    }
  });
});
