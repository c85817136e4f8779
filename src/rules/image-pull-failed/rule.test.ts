import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'a pod that pulled its image and runs', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'a tag that does not exist',
      fixture: 'tag-not-found.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'not-found',
        message: ['ghcr.io/acme/shop-api:1.4.2', 'ImagePullBackOff'],
        evidence: ['ghcr.io/acme/shop-api:1.4.2: not found'],
        commands: ['crane ls ghcr.io/acme/shop-api', 'kubectl -n shop set image deployment/api api=ghcr.io/acme/shop-api:<existing-tag>'],
      }],
    },
    {
      name: 'an ACR registry that refused the credentials',
      fixture: 'acr-unauthorized.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'unauthorized',
        rootCause: ['acmeshop.azurecr.io refused the pull'],
        evidence: ['401 Unauthorized', 'no imagePullSecrets'],
        commands: ['az aks update --name <aks-cluster> --resource-group <resource-group> --attach-acr acmeshop'],
      }],
    },
    {
      name: 'a registry whose name does not resolve',
      fixture: 'registry-unreachable.json',
      findings: [{ object: 'Deployment/shop/api', cause: 'network', evidence: ['no such host'] }],
    },
  ],
});
