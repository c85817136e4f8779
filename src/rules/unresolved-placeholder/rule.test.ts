import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

const identity = {
  object: 'ServiceAccount/shop/mailer',
  cause: 'workload-identity',
  message: ['${AZURE_CLIENT_ID}', 'metadata.annotations["azure.workload.identity/client-id"]'],
  evidence: ['serviceaccount/mailer metadata.annotations["azure.workload.identity/client-id"]: ${AZURE_CLIENT_ID}'],
  rootCause: ['identity that does not exist'],
  commands: ['kubectl -n shop annotate serviceaccount mailer azure.workload.identity/client-id=<client-id> --overwrite'],
};

const unrendered = [
  {
    object: 'Deployment/shop/api',
    cause: 'env',
    message: ['3 unresolved placeholder(s)', '{{ .Values.api.publicUrl }}', 'containers[api].env[PUBLIC_URL]'],
    evidence: [
      'deployment/api containers[api].env[PUBLIC_URL]: {{ .Values.api.publicUrl }}',
      'deployment/api containers[api].env[SENTRY_ENVIRONMENT]: REPLACE_ME',
      'deployment/api containers[api].env[LOG_PREFIX]: $(POD_NAME)',
    ],
    rootCause: ['unrendered Helm/Go template expression'],
    commands: ['kubectl -n shop set env deployment/api PUBLIC_URL=<value>'],
  },
  {
    object: 'ConfigMap/shop/api-config',
    cause: 'config-map',
    severity: 'critical' as const,
    message: ['<CHANGE_ME> in data["OSS_ENDPOINT"]'],
    commands: ['kubectl -n shop edit configmap api-config'],
  },
];

testRule(rule, fixtures, {
  valid: [
    {
      name: 'real identity ids, $(VAR) defined before use, nginx/shell variables in config files, Go templates in template files and Vault annotations',
      fixture: 'healthy.json',
    },
    { name: 'the same objects as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    { name: 'a workload-identity ServiceAccount whose client-id was never substituted', fixture: 'workload-identity-client-id.json', findings: [identity] },
    { name: 'the same ServiceAccount in manifests before deploy', fixture: 'workload-identity-client-id.json', source: 'manifests', findings: [identity] },
    { name: 'unrendered Helm values, REPLACE_ME and an undefined $(VAR) in env, <CHANGE_ME> in a ConfigMap', fixture: 'unrendered-env-and-config.json', findings: unrendered },
    { name: 'the same, linted as manifests', fixture: 'unrendered-env-and-config.json', source: 'manifests', findings: unrendered },
    {
      name: 'an image tag left as ${IMAGE_TAG}',
      fixture: 'image-tag-placeholder.json',
      findings: [{
        object: 'Deployment/shop/worker',
        cause: 'image',
        message: ['${IMAGE_TAG}', 'containers[worker].image'],
        rootCause: ['InvalidImageName'],
        commands: ['kubectl -n shop set image deployment/worker worker=<registry>/<repository>:<tag>'],
      }],
    },
  ],
});
