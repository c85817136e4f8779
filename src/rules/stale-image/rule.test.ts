import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'replicas on one digest, and an image pinned by digest', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'a :latest tag pulled twice, before and after a push',
      fixture: 'digest-drift.json',
      findings: [{
        object: 'Deployment/shop/catalog',
        cause: 'digest-drift',
        severity: 'warning',
        message: ['shopacr.azurecr.io/shop/catalog:latest runs as 2 different builds across catalog-4z8f8x8cpw-'],
        evidence: ['on aks-nodepool1-41633911-vmss000000: sha256:', '(started 2026-11-19T16:02:41Z)'],
        rootCause: ['imagePullPolicy IfNotPresent'],
        commands: ['kubectl -n shop set image deployment/catalog catalog=shopacr.azurecr.io/shop/catalog@sha256:', 'kubectl -n shop rollout restart deployment/catalog'],
      }],
    },
    {
      name: 'an OnDelete StatefulSet whose pods were never replaced',
      fixture: 'old-template.json',
      findings: [{
        object: 'StatefulSet/logging/fluent-bit',
        cause: 'old-template',
        message: ['2 of 2 pods still run revision fluent-bit-6b8d9c7f5d instead of fluent-bit-9c7f5d6b8d'],
        evidence: ['updateStrategy: OnDelete', 'pod fluent-bit-0: controller-revision-hash fluent-bit-6b8d9c7f5d, image cr.fluentbit.io/fluent/fluent-bit:3.0.7', 'template image: cr.fluentbit.io/fluent/fluent-bit:3.1.9'],
        commands: ['kubectl -n logging delete pod fluent-bit-0 fluent-bit-1'],
      }],
    },
  ],
});
