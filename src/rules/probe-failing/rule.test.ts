import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'a readiness failure during start-up, Ready since', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'a readiness probe on a path the app does not serve',
      fixture: 'readiness-404.json',
      findings: [{
        object: 'Deployment/shop/catalog',
        cause: 'wrong-path',
        severity: 'critical',
        message: ['Readiness probe of catalog fails', 'HTTP probe failed with statuscode: 404'],
        evidence: ['readinessProbe: httpGet /health on port 8080', 'app log: {"level":"info"', '"path":"/health","status":404', 'all 2 pod(s) of deployment/catalog are unready'],
        rootCause: ['404 on /health'],
        commands: ['kubectl -n shop patch deployment/catalog --type=json -p \'[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/httpGet/path","value":"<health-path>"}]\''],
      }],
    },
    {
      name: 'a probe on a port the app does not listen on',
      fixture: 'wrong-port.json',
      findings: [{
        object: 'Deployment/shop/storefront',
        cause: 'wrong-port',
        evidence: ['the app listens on 3000 (from its log)', 'connect: connection refused'],
        rootCause: ['port 8080 are refused', 'listens on 3000'],
        commands: ['"path":"/spec/template/spec/containers/0/readinessProbe/httpGet/port","value":3000'],
      }],
    },
    {
      name: 'a liveness probe that kills a slow starter',
      fixture: 'liveness-kills-startup.json',
      findings: [
        {
          object: 'Deployment/shop/inventory',
          cause: 'liveness-kills-startup',
          severity: 'critical',
          message: ['Liveness probe of inventory fails'],
          evidence: ['Container inventory failed liveness probe', '7 restarts, last run 42s (exit code 143 = SIGTERM (Error))'],
          rootCause: ['gives up after 40s', '7 restarts'],
          commands: ['"op":"add","path":"/spec/template/spec/containers/0/startupProbe","value":{"httpGet":{"path":"/actuator/health/liveness","port":8080,"scheme":"HTTP"},"periodSeconds":10,"failureThreshold":30}'],
        },
        { object: 'Deployment/shop/inventory', cause: 'not-listening' },
      ],
    },
  ],
});
