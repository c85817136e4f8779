// Lean, read-only shapes of the Kubernetes objects rules look at. Every field is optional:
// input comes from dumps and manifests that may lack anything, and a rule must never crash
// on a missing field. Only what rules read is typed; the rest stays `unknown`.

export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly controller?: boolean;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly creationTimestamp?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly deletionTimestamp?: string;
}

export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  readonly key?: string;
  readonly operator?: string;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface ResourceList {
  readonly cpu?: string | number;
  readonly memory?: string | number;
  readonly pods?: string | number;
  readonly [resource: string]: string | number | undefined;
}

export interface ResourceRequirements {
  readonly requests?: ResourceList;
  readonly limits?: ResourceList;
}

export interface EnvVarSource {
  readonly secretKeyRef?: { readonly name?: string; readonly key?: string; readonly optional?: boolean };
  readonly configMapKeyRef?: { readonly name?: string; readonly key?: string; readonly optional?: boolean };
  readonly fieldRef?: { readonly fieldPath?: string };
}

export interface EnvVar {
  readonly name?: string;
  readonly value?: string;
  readonly valueFrom?: EnvVarSource;
}

export interface EnvFromSource {
  readonly prefix?: string;
  readonly secretRef?: { readonly name?: string; readonly optional?: boolean };
  readonly configMapRef?: { readonly name?: string; readonly optional?: boolean };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort?: number;
  readonly protocol?: string;
}

export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port?: number | string; readonly scheme?: string };
  readonly tcpSocket?: { readonly port?: number | string };
  readonly grpc?: { readonly port?: number };
  readonly exec?: { readonly command?: readonly string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

export interface VolumeMount {
  readonly name?: string;
  readonly mountPath?: string;
  readonly readOnly?: boolean;
}

export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly ContainerPort[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly EnvFromSource[];
  readonly resources?: ResourceRequirements;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly volumeMounts?: readonly VolumeMount[];
}

export interface Volume {
  readonly name?: string;
  readonly secret?: { readonly secretName?: string; readonly optional?: boolean; readonly items?: readonly { readonly key?: string }[] };
  readonly configMap?: { readonly name?: string; readonly optional?: boolean; readonly items?: readonly { readonly key?: string }[] };
  readonly persistentVolumeClaim?: { readonly claimName?: string };
  readonly projected?: {
    readonly sources?: readonly {
      readonly secret?: { readonly name?: string; readonly optional?: boolean };
      readonly configMap?: { readonly name?: string; readonly optional?: boolean };
    }[];
  };
  readonly [source: string]: unknown;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly nodeName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly affinity?: unknown;
  readonly serviceAccountName?: string;
  readonly imagePullSecrets?: readonly { readonly name?: string }[];
  readonly restartPolicy?: string;
}

export interface ContainerStateWaiting { readonly reason?: string; readonly message?: string }
export interface ContainerStateRunning { readonly startedAt?: string }
export interface ContainerStateTerminated {
  readonly exitCode?: number;
  readonly signal?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}
export interface ContainerState {
  readonly waiting?: ContainerStateWaiting;
  readonly running?: ContainerStateRunning;
  readonly terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  readonly name?: string;
  readonly image?: string;
  readonly imageID?: string;
  readonly ready?: boolean;
  readonly started?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

export interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly lastUpdateTime?: string;
}

export interface PodStatus {
  readonly phase?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly conditions?: readonly Condition[];
  readonly containerStatuses?: readonly ContainerStatus[];
  readonly initContainerStatuses?: readonly ContainerStatus[];
  readonly hostIP?: string;
  readonly podIP?: string;
  readonly startTime?: string;
  readonly qosClass?: string;
}

export interface Pod extends KubeObject {
  readonly spec?: PodSpec;
  readonly status?: PodStatus;
}

export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec?: PodSpec;
}

export interface WorkloadSpec {
  readonly replicas?: number;
  readonly selector?: LabelSelector;
  readonly template?: PodTemplateSpec;
  readonly strategy?: {
    readonly type?: string;
    readonly rollingUpdate?: { readonly maxSurge?: number | string; readonly maxUnavailable?: number | string };
  };
  readonly progressDeadlineSeconds?: number;
  readonly paused?: boolean;
}

export interface WorkloadStatus {
  readonly replicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly updatedReplicas?: number;
  readonly unavailableReplicas?: number;
  readonly observedGeneration?: number;
  readonly conditions?: readonly Condition[];
}

/** Deployment, ReplicaSet, StatefulSet, DaemonSet: the parts rules share. */
export interface Workload extends KubeObject {
  readonly spec?: WorkloadSpec;
  readonly status?: WorkloadStatus;
}

export interface JobSpec {
  readonly template?: PodTemplateSpec;
  readonly backoffLimit?: number;
}

export interface CronJob extends KubeObject {
  readonly spec?: {
    readonly schedule?: string;
    readonly suspend?: boolean;
    readonly jobTemplate?: { readonly metadata?: ObjectMeta; readonly spec?: JobSpec };
  };
  readonly status?: { readonly lastScheduleTime?: string; readonly lastSuccessfulTime?: string };
}

export interface ServicePort {
  readonly name?: string;
  readonly port?: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
  readonly nodePort?: number;
}

export interface Service extends KubeObject {
  readonly spec?: {
    readonly type?: string;
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports?: readonly ServicePort[];
    readonly clusterIP?: string;
    readonly externalName?: string;
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] } };
}

export interface EndpointAddress {
  readonly ip?: string;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly targetRef?: { readonly kind?: string; readonly name?: string; readonly namespace?: string; readonly uid?: string };
}

export interface Endpoints extends KubeObject {
  readonly subsets?: readonly {
    readonly addresses?: readonly EndpointAddress[];
    readonly notReadyAddresses?: readonly EndpointAddress[];
    readonly ports?: readonly { readonly name?: string; readonly port?: number; readonly protocol?: string }[];
  }[];
}

export interface EndpointSlice extends KubeObject {
  readonly addressType?: string;
  readonly endpoints?: readonly {
    readonly addresses?: readonly string[];
    readonly conditions?: { readonly ready?: boolean; readonly serving?: boolean; readonly terminating?: boolean };
    readonly nodeName?: string;
    readonly targetRef?: { readonly kind?: string; readonly name?: string; readonly namespace?: string; readonly uid?: string };
  }[];
  readonly ports?: readonly { readonly name?: string; readonly port?: number; readonly protocol?: string }[];
}

export interface KubeEvent extends KubeObject {
  readonly involvedObject?: { readonly kind?: string; readonly namespace?: string; readonly name?: string; readonly uid?: string; readonly fieldPath?: string };
  readonly regarding?: { readonly kind?: string; readonly namespace?: string; readonly name?: string; readonly uid?: string; readonly fieldPath?: string };
  readonly reason?: string;
  readonly message?: string;
  readonly note?: string;
  readonly type?: string;
  readonly count?: number;
  readonly firstTimestamp?: string | null;
  readonly lastTimestamp?: string | null;
  readonly eventTime?: string | null;
  readonly source?: { readonly component?: string; readonly host?: string };
}

export interface Node extends KubeObject {
  readonly spec?: {
    readonly unschedulable?: boolean;
    readonly taints?: readonly { readonly key?: string; readonly value?: string; readonly effect?: string }[];
  };
  readonly status?: {
    readonly capacity?: ResourceList;
    readonly allocatable?: ResourceList;
    readonly conditions?: readonly Condition[];
    readonly nodeInfo?: { readonly kubeletVersion?: string; readonly containerRuntimeVersion?: string };
    readonly images?: readonly { readonly names?: readonly string[]; readonly sizeBytes?: number }[];
  };
}

/**
 * A Secret as the model holds it: every value of `data` and `stringData` is already a
 * redaction marker (see engine/redacted.ts), never the value itself.
 */
export interface Secret extends KubeObject {
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly stringData?: Readonly<Record<string, string>>;
}

export interface ConfigMap extends KubeObject {
  readonly data?: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, string>>;
}

export interface PersistentVolumeClaim extends KubeObject {
  readonly spec?: { readonly storageClassName?: string; readonly volumeName?: string; readonly resources?: ResourceRequirements };
  readonly status?: { readonly phase?: string };
}

export interface Ingress extends KubeObject {
  readonly spec?: {
    readonly ingressClassName?: string;
    readonly defaultBackend?: IngressBackend;
    readonly tls?: readonly { readonly hosts?: readonly string[]; readonly secretName?: string }[];
    readonly rules?: readonly {
      readonly host?: string;
      readonly http?: { readonly paths?: readonly { readonly path?: string; readonly pathType?: string; readonly backend?: IngressBackend }[] };
    }[];
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] } };
}

export interface IngressBackend {
  readonly service?: { readonly name?: string; readonly port?: { readonly number?: number; readonly name?: string } };
}

/** Kinds the model indexes under a stable name, with the shape rules read. */
export interface KindMap {
  Pod: Pod;
  Deployment: Workload;
  ReplicaSet: Workload;
  StatefulSet: Workload;
  DaemonSet: Workload;
  Job: KubeObject & { readonly spec?: JobSpec; readonly status?: { readonly failed?: number; readonly succeeded?: number; readonly active?: number; readonly conditions?: readonly Condition[]; readonly completionTime?: string; readonly startTime?: string } };
  CronJob: CronJob;
  Service: Service;
  Endpoints: Endpoints;
  EndpointSlice: EndpointSlice;
  Event: KubeEvent;
  Node: Node;
  Secret: Secret;
  ConfigMap: ConfigMap;
  ServiceAccount: KubeObject & { readonly imagePullSecrets?: readonly { readonly name?: string }[] };
  PersistentVolumeClaim: PersistentVolumeClaim;
  Ingress: Ingress;
  Namespace: KubeObject;
}

export type KnownKind = keyof KindMap;
