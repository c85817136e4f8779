/**
 * What the live source lists: one entry per kind, with the group/versions it may be served
 * under (newest first — older clusters serve only the older ones) and what a scan cannot
 * see when the kind cannot be read. The ClusterRole in deploy/ mirrors this table.
 */
export interface KindSpec {
  readonly kind: string;
  /** The plural resource name in the API path. */
  readonly resource: string;
  /** Group/versions to try, preferred first; '' group is the core API ("v1"). */
  readonly groupVersions: readonly string[];
  /** Optional kinds (add-ons, newer APIs) are skipped quietly when the server does not serve them. */
  readonly optional?: true;
  /** What a scan misses without this kind, for the note when it cannot be read. */
  readonly hides: string;
}

export const kindSpecs: readonly KindSpec[] = [
  { kind: 'Namespace', resource: 'namespaces', groupVersions: ['v1'], hides: 'namespace phases (Terminating) and the namespace list' },
  { kind: 'Node', resource: 'nodes', groupVersions: ['v1'], hides: 'node conditions, taints and allocatable capacity (scheduling diagnoses)' },
  { kind: 'Pod', resource: 'pods', groupVersions: ['v1'], hides: 'every pod-level diagnosis (crash loops, pull failures, pending pods)' },
  { kind: 'Event', resource: 'events', groupVersions: ['v1'], hides: 'event evidence (pull errors, probe failures, scheduling messages)' },
  { kind: 'Service', resource: 'services', groupVersions: ['v1'], hides: 'Service selector and endpoint checks' },
  { kind: 'Endpoints', resource: 'endpoints', groupVersions: ['v1'], hides: 'which Services have ready endpoints' },
  { kind: 'ConfigMap', resource: 'configmaps', groupVersions: ['v1'], hides: 'missing ConfigMap references and keys' },
  { kind: 'Secret', resource: 'secrets', groupVersions: ['v1'], hides: 'missing Secret references, secret drift and Helm release records' },
  { kind: 'ServiceAccount', resource: 'serviceaccounts', groupVersions: ['v1'], hides: 'image pull secrets attached to service accounts' },
  { kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', groupVersions: ['v1'], hides: 'volume binding problems' },
  { kind: 'PersistentVolume', resource: 'persistentvolumes', groupVersions: ['v1'], hides: 'volume binding and node affinity of volumes' },
  { kind: 'ResourceQuota', resource: 'resourcequotas', groupVersions: ['v1'], hides: 'quota exhaustion' },
  { kind: 'LimitRange', resource: 'limitranges', groupVersions: ['v1'], hides: 'default limits applied to containers' },
  { kind: 'ReplicationController', resource: 'replicationcontrollers', groupVersions: ['v1'], hides: 'ReplicationController ownership of pods' },
  { kind: 'Deployment', resource: 'deployments', groupVersions: ['apps/v1'], hides: 'rollout diagnoses and the workload owning each pod' },
  { kind: 'ReplicaSet', resource: 'replicasets', groupVersions: ['apps/v1'], hides: 'which pods belong to which rollout' },
  { kind: 'StatefulSet', resource: 'statefulsets', groupVersions: ['apps/v1'], hides: 'StatefulSet rollout diagnoses' },
  { kind: 'DaemonSet', resource: 'daemonsets', groupVersions: ['apps/v1'], hides: 'DaemonSet rollout diagnoses' },
  { kind: 'Job', resource: 'jobs', groupVersions: ['batch/v1'], hides: 'failed Jobs' },
  { kind: 'CronJob', resource: 'cronjobs', groupVersions: ['batch/v1', 'batch/v1beta1'], hides: 'CronJob schedules and missed runs' },
  { kind: 'Ingress', resource: 'ingresses', groupVersions: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'], hides: 'Ingress backends and classes' },
  { kind: 'IngressClass', resource: 'ingressclasses', groupVersions: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1'], optional: true, hides: 'which ingress classes exist' },
  { kind: 'NetworkPolicy', resource: 'networkpolicies', groupVersions: ['networking.k8s.io/v1'], hides: 'network policies that block traffic' },
  { kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', groupVersions: ['policy/v1', 'policy/v1beta1'], hides: 'disruption budgets that block drains' },
  { kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', groupVersions: ['autoscaling/v2', 'autoscaling/v2beta2', 'autoscaling/v1'], hides: 'autoscaler problems' },
  { kind: 'StorageClass', resource: 'storageclasses', groupVersions: ['storage.k8s.io/v1'], hides: 'missing storage classes' },
  { kind: 'MutatingWebhookConfiguration', resource: 'mutatingwebhookconfigurations', groupVersions: ['admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1'], optional: true, hides: 'sidecar injector webhooks' },
  { kind: 'EndpointSlice', resource: 'endpointslices', groupVersions: ['discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1'], optional: true, hides: 'EndpointSlice-based endpoint checks' },
  { kind: 'Certificate', resource: 'certificates', groupVersions: ['cert-manager.io/v1'], optional: true, hides: 'cert-manager certificate readiness' },
  { kind: 'Issuer', resource: 'issuers', groupVersions: ['cert-manager.io/v1'], optional: true, hides: 'cert-manager issuers' },
  { kind: 'ClusterIssuer', resource: 'clusterissuers', groupVersions: ['cert-manager.io/v1'], optional: true, hides: 'cert-manager cluster issuers' },
  { kind: 'ExternalSecret', resource: 'externalsecrets', groupVersions: ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], optional: true, hides: 'External Secrets sync status' },
  { kind: 'SecretStore', resource: 'secretstores', groupVersions: ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], optional: true, hides: 'External Secrets stores' },
  { kind: 'ClusterSecretStore', resource: 'clustersecretstores', groupVersions: ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], optional: true, hides: 'External Secrets cluster stores' },
  { kind: 'PodMetrics', resource: 'pods', groupVersions: ['metrics.k8s.io/v1beta1'], optional: true, hides: 'observed memory and CPU usage' },
];
