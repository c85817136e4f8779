import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import imagePullFailed from '../image-pull-failed/rule.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'a deployed release with history, and an upgrade started three minutes ago', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'an upgrade whose worker rollout never became ready',
      fixture: 'upgrade-failed.json',
      withRules: [imagePullFailed],
      findings: [{
        object: 'Secret/shop/sh.helm.release.v1.shop.v5',
        cause: 'upgrade-failed',
        severity: 'critical',
        message: ['Helm release shop in shop: revision 5 is failed; revision 4 is the last deployed'],
        evidence: [
          'revision 5: failed (recorded 2026-11-20T10:42:01Z)',
          'revision 4: deployed',
          'shop/deployment/worker started rolling out ReplicaSet worker-5d8f7c9b6d 8s after revision 5 was recorded',
        ],
        commands: ['helm -n shop history shop', 'helm -n shop rollback shop 4 --wait'],
        causedBy: ['Deployment/shop/worker'],
      }],
    },
    {
      name: 'an interrupted upgrade and an interrupted first install, both holding the release lock',
      fixture: 'pending-stuck.json',
      findings: [
        {
          object: 'Secret/shop/sh.helm.release.v1.shop.v5',
          cause: 'stuck-pending',
          message: ['revision 5 is pending-upgrade; revision 4 is the last deployed'],
          rootCause: ['pending-upgrade since 2026-11-20T09:58:30Z'],
          commands: ['helm -n shop rollback shop 4'],
        },
        {
          object: 'Secret/monitoring/sh.helm.release.v1.kube-prometheus-stack.v1',
          cause: 'stuck-pending-install',
          message: ['no revision ever deployed'],
          commands: ['helm -n monitoring uninstall kube-prometheus-stack'],
        },
      ],
    },
  ],
});
