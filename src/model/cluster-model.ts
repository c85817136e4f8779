import type {
  Container, EndpointAddress, KindMap, KnownKind, KubeEvent, KubeObject, LabelSelector, Node, Pod,
  PodTemplateSpec, Service, Workload,
} from './k8s.js';
import { pushTo } from './collections.js';
import { isEmptySelector, selectorMatches } from './labels.js';
import { keyOf, objectKey } from './object-ref.js';
import type { FieldPath, Locator, SourceLocation } from './source-location.js';
import { parseQuantity } from './quantity.js';

/** Where the objects came from: a cluster's state (live or dump) or manifests before deploy. */
export type ModelSource = 'cluster' | 'manifests';

export interface ContainerLog {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** true for the log of the previous (crashed) instance, `kubectl logs --previous`. */
  readonly previous: boolean;
  readonly text: string;
}

export interface ModelInput {
  readonly source: ModelSource;
  readonly objects: readonly KubeObject[];
  readonly logs?: readonly ContainerLog[];
  readonly locate?: Locator;
}

export interface EndpointTarget {
  readonly ip?: string;
  readonly podName?: string;
  readonly nodeName?: string;
}

export interface ServiceEndpoints {
  /** false when neither Endpoints nor EndpointSlices for the Service are in the model. */
  readonly known: boolean;
  readonly ready: readonly EndpointTarget[];
  readonly notReady: readonly EndpointTarget[];
}

export interface Resources {
  /** cores */
  readonly cpu: number;
  /** bytes */
  readonly memory: number;
  readonly pods: number;
}

export interface NodeAllocation {
  readonly node: Node;
  readonly allocatable: Resources;
  readonly requested: Resources;
  readonly free: Resources;
  /** Pods bound to the node that hold resources (not Succeeded/Failed). */
  readonly pods: readonly Pod[];
}

export type ConfigReferenceVia = 'env' | 'envFrom' | 'volume' | 'imagePullSecret';

export interface ConfigReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  /** Absent when the whole object is referenced (envFrom, whole volume). */
  readonly key?: string;
  readonly optional: boolean;
  readonly via: ConfigReferenceVia;
  /** The container that needs it; absent for volumes and image pull secrets. */
  readonly container?: string;
  /** Where the reference sits inside the pod spec. */
  readonly path: FieldPath;
}

/** A pod template wherever it lives: a workload's spec.template, a CronJob's job template or a bare Pod. */
export interface PodTemplateOwner {
  readonly owner: KubeObject;
  readonly namespace: string;
  readonly template: PodTemplateSpec;
  /** Path of the template inside its owner (empty for a bare Pod, whose spec is at ['spec']). */
  readonly path: FieldPath;
}

/** A ConfigReference whose path is built when a finding asks for it. */
class Reference implements ConfigReference {
  readonly key?: string;
  readonly container?: string;

  constructor(
    readonly kind: 'Secret' | 'ConfigMap',
    readonly name: string,
    readonly optional: boolean,
    readonly via: ConfigReferenceVia,
    private readonly pathOf: () => FieldPath,
    key: string | undefined,
    container: string | undefined,
  ) {
    if (key !== undefined) this.key = key;
    if (container !== undefined) this.container = container;
  }

  get path(): FieldPath {
    return this.pathOf();
  }
}

/** The objects of one kind in one namespace, in input order and by name. */
interface NamespaceShelf {
  readonly objects: KubeObject[];
  readonly byName: Map<string, KubeObject>;
}

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

/**
 * The read-only, indexed view of every object a source produced. Built once per scan;
 * rules only query it. Nothing here does I/O or reads the clock.
 */
export class ClusterModel {
  readonly source: ModelSource;
  readonly objects: readonly KubeObject[];

  readonly #byKind = new Map<string, KubeObject[]>();
  /** kind → namespace → its objects, and them by name (the last one, when the input repeats an object) */
  readonly #byNamespace = new Map<string, Map<string, NamespaceShelf>>();
  readonly #byUid = new Map<string, KubeObject>();
  /** The owner of every object of the model that names one, resolved once (null: not in the model). */
  readonly #owners = new Map<KubeObject, KubeObject | null>();
  readonly #children = new Map<KubeObject, KubeObject[]>();
  /** Events by `kind/namespace/name` and `uid:…` of what they are about, oldest first. */
  readonly #events = new Map<string, KubeEvent[]>();
  /** The same, resolved to the objects of the model. */
  readonly #eventsOf = new Map<KubeObject, KubeEvent[]>();
  /** Objects that share their key or uid with another one (the input repeats them): looked up by name, not identity. */
  readonly #shadowed = new Set<KubeObject>();
  /** Each event's place in time order (the order every events list keeps), built when a merge needs it. */
  #eventRank: Map<KubeEvent, number> | undefined;
  #eventsInOrder: readonly KubeEvent[] = [];
  /** Services by namespace and by one `key=value` pair of their selector (any pair must match). */
  #serviceIndex: Map<string, LabelIndex<Service>> | undefined;
  /** EndpointSlices by `namespace/service`. */
  #slicesByService: Map<string, KindMap['EndpointSlice'][]> | undefined;
  #podTemplates: readonly PodTemplateOwner[] | undefined;
  readonly #podsByNode = new Map<string, Pod[]>();
  /** namespace → `key=value` → pods carrying that label */
  #podLabelIndex: Map<string, LabelIndex<Pod>> | undefined;
  readonly #logs = new Map<string, string>();
  readonly #allocations = new WeakMap<Node, NodeAllocation>();
  readonly #locate: Locator | undefined;

  constructor(input: ModelInput) {
    this.source = input.source;
    this.objects = input.objects;
    this.#locate = input.locate;
    for (const object of input.objects) this.#index(object);
    this.#indexEvents();
    for (const log of input.logs ?? []) {
      this.#logs.set(logKey(log.namespace, log.pod, log.container, log.previous), log.text);
    }
    this.#indexOwnership();
  }

  #index(object: KubeObject): void {
    const kind = object.kind ?? 'Unknown';
    let ofKind = this.#byKind.get(kind);
    if (!ofKind) this.#byKind.set(kind, (ofKind = []));
    ofKind.push(object);
    // Looked up by name as objectKey names it: an object without a kind under ''.
    const shelfKind = object.kind ?? '';
    let inKind = this.#byNamespace.get(shelfKind);
    if (!inKind) this.#byNamespace.set(shelfKind, (inKind = new Map<string, NamespaceShelf>()));
    const namespace = object.metadata?.namespace ?? '';
    let shelf = inKind.get(namespace);
    if (!shelf) inKind.set(namespace, (shelf = { objects: [], byName: new Map<string, KubeObject>() }));
    shelf.objects.push(object);
    const name = object.metadata?.name ?? '';
    const sameName = shelf.byName.get(name);
    if (sameName) this.#shadow(sameName, object);
    shelf.byName.set(name, object);
    const uid = object.metadata?.uid;
    if (uid) {
      const sameUid = this.#byUid.get(uid);
      if (sameUid) this.#shadow(sameUid, object);
      this.#byUid.set(uid, object);
    }

    // Events are indexed afterwards, oldest first (#indexEvents).
    if (kind === 'Pod') {
      const pod = object as Pod;
      const nodeName = pod.spec?.nodeName;
      if (nodeName) pushTo(this.#podsByNode, nodeName, pod);
    }
  }

  /** Events by the object they are about (by kind/namespace/name and by uid), oldest first. */
  #indexEvents(): void {
    const all = (this.#byKind.get('Event') ?? []) as KubeEvent[];
    // By time (as instants: `…:00.9Z` is after `…:00Z`), unknown times first; ties keep input order.
    const times = all.map(eventInstant);
    const order = all.map((_, i) => i).sort((a, b) => {
      const ta = times[a] ?? 0;
      const tb = times[b] ?? 0;
      return ta === tb ? a - b : ta < tb ? -1 : 1;
    });
    const events = order.map((i) => all[i] as KubeEvent);
    this.#eventsInOrder = events;
    for (const event of events) {
      const target = event.involvedObject ?? event.regarding;
      if (!target) continue;
      const namespace = target.namespace ?? event.metadata?.namespace;
      pushTo(this.#events, keyOf({ kind: target.kind, namespace, name: target.name }), event);
      const byKey = this.#lookup(target.kind, namespace, target.name);
      if (byKey) pushTo(this.#eventsOf, byKey, event);
      let clusterScoped: KubeObject | undefined;
      if (target.namespace === undefined && namespace) {
        // The kubelet's events about a Node sit in `default` and name no namespace: the Node has none.
        pushTo(this.#events, keyOf({ kind: target.kind, namespace: '', name: target.name }), event);
        clusterScoped = this.#lookup(target.kind, '', target.name);
        if (clusterScoped) pushTo(this.#eventsOf, clusterScoped, event);
      }
      if (target.uid) {
        pushTo(this.#events, `uid:${target.uid}`, event);
        const byUid = this.#byUid.get(target.uid);
        if (byUid && byUid !== byKey && byUid !== clusterScoped) pushTo(this.#eventsOf, byUid, event);
      }
    }
  }

  #shadow(a: KubeObject, b: KubeObject): void {
    this.#shadowed.add(a);
    this.#shadowed.add(b);
  }

  #indexOwnership(): void {
    for (const object of this.objects) {
      if (!object.metadata?.ownerReferences?.length) continue;
      const owner = this.#resolveOwner(object);
      this.#owners.set(object, owner ?? null);
      if (owner) pushTo(this.#children, owner, object);
    }
  }

  #resolveOwner(object: KubeObject): KubeObject | undefined {
    const refs = object.metadata?.ownerReferences;
    if (!refs || refs.length === 0) return undefined;
    const ref = refs.find((r) => r.controller) ?? refs[0];
    if (!ref) return undefined;
    if (ref.uid) {
      const byUid = this.#byUid.get(ref.uid);
      if (byUid) return byUid;
    }
    return this.#lookup(ref.kind, object.metadata.namespace, ref.name);
  }

  /** Whether this very object is the one filed under its kind, namespace and name. */
  #isFiled(object: KubeObject): boolean {
    return this.#lookup(object.kind, object.metadata?.namespace, object.metadata?.name) === object;
  }

  /** Whether this very object is one of the model's (not an equal copy, not a rule's own literal). */
  #holds(object: KubeObject): boolean {
    return this.#isFiled(object) || this.#shadowed.has(object);
  }

  #lookup(kind: string | undefined, namespace: string | undefined, name: string | undefined): KubeObject | undefined {
    return this.#byNamespace.get(kind ?? '')?.get(namespace ?? '')?.byName.get(name ?? '');
  }

  /** Every object of a kind, optionally in one namespace. */
  list<K extends KnownKind>(kind: K, namespace?: string): readonly KindMap[K][];
  list(kind: string, namespace?: string): readonly KubeObject[];
  list(kind: string, namespace?: string): readonly KubeObject[] {
    if (namespace === undefined) return this.#byKind.get(kind) ?? [];
    // Objects without a kind are listed as 'Unknown' (kinds()) but shelved under ''.
    if (kind === 'Unknown' || kind === '') return (this.#byKind.get(kind) ?? []).filter((o) => (o.metadata?.namespace ?? '') === namespace);
    return this.#byNamespace.get(kind)?.get(namespace)?.objects ?? [];
  }

  get<K extends KnownKind>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined;
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#lookup(kind, namespace, name);
  }

  kinds(): string[] {
    return [...this.#byKind.keys()].sort();
  }

  namespaces(): string[] {
    const names = new Set<string>();
    for (const object of this.objects) {
      const namespace = object.metadata?.namespace;
      if (namespace) names.add(namespace);
    }
    for (const ns of this.list('Namespace')) if (ns.metadata?.name) names.add(ns.metadata.name);
    return [...names].sort();
  }

  /** The controlling owner (or the first owner) of an object, when it is in the model. */
  ownerOf(object: KubeObject): KubeObject | undefined {
    if (!object.metadata?.ownerReferences?.length) return undefined;
    const owner = this.#owners.get(object);
    // Objects that are not in the model (a rule's own synthetic object) are resolved on the spot.
    return owner === undefined ? this.#resolveOwner(object) : owner ?? undefined;
  }

  /** The top of the owner chain: Pod → ReplicaSet → Deployment gives the Deployment. */
  rootOwner(object: KubeObject): KubeObject {
    let current = object;
    for (let depth = 0; depth < 8; depth++) {
      const owner = this.ownerOf(current);
      if (!owner) break;
      current = owner;
    }
    return current;
  }

  /** Objects directly owned by this one, optionally of one kind. */
  ownedBy(object: KubeObject, kind?: string): readonly KubeObject[] {
    const children = this.#children.get(object) ?? this.#childrenByKey(object);
    return kind === undefined ? children : children.filter((c) => c.kind === kind);
  }

  /** Children of an equal object that is not itself in the model (looked up by key). */
  #childrenByKey(object: KubeObject): readonly KubeObject[] {
    if (this.#holds(object)) return [];
    const same = this.#lookup(object.kind, object.metadata?.namespace, object.metadata?.name);
    return same && same !== object ? this.#children.get(same) ?? [] : [];
  }

  /** Pods a workload runs, through the owner graph (Deployment → ReplicaSet → Pod, CronJob → Job → Pod). */
  podsOf(workload: KubeObject): Pod[] {
    if (workload.kind === 'Pod') return [workload];
    const pods: Pod[] = [];
    const visit = (object: KubeObject, depth: number): void => {
      for (const child of this.ownedBy(object)) {
        if (child.kind === 'Pod') pods.push(child);
        else if (depth < 3) visit(child, depth + 1);
      }
    };
    visit(workload, 0);
    return pods;
  }

  /** Pods in a namespace whose labels satisfy the selector. An empty selector selects nothing here. */
  podsSelectedBy(selector: LabelSelector | undefined, namespace: string): Pod[] {
    if (!selector || isEmptySelector(selector)) return [];
    const byLabel = this.#podsByLabel().get(namespace);
    if (!byLabel) return [];
    let candidates: readonly Pod[] = this.list('Pod', namespace);
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
      const posting = byLabel.get(key, value) ?? [];
      if (posting.length < candidates.length) candidates = posting;
    }
    return candidates.filter((pod) => selectorMatches(selector, pod.metadata?.labels));
  }

  /** namespace → label → pods carrying it; built on first use. */
  #podsByLabel(): Map<string, LabelIndex<Pod>> {
    if (this.#podLabelIndex) return this.#podLabelIndex;
    const index = new Map<string, LabelIndex<Pod>>();
    for (const pod of this.list('Pod')) {
      const namespace = pod.metadata?.namespace ?? '';
      let byLabel = index.get(namespace);
      if (!byLabel) index.set(namespace, (byLabel = new LabelIndex<Pod>()));
      const labels = pod.metadata?.labels;
      if (labels) for (const key in labels) byLabel.add(key, labels[key] ?? '', pod);
    }
    this.#podLabelIndex = index;
    return index;
  }

  /** Pods of a Service: those its selector picks. A Service without selector selects none. */
  podsOfService(service: Service): Pod[] {
    const selector = service.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return [];
    return this.podsSelectedBy({ matchLabels: selector }, service.metadata?.namespace ?? '');
  }

  /** Services in the pod's namespace whose selector picks the pod. */
  servicesSelecting(pod: Pod): Service[] {
    return this.servicesSelectingLabels(pod.metadata?.labels, pod.metadata?.namespace ?? '');
  }

  /** Services of a namespace whose selector picks these labels (a pod's, or a pod template's). */
  servicesSelectingLabels(labels: Readonly<Record<string, string>> | undefined, namespace: string): Service[] {
    if (!labels) return [];
    const byPair = this.#services().get(namespace);
    if (!byPair) return [];
    const found: Service[] = [];
    for (const key in labels) {
      const candidates = byPair.get(key, labels[key] ?? '');
      if (!candidates) continue;
      for (const service of candidates) {
        if (selectorMatches({ matchLabels: service.spec?.selector ?? {} }, labels)) found.push(service);
      }
    }
    // Each Service is filed under one pair, so none is found twice; keep the namespace's order.
    if (found.length > 1) {
      const order = this.list('Service', namespace);
      found.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    }
    return found;
  }

  #services(): Map<string, LabelIndex<Service>> {
    if (this.#serviceIndex) return this.#serviceIndex;
    const index = new Map<string, LabelIndex<Service>>();
    for (const service of this.list('Service')) {
      const selector = service.spec?.selector;
      if (!selector) continue;
      const first = Object.keys(selector)[0];
      if (first === undefined) continue;
      const namespace = service.metadata?.namespace ?? '';
      let byPair = index.get(namespace);
      if (!byPair) index.set(namespace, (byPair = new LabelIndex<Service>()));
      byPair.add(first, selector[first] ?? '', service);
    }
    this.#serviceIndex = index;
    return index;
  }

  /** Ready and not-ready endpoints of a Service, from Endpoints or (when present) EndpointSlices. */
  endpointsOf(service: Service): ServiceEndpoints {
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    const slices = this.#endpointSlices().get(`${namespace}/${name}`) ?? [];
    if (slices.length > 0) {
      const ready: EndpointTarget[] = [];
      const notReady: EndpointTarget[] = [];
      for (const slice of slices) {
        for (const endpoint of slice.endpoints ?? []) {
          const target = endpointTarget(endpoint.addresses?.[0], endpoint.targetRef?.name, endpoint.nodeName);
          (endpoint.conditions?.ready === false ? notReady : ready).push(target);
        }
      }
      return { known: true, ready, notReady };
    }
    const endpoints = this.get('Endpoints', namespace, name);
    if (!endpoints) return { known: false, ready: [], notReady: [] };
    const toTarget = (address: EndpointAddress): EndpointTarget =>
      endpointTarget(address.ip, address.targetRef?.name, address.nodeName);
    return {
      known: true,
      ready: (endpoints.subsets ?? []).flatMap((s) => (s.addresses ?? []).map(toTarget)),
      notReady: (endpoints.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map(toTarget)),
    };
  }

  #endpointSlices(): Map<string, KindMap['EndpointSlice'][]> {
    if (this.#slicesByService) return this.#slicesByService;
    const index = new Map<string, KindMap['EndpointSlice'][]>();
    for (const slice of this.list('EndpointSlice')) {
      const service = slice.metadata?.labels?.['kubernetes.io/service-name'];
      if (service !== undefined) pushTo(index, `${slice.metadata?.namespace ?? ''}/${service}`, slice);
    }
    this.#slicesByService = index;
    return index;
  }

  /**
   * The Service an in-cluster host name refers to, seen from a namespace:
   * `db`, `db.shop`, `db.shop.svc`, `db.shop.svc.cluster.local`.
   */
  serviceForHost(host: string, fromNamespace: string): Service | undefined {
    const parts = host.toLowerCase().replace(/\.$/, '').split('.');
    const [name, namespace, svc] = parts;
    if (!name) return undefined;
    if (parts.length === 1) return this.get('Service', fromNamespace, name);
    if (parts.length === 2 && namespace) return this.get('Service', namespace, name);
    if (svc === 'svc' && namespace) return this.get('Service', namespace, name);
    return undefined;
  }

  /** Events about an object, oldest first. */
  eventsFor(object: KubeObject): readonly KubeEvent[] {
    if (!this.#shadowed.has(object) && this.#isFiled(object)) return this.#eventsOf.get(object) ?? [];
    // The index holds events oldest first (sorted once, in the constructor).
    const byName = this.#events.get(objectKey(object)) ?? [];
    const uid = object.metadata?.uid;
    const byUid = uid ? this.#events.get(`uid:${uid}`) ?? [] : [];
    let events = byName;
    if (byUid.length > 0 && byUid !== byName) {
      const named = new Set(byName);
      const extra = byUid.filter((event) => !named.has(event));
      if (extra.length > 0) {
        const rank = (this.#eventRank ??= new Map(this.#eventsInOrder.map((event, i) => [event, i])));
        events = [...byName, ...extra].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
      }
    }
    return events;
  }

  podsOnNode(nodeName: string): readonly Pod[] {
    return this.#podsByNode.get(nodeName) ?? [];
  }

  /** Allocatable vs requested on a node, counting pods that still hold their reservation. */
  nodeAllocation(node: Node): NodeAllocation {
    // The model never changes after construction, so each node's sums are computed once.
    const cached = this.#allocations.get(node);
    if (cached) return cached;
    const allocation = this.#computeAllocation(node);
    this.#allocations.set(node, allocation);
    return allocation;
  }

  #computeAllocation(node: Node): NodeAllocation {
    const allocatable = {
      cpu: parseQuantity(node.status?.allocatable?.cpu) ?? 0,
      memory: parseQuantity(node.status?.allocatable?.memory) ?? 0,
      pods: parseQuantity(node.status?.allocatable?.pods) ?? 110,
    };
    const pods = this.podsOnNode(node.metadata?.name ?? '').filter(holdsResources);
    const requested = { cpu: 0, memory: 0, pods: pods.length };
    for (const pod of pods) {
      const r = podRequests(pod.spec?.containers, pod.spec?.initContainers);
      requested.cpu += r.cpu;
      requested.memory += r.memory;
    }
    return {
      node,
      allocatable,
      requested,
      free: {
        cpu: allocatable.cpu - requested.cpu,
        memory: allocatable.memory - requested.memory,
        pods: allocatable.pods - requested.pods,
      },
      pods,
    };
  }

  /** Every Secret/ConfigMap a pod spec refers to, with where and by which container. */
  configReferences(spec: Pod['spec'], specPath: FieldPath = ['spec']): ConfigReference[] {
    const refs: ConfigReference[] = [];
    const add = (kind: 'Secret' | 'ConfigMap', name: string, optional: boolean | undefined, via: ConfigReferenceVia, path: () => FieldPath, key?: string, container?: string): void => {
      refs.push(new Reference(kind, name, optional === true, via, path, key, container));
    };
    for (const group of ['containers', 'initContainers'] as const) {
      const containers = spec?.[group] ?? [];
      for (let ci = 0; ci < containers.length; ci++) {
        const container = containers[ci];
        if (!container) continue;
        const env = container.env ?? [];
        for (let ei = 0; ei < env.length; ei++) {
          const valueFrom = env[ei]?.valueFrom;
          if (!valueFrom) continue;
          const secret = valueFrom.secretKeyRef;
          const configMap = valueFrom.configMapKeyRef;
          const ref = secret ?? configMap;
          if (!ref?.name) continue;
          add(secret ? 'Secret' : 'ConfigMap', ref.name, ref.optional, 'env', () => [...specPath, group, ci, 'env', ei, 'valueFrom'], ref.key || undefined, container.name || undefined);
        }
        const envFrom = container.envFrom ?? [];
        for (let si = 0; si < envFrom.length; si++) {
          const source = envFrom[si];
          const ref = source?.secretRef ?? source?.configMapRef;
          if (!ref?.name) continue;
          add(source?.secretRef ? 'Secret' : 'ConfigMap', ref.name, ref.optional, 'envFrom', () => [...specPath, group, ci, 'envFrom', si], undefined, container.name || undefined);
        }
      }
    }
    const volumes = spec?.volumes ?? [];
    for (let vi = 0; vi < volumes.length; vi++) {
      const volume = volumes[vi];
      if (!volume) continue;
      const path = (): FieldPath => [...specPath, 'volumes', vi];
      if (volume.secret?.secretName) add('Secret', volume.secret.secretName, volume.secret.optional, 'volume', path);
      if (volume.configMap?.name) add('ConfigMap', volume.configMap.name, volume.configMap.optional, 'volume', path);
      for (const source of volume.projected?.sources ?? []) {
        if (source.secret?.name) add('Secret', source.secret.name, source.secret.optional, 'volume', path);
        if (source.configMap?.name) add('ConfigMap', source.configMap.name, source.configMap.optional, 'volume', path);
      }
    }
    const pullSecrets = spec?.imagePullSecrets ?? [];
    for (let i = 0; i < pullSecrets.length; i++) {
      const name = pullSecrets[i]?.name;
      if (name) add('Secret', name, true, 'imagePullSecret', () => [...specPath, 'imagePullSecrets', i]);
    }
    return refs;
  }

  /**
   * Every pod template in the model: workloads' spec.template, CronJobs' job template, and
   * bare Pods (those no object of the model owns: a static pod whose Node is in the model is
   * left out). Templates of ReplicaSets and Jobs owned by an object of the model are left
   * out too: the Deployment's (CronJob's) template is the one people edit.
   */
  podTemplates(): readonly PodTemplateOwner[] {
    this.#podTemplates ??= this.#collectPodTemplates();
    return this.#podTemplates;
  }

  #collectPodTemplates(): PodTemplateOwner[] {
    const templates: PodTemplateOwner[] = [];
    for (const object of this.objects) {
      const kind = object.kind ?? '';
      const namespace = object.metadata?.namespace ?? '';
      if (workloadKinds.has(kind)) {
        if ((kind === 'ReplicaSet' || kind === 'Job') && this.ownerOf(object)) continue;
        const template = (object as Workload).spec?.template;
        if (template) templates.push({ owner: object, namespace, template, path: ['spec', 'template'] });
      } else if (kind === 'CronJob') {
        const template = (object as KindMap['CronJob']).spec?.jobTemplate?.spec?.template;
        if (template) templates.push({ owner: object, namespace, template, path: ['spec', 'jobTemplate', 'spec', 'template'] });
      } else if (kind === 'Pod' && !this.ownerOf(object)) {
        const pod = object as Pod;
        templates.push({ owner: object, namespace, template: { ...(pod.metadata ? { metadata: pod.metadata } : {}), ...(pod.spec ? { spec: pod.spec } : {}) }, path: [] });
      }
    }
    return templates;
  }

  /** A container's log, when the source had it. */
  logOf(namespace: string, pod: string, container: string, previous: boolean): string | undefined {
    // Most sources carry no logs, or few: no key to build then.
    return this.#logs.size === 0 ? undefined : this.#logs.get(logKey(namespace, pod, container, previous));
  }

  /** The log that best explains a crash: the previous instance's, else the current one's. */
  crashLogOf(pod: Pod, container: string): string | undefined {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    return this.logOf(namespace, name, container, true) ?? this.logOf(namespace, name, container, false);
  }

  /** Where an object (or a field in it) was written, for manifests. */
  locate(object: KubeObject, path: FieldPath = []): SourceLocation | undefined {
    return this.#locate?.(object, path);
  }
}

/** Requests of a pod: sum over containers, or the largest init container when that is larger. */
export function podRequests(containers: readonly Container[] | undefined, initContainers?: readonly Container[]): { cpu: number; memory: number } {
  const sum = { cpu: 0, memory: 0 };
  for (const c of containers ?? []) {
    sum.cpu += parseQuantity(c.resources?.requests?.cpu) ?? 0;
    sum.memory += parseQuantity(c.resources?.requests?.memory) ?? 0;
  }
  for (const c of initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, parseQuantity(c.resources?.requests?.cpu) ?? 0);
    sum.memory = Math.max(sum.memory, parseQuantity(c.resources?.requests?.memory) ?? 0);
  }
  return sum;
}

/** Pods that are not finished hold their requests on their node. */
export function holdsResources(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** The time an event last happened, as an ISO string ('' when unknown). */
export function eventTime(event: KubeEvent): string {
  return event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp ?? '';
}

function endpointTarget(ip: string | undefined, podName: string | undefined, nodeName: string | undefined): EndpointTarget {
  const target: { ip?: string; podName?: string; nodeName?: string } = {};
  if (ip) target.ip = ip;
  if (podName) target.podName = podName;
  if (nodeName) target.nodeName = nodeName;
  return target;
}

function logKey(namespace: string, pod: string, container: string, previous: boolean): string {
  return `${namespace}/${pod}/${container}/${previous ? 'previous' : 'current'}`;
}

/** When an event last happened, in ms since the epoch; -Infinity when it says no (valid) time. */
function eventInstant(event: KubeEvent): number {
  const time = Date.parse(eventTime(event));
  return Number.isNaN(time) ? -Infinity : time;
}

/** Items by one label (key and value), without building a `key=value` string per label. */
class LabelIndex<T> {
  readonly #byKey = new Map<string, Map<string, T[]>>();

  add(key: string, value: string, item: T): void {
    let byValue = this.#byKey.get(key);
    if (!byValue) this.#byKey.set(key, (byValue = new Map<string, T[]>()));
    pushTo(byValue, value, item);
  }

  get(key: string, value: string): readonly T[] | undefined {
    return this.#byKey.get(key)?.get(value);
  }
}

