import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'a bound claim mounted by a running pod, and an unused WaitForFirstConsumer claim', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'a claim asking for a StorageClass that does not exist',
      fixture: 'storage-class-missing.json',
      findings: [{
        object: 'PersistentVolumeClaim/shop/data-postgres-0',
        cause: 'storage-class-missing',
        message: ['Pending', 'postgres-0 waits for it'],
        evidence: ['storageClassName: fast-ssd', 'storageclass.storage.k8s.io "fast-ssd" not found'],
        rootCause: ['StorageClass "fast-ssd"'],
        commands: ['kubectl get storageclass', 'kubectl -n shop delete pvc data-postgres-0'],
      }],
    },
    {
      name: 'a ReadWriteOnce volume still attached to the old pod of a rolling update',
      fixture: 'multi-attach.json',
      findings: [{
        object: 'Deployment/shop/uploads',
        cause: 'multi-attach',
        message: ['deployment/uploads cannot attach'],
        evidence: ['Multi-Attach error for volume "pvc-5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b81"'],
        commands: ['kubectl -n shop patch deployment/uploads -p \'{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}\''],
      }],
    },
  ],
});
