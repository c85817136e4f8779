import { defineRule } from '../../engine/define-rule.js';
import type { FixStep } from '../../engine/types.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeEvent, Pod } from '../../model/k8s.js';
import { parseImage, registryKind } from '../support/images.js';
import type { ImageReference } from '../support/images.js';
import { containerStatuses, eventEvidence, groupByWorkload, listNames, podEvents, podName, someStatus, workloadName } from '../support/pods.js';
import type { ContainerInPod } from '../support/pods.js';

const pullReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

type Cause = 'not-found' | 'unauthorized' | 'network' | 'rate-limited' | 'invalid-name' | 'never-pull' | 'unknown';

/** Tells the causes apart from what the kubelet reported: the waiting reason and the pull events. */
export function classifyPullFailure(reason: string, messages: readonly string[]): Cause {
  const text = messages.join('\n');
  if (reason === 'InvalidImageName' || /invalid reference format|couldn't parse image (name|reference)|InvalidImageName/i.test(text)) return 'invalid-name';
  if (reason === 'ErrImageNeverPull' || /pull policy of Never/i.test(text)) return 'never-pull';
  if (/toomanyrequests|too many requests|rate limit/i.test(text)) return 'rate-limited';
  if (/\b401\b|\b403\b|unauthorized|authentication required|no basic auth credentials|access denied|denied:|insufficient_scope|forbidden/i.test(text)) return 'unauthorized';
  if (/not found|manifest unknown|name unknown|repository does not exist|\b404\b|NotFound/i.test(text)) return 'not-found';
  if (/dial tcp|i\/o timeout|no such host|connection refused|TLS handshake timeout|context deadline exceeded|server misbehaving|network is unreachable|connection reset|x509:/i.test(text)) return 'network';
  return 'unknown';
}

interface PullFailure extends ContainerInPod {
  readonly image: string;
  readonly reason: string;
  readonly events: KubeEvent[];
  readonly cause: Cause;
}

function pullFailures(model: ClusterModel, pod: Pod): PullFailure[] {
  if (!someStatus(pod, (s) => pullReasons.has(s.state?.waiting?.reason ?? ''))) return [];
  const failures: PullFailure[] = [];
  for (const entry of containerStatuses(pod)) {
    const reason = entry.status.state?.waiting?.reason ?? '';
    if (!pullReasons.has(reason)) continue;
    const name = entry.status.name ?? '';
    const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
    const image = spec?.image ?? entry.status.image ?? '';
    const events = podEvents(model, pod, name).filter((e) => e.type === 'Warning' && /pull|image/i.test(`${e.reason ?? ''} ${e.message ?? ''}`));
    const messages = [entry.status.state?.waiting?.message ?? '', ...events.map((e) => e.message ?? '')];
    failures.push({ ...entry, image, reason, events, cause: classifyPullFailure(reason, messages) });
  }
  return failures;
}

/** Registry-specific ways to let the nodes pull, filled with the real names. */
function credentialFixes(image: ImageReference, namespace: string, serviceAccount: string): FixStep[] {
  const registry = image.registry;
  const attachSecret: FixStep[] = [
    {
      description: `Create a pull secret for ${registry} in ${namespace}`,
      command: `kubectl -n ${namespace} create secret docker-registry ${secretNameFor(registry)} --docker-server=${registry} --docker-username=<user> --docker-password=<token>`,
      mutates: true,
    },
    {
      description: `Let the pods' service account ${serviceAccount} use it`,
      command: `kubectl -n ${namespace} patch serviceaccount ${serviceAccount} -p '{"imagePullSecrets":[{"name":"${secretNameFor(registry)}"}]}'`,
      mutates: true,
    },
  ];
  switch (registryKind(registry)) {
    case 'acr':
      return [
        {
          description: `Attach the registry ${registry} to the AKS cluster (the kubelet identity gets AcrPull)`,
          command: `az aks update --name <aks-cluster> --resource-group <resource-group> --attach-acr ${registry.split('.')[0] ?? registry}`,
          mutates: true,
        },
        ...attachSecret,
      ];
    case 'ecr':
      return [
        {
          description: 'Give the node role read access to ECR',
          command: 'aws iam attach-role-policy --role-name <node-instance-role> --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
          mutates: true,
        },
      ];
    case 'gcr':
      return [
        {
          description: "Grant the nodes' service account read access to the repository",
          command: `gcloud artifacts repositories add-iam-policy-binding ${image.repository.split('/')[1] ?? '<repository>'} --location=${registry.replace(/-docker\.pkg\.dev$/, '')} --member=serviceAccount:<node-service-account> --role=roles/artifactregistry.reader`,
          mutates: true,
        },
      ];
    case 'ghcr':
      return [
        {
          description: 'Create a pull secret with a GitHub token that has read:packages',
          command: `kubectl -n ${namespace} create secret docker-registry ghcr-pull --docker-server=ghcr.io --docker-username=<github-user> --docker-password=<token-with-read:packages>`,
          mutates: true,
        },
        {
          description: `Let the pods' service account ${serviceAccount} use it`,
          command: `kubectl -n ${namespace} patch serviceaccount ${serviceAccount} -p '{"imagePullSecrets":[{"name":"ghcr-pull"}]}'`,
          mutates: true,
        },
      ];
    case 'dockerhub':
    case 'other':
      return attachSecret;
  }
}

function secretNameFor(registry: string): string {
  return `${registry.split('.')[0] ?? 'registry'}-pull`.replace(/[^a-z0-9-]/g, '-');
}

export default defineRule({
  id: 'image-pull-failed',
  meta: {
    title: 'Image cannot be pulled',
    description: 'A container is waiting in ErrImagePull, ImagePullBackOff, InvalidImageName or ErrImageNeverPull.',
    category: 'pods',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    failed: '{{container}} cannot pull {{image}} ({{reason}}) in {{pods}}',
  },
  runbook: {
    symptoms: 'Pods stay in ErrImagePull or ImagePullBackOff; the rollout does not progress; `kubectl get pods` shows 0/1 READY.',
    rootCause: 'The kubelet could not pull the image; the pull events say why.',
    diagnosis: [
      { description: 'Read the pull events', command: 'kubectl -n {{namespace}} describe pod {{pod}}' },
      { description: 'Check the image exists', command: 'docker manifest inspect {{image}}' },
    ],
    fix: [{ description: 'Correct the image reference or the registry access, then let the rollout retry', command: 'kubectl -n {{namespace}} rollout restart {{workload}}', mutates: true }],
    prevention: 'Build and push the image in the same pipeline that deploys it, pin versioned tags or digests, and check pull access in a staging namespace before production.',
    causes: {
      'not-found': {
        title: 'Tag or repository does not exist',
        rootCause: 'The registry has no {{image}}: the tag was never pushed, was deleted, or the repository name is wrong.',
        fix: [
          { description: 'List the tags that exist', command: 'crane ls {{repository}}' },
          { description: 'Point the workload at a tag that exists', command: 'kubectl -n {{namespace}} set image {{workload}} {{container}}={{repository}}:<existing-tag>', mutates: true },
        ],
      },
      unauthorized: {
        title: 'Registry refused the credentials',
        rootCause: 'The registry {{registry}} refused the pull: the nodes have no credentials for it (no imagePullSecrets{{pullSecretNote}}, or the registry is not attached to the cluster).',
        fix: [],
      },
      network: {
        title: 'Registry unreachable',
        rootCause: 'The nodes cannot reach {{registry}}: DNS, a firewall, a proxy or a private endpoint blocks the pull.',
        fix: [
          { description: 'Test name resolution and reachability from inside the cluster', command: 'kubectl run -n {{namespace}} pull-test --rm -it --restart=Never --image=busybox -- nslookup {{registry}}', mutates: true },
        ],
      },
      'rate-limited': {
        title: 'Registry rate limit',
        rootCause: '{{registry}} is rate-limiting anonymous or per-account pulls.',
        fix: [
          { description: 'Pull with an authenticated account or mirror the image to your own registry', command: 'crane copy {{image}} <your-registry>/{{repository}}:{{tag}}' },
        ],
      },
      'invalid-name': {
        title: 'Malformed image name',
        rootCause: '"{{image}}" is not a valid image reference (upper-case letters, a stray space, an empty tag or an unfilled template variable).',
        fix: [{ description: 'Set a valid image reference', command: 'kubectl -n {{namespace}} set image {{workload}} {{container}}=<registry>/<repository>:<tag>', mutates: true }],
      },
      'never-pull': {
        title: 'imagePullPolicy Never with the image absent from the node',
        rootCause: 'imagePullPolicy is Never and {{image}} is not on the node: it was not loaded into the local cluster (kind, minikube) or the pod moved to another node.',
        fix: [
          { description: 'Load the image into a kind cluster', command: 'kind load docker-image {{image}}' },
          { description: 'or into minikube', command: 'minikube image load {{image}}' },
          { description: 'or let the kubelet pull it', command: 'kubectl -n {{namespace}} patch {{workload}} --type=json -p \'[{"op":"replace","path":"/spec/template/spec/containers/{{containerIndex}}/imagePullPolicy","value":"IfNotPresent"}]\'', mutates: true },
        ],
      },
      unknown: {
        title: 'Pull failed for another reason',
        rootCause: 'The pull of {{image}} failed; the events below hold the kubelet\'s reason.',
        fix: [{ description: 'Read the full pull error', command: 'kubectl -n {{namespace}} describe pod {{pod}}' }],
      },
    },
  },
  *detect(model) {
    const failures = model.list('Pod').flatMap((pod) => pullFailures(model, pod));
    for (const group of groupByWorkload(model, failures, (f) => `${f.status.name ?? ''}/${f.cause}`)) {
      const first = group.items[0];
      if (!first) continue;
      const pod = first.pod;
      const namespace = pod.metadata?.namespace ?? '';
      const image = parseImage(first.image);
      const serviceAccount = pod.spec?.serviceAccountName ?? 'default';
      const pullSecrets = (pod.spec?.imagePullSecrets ?? []).map((s) => s.name ?? '').filter(Boolean);
      const containerIndex = Math.max(0, (pod.spec?.containers ?? []).findIndex((c) => c.name === first.status.name));
      const distinctEvents = [...new Map(group.items.flatMap((f) => f.events).map((e) => [`${e.reason ?? ''}${e.message ?? ''}`, e])).values()];
      yield {
        subject: group.workload,
        messageId: 'failed',
        cause: first.cause,
        key: `${first.status.name ?? ''}/${first.cause}`,
        data: {
          container: first.status.name ?? '',
          image: first.image,
          reason: first.reason,
          pods: listNames(group.items.map((f) => podName(f.pod))),
          pod: podName(pod),
          workload: workloadName(model, pod),
          registry: image.registry,
          repository: image.registry === 'docker.io' ? image.repository.replace(/^library\//, '') : `${image.registry}/${image.repository}`,
          tag: image.tag ?? 'latest',
          containerIndex,
          pullSecretNote: pullSecrets.length ? `; the pod uses ${pullSecrets.join(', ')} which the registry did not accept` : '',
        },
        evidence: [
          `${group.items.length} pod(s) waiting with ${first.reason}: ${listNames(group.items.map((f) => podName(f.pod)))}`,
          ...(first.status.state?.waiting?.message ? [`waiting message: ${first.status.state.waiting.message}`] : []),
          ...distinctEvents.slice(-3).map(eventEvidence),
          ...(first.cause === 'unauthorized' ? [pullSecrets.length ? `imagePullSecrets: ${pullSecrets.join(', ')}` : `no imagePullSecrets on the pod or on service account ${serviceAccount}`] : []),
        ],
        ...(first.cause === 'unauthorized' ? { fix: credentialFixes(image, namespace, serviceAccount) } : {}),
      };
    }
  },
});
