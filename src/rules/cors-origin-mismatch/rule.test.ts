import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/support/rule-tester.js';
import rule, { parseOrigins } from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

const stagingOnly = {
  object: 'Deployment/shop/api',
  cause: 'origin-missing',
  severity: 'warning' as const,
  message: ['CORS_ORIGINS of deployment/api does not allow https://shop.example.com', 'login'],
  evidence: [
    'CORS_ORIGINS = https://staging.shop.example.com,http://localhost:5173 (a literal value)',
    'deployment/frontend calls the API (VITE_API_URL=https://api.shop.example.com) and is served at https://shop.example.com',
  ],
  rootCause: ['lists https://staging.shop.example.com, http://localhost:5173; the frontend is served from https://shop.example.com'],
  commands: ['kubectl -n shop set env deployment/api CORS_ORIGINS=https://shop.example.com,https://staging.shop.example.com,http://localhost:5173'],
};

testRule(rule, fixtures, {
  valid: [
    { name: 'the frontend origin is listed; an admin UI on its own host is not the API\'s caller', fixture: 'healthy.json' },
    { name: 'the same as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    { name: 'an allow-list still naming staging and localhost', fixture: 'staging-origin-only.json', findings: [stagingOnly] },
    { name: 'the same manifests before deploy', fixture: 'staging-origin-only.json', source: 'manifests', findings: [stagingOnly] },
    {
      name: 'a JSON allow-list from a ConfigMap with http:// while the Ingress serves https (one host, /api and /)',
      fixture: 'http-origin-behind-tls.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'scheme-mismatch',
        message: ['ALLOWED_ORIGINS of deployment/api does not allow https://shop.example.com'],
        evidence: ['ConfigMap api-config key ALLOWED_ORIGINS (envFrom)', 'ingress/shop serves https://shop.example.com'],
        commands: ['kubectl -n shop set env deployment/api ALLOWED_ORIGINS=https://shop.example.com'],
      }],
    },
  ],
});

describe('parseOrigins', () => {
  it('reads comma, space and JSON lists, without quotes or trailing slashes', () => {
    expect(parseOrigins('https://a.example.com, https://b.example.com/')).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(parseOrigins('["https://a.example.com","http://localhost:3000"]')).toEqual(['https://a.example.com', 'http://localhost:3000']);
    expect(parseOrigins('https://a.example.com https://b.example.com')).toEqual(['https://a.example.com', 'https://b.example.com']);
  });
});
