import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'class, backends, ports, a Ready cert-manager Certificate and an address', fixture: 'healthy.json' },
    { name: 'the same set as manifests', fixture: 'healthy.json', source: 'manifests' },
    { name: 'a not-Ready Certificate before deploy (its status means nothing yet)', fixture: 'certificate-not-ready.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a backend Service that does not exist and a port the Service does not expose',
      fixture: 'backend-not-found.json',
      source: 'manifests',
      findings: [
        { object: 'Ingress/shop/shop', cause: 'service-not-found', message: ['shop.example.com/api', 'Service backend'], rootCause: ['namespace shop'] },
        { object: 'Ingress/shop/shop', cause: 'port-not-found', message: ['port web of Service web', 'http=80'] },
      ],
    },
    {
      name: 'an ingress class that is not installed',
      fixture: 'class-not-found.json',
      findings: [{ object: 'Ingress/shop/shop', cause: 'class-not-found', message: ['traefik'], commands: ['"ingressClassName":"nginx"'] }],
    },
    {
      name: 'a cert-manager Certificate that is not Ready',
      fixture: 'certificate-not-ready.json',
      findings: [{ object: 'Ingress/shop/shop', cause: 'certificate-not-ready', evidence: ['rateLimited'], commands: ['kubectl -n shop describe certificate shop-tls'] }],
    },
    {
      name: 'a TLS secret nobody creates, in a set that defines the namespace\'s Secrets',
      fixture: 'tls-secret-missing.json',
      source: 'manifests',
      findings: [{ object: 'Ingress/shop/shop', cause: 'tls-secret-missing', commands: ['kubectl -n shop create secret tls shop-tls'] }],
    },
  ],
});
