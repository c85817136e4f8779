import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'named-port probes, readiness on a Service-backed container, matching load balancer health path', fixture: 'healthy.json' },
    { name: 'the same set as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a readiness probe on a port name the container does not declare',
      fixture: 'undeclared-port-name.json',
      source: 'manifests',
      findings: [{
        object: 'Deployment/shop/web',
        cause: 'undeclared-port-name',
        severity: 'warning',
        message: ['readinessProbe', 'port health', 'http=8080'],
        rootCause: ['named port health'],
      }],
    },
    {
      name: 'a Service-backed container without readiness probe (and liveness on an undeclared port number)',
      fixture: 'no-readiness-probe.json',
      findings: [
        { object: 'Deployment/shop/web', cause: 'no-readiness-probe', severity: 'warning', message: ['backs Service web'], evidence: ['readinessProbe: none'] },
        { object: 'Deployment/shop/web', cause: 'undeclared-port-number', severity: 'info', message: ['port 3000'], evidence: ['container ports: http=8080'], commands: ['kubectl -n shop exec deployment/web -c web'] },
      ],
    },
    {
      name: 'an ALB health check path that differs from the readiness probe',
      fixture: 'health-check-path-differs.json',
      findings: [{
        object: 'Deployment/shop/web',
        cause: 'health-check-path-differs',
        message: ['/healthz', 'Ingress web health-checks /health'],
        evidence: ['alb.ingress.kubernetes.io/healthcheck-path: /health'],
      }],
    },
  ],
});
