// Writes a synthetic cluster of N pods as `kubectl get -o json` prints it (one List, pretty
// printed, managedFields included), streaming, so 150,000 pods never become one string.
// Proportions: 3 pods per Deployment, 2 ReplicaSets per Deployment (current + old, scaled
// to 0), a Service and Endpoints per Deployment, a node per 30 pods, ~1 event per pod,
// one digest per image. About 1% of Deployments fail to pull their image, 0.5% crash-loop.
//
//   node bench/generate.js PODS OUT.json [--stream]
// --stream writes the `kubectl cluster-info dump` stream instead: typed lists per namespace
// followed by a log block for every container (not one JSON document).
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';

const podsPerDeployment = 3;
const podsPerNode = 30;
const deploymentsPerNamespace = 500;
const capturedAt = Date.parse('2026-11-23T09:30:00Z');

/** A deterministic pseudo-random stream, so every run writes the same bytes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const hex = (text, length) => createHash('sha256').update(text).digest('hex').slice(0, length);
const uid = (text) => {
  const h = hex(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
const time = (secondsAgo) => new Date(capturedAt - secondsAgo * 1000).toISOString().replace('.000Z', 'Z');
const suffix = (text, length) => hex(text, 16).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]).slice(0, length);

function managedFields(manager, operation, at) {
  return [
    {
      manager,
      operation,
      apiVersion: 'v1',
      time: at,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} }, 'f:ownerReferences': { '.': {}, 'k:{"uid":"x"}': {} } },
        'f:spec': {
          'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:ports': { '.': {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:name': {}, 'f:protocol': {} } }, 'f:resources': { '.': {}, 'f:limits': { '.': {}, 'f:memory': {} }, 'f:requests': { '.': {}, 'f:cpu': {}, 'f:memory': {} } } } },
          'f:dnsPolicy': {}, 'f:enableServiceLinks': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {},
        },
      },
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: at,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} } }, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:podIPs': { '.': {}, 'k:{"ip":"10.0.0.1"}': { '.': {}, 'f:ip': {} } }, 'f:startTime': {} } },
      subresource: 'status',
    },
  ];
}

/** The whole synthetic cluster, object by object, in dump order per namespace. */
export function* cluster(podCount) {
  const rand = random(podCount);
  const deploymentCount = Math.ceil(podCount / podsPerDeployment);
  const nodeCount = Math.max(3, Math.ceil(podCount / podsPerNode));
  const nodes = [];
  for (let n = 0; n < nodeCount; n++) nodes.push(`aks-pool${Math.floor(n / 1000)}-${hex(`n${n}`, 8)}-vmss${String(n % 1000).padStart(6, '0')}`);
  const nodeObjects = nodes.map((name, n) => node(name, n));
  yield { namespace: '', kind: 'Node', objects: nodeObjects };
  const namespaceCount = Math.ceil(deploymentCount / deploymentsPerNamespace);
  let podsLeft = podCount;
  for (let ns = 0; ns < namespaceCount; ns++) {
    const namespace = `team-${ns}`;
    const byKind = { Event: [], Service: [], Endpoints: [], Deployment: [], ReplicaSet: [], Pod: [] };
    const logs = [];
    const first = ns * deploymentsPerNamespace;
    const last = Math.min(deploymentCount, first + deploymentsPerNamespace);
    for (let d = first; d < last; d++) {
      const app = `svc-${d}`;
      const replicas = Math.min(podsPerDeployment, podsLeft);
      podsLeft -= replicas;
      const roll = rand();
      const failure = roll < 0.01 ? 'image-not-found' : roll < 0.015 ? 'crash-loop' : undefined;
      const image = `registry.example.com/${namespace}/${app}:1.${d % 40}.${d % 7}`;
      const digest = `sha256:${hex(image, 64)}`;
      const hash = suffix(`${app}-current`, 10);
      const oldHash = suffix(`${app}-old`, 10);
      const deploymentUid = uid(`deploy-${d}`);
      const rsUid = uid(`rs-${d}`);
      byKind.Deployment.push(deployment(namespace, app, image, replicas, deploymentUid, failure));
      byKind.ReplicaSet.push(replicaSet(namespace, app, image, hash, replicas, rsUid, deploymentUid, failure, 2));
      byKind.ReplicaSet.push(replicaSet(namespace, app, image.replace(/:1\./, ':0.'), oldHash, 0, uid(`rs-old-${d}`), deploymentUid, undefined, 1));
      byKind.Service.push(service(namespace, app, uid(`svc-${d}`)));
      const ready = [];
      for (let r = 0; r < replicas; r++) {
        const name = `${app}-${hash}-${suffix(`${d}-${r}`, 5)}`;
        const nodeName = nodes[Math.floor(rand() * nodes.length)];
        const ip = `10.${(d >> 8) & 255}.${d & 255}.${r + 10}`;
        const podUid = uid(`pod-${d}-${r}`);
        byKind.Pod.push(pod(namespace, app, name, image, digest, hash, rsUid, podUid, nodeName, ip, failure));
        if (!failure) ready.push({ name, ip, nodeName, podUid });
        byKind.Event.push(...events(namespace, name, podUid, image, nodeName, failure));
        logs.push({ namespace, pod: name, container: 'app', text: logText(app, failure) });
      }
      byKind.Endpoints.push(endpoints(namespace, app, ready));
    }
    yield { namespace, byKind, logs };
  }
}

function node(name, n) {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name, uid: uid(name), resourceVersion: String(900000 + n), creationTimestamp: time(86400 * 30),
      labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'Standard_D8s_v5', 'topology.kubernetes.io/region': 'westeurope', 'topology.kubernetes.io/zone': `westeurope-${(n % 3) + 1}`, agentpool: 'pool' },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: `10.244.${n % 256}.0/24`, providerID: `azure:///subscriptions/0000/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/pool/virtualMachines/${n}` },
    status: {
      capacity: { cpu: '8', 'ephemeral-storage': '129886128Ki', memory: '32863896Ki', pods: '110' },
      allocatable: { cpu: '7820m', 'ephemeral-storage': '119703055367', memory: '28676760Ki', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: time(30), lastTransitionTime: time(86400), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: time(30), lastTransitionTime: time(86400), reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: time(30), lastTransitionTime: time(86400), reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: time(30), lastTransitionTime: time(86400), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: `10.224.${Math.floor(n / 250)}.${(n % 250) + 4}` }, { type: 'Hostname', address: name }],
      nodeInfo: { architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.22-1', kernelVersion: '5.15.0-1073-azure', kubeProxyVersion: 'v1.30.5', kubeletVersion: 'v1.30.5', operatingSystem: 'linux', osImage: 'Ubuntu 22.04.5 LTS' },
    },
  };
}

function deployment(namespace, app, image, replicas, deploymentUid, failure) {
  const available = failure ? 0 : replicas;
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: app, namespace, uid: deploymentUid, resourceVersion: '123456', generation: 2, creationTimestamp: time(86400 * 7), labels: { app }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: {
      replicas, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      selector: { matchLabels: { app } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app } }, spec: podSpec(app, image) },
    },
    status: {
      observedGeneration: 2, replicas, updatedReplicas: replicas, readyReplicas: available || undefined, availableReplicas: available || undefined, unavailableReplicas: failure ? replicas : undefined,
      conditions: [
        { type: 'Available', status: failure ? 'False' : 'True', lastUpdateTime: time(3000), lastTransitionTime: time(3000), reason: failure ? 'MinimumReplicasUnavailable' : 'MinimumReplicasAvailable', message: failure ? 'Deployment does not have minimum availability.' : 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: time(3000), lastTransitionTime: time(86400), reason: failure ? 'ReplicaSetUpdated' : 'NewReplicaSetAvailable', message: `ReplicaSet "${app}" ${failure ? 'is progressing.' : 'has successfully progressed.'}` },
      ],
    },
  };
}

function podSpec(app, image) {
  return {
    containers: [{
      name: 'app', image, imagePullPolicy: 'IfNotPresent',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'SERVICE_NAME', value: app }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${app}-db`, key: 'password' } } }],
      resources: { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
    }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
  };
}

function replicaSet(namespace, app, image, hash, replicas, rsUid, deploymentUid, failure, revision) {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `${app}-${hash}`, namespace, uid: rsUid, resourceVersion: '123457', generation: 1, creationTimestamp: time(3600 * revision),
      labels: { app, 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + 1), 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: deploymentUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas, selector: { matchLabels: { app, 'pod-template-hash': hash } }, template: { metadata: { labels: { app, 'pod-template-hash': hash } }, spec: podSpec(app, image) } },
    status: replicas === 0 ? { replicas: 0, observedGeneration: 1 } : { replicas, fullyLabeledReplicas: replicas, readyReplicas: failure ? undefined : replicas, availableReplicas: failure ? undefined : replicas, observedGeneration: 1 },
  };
}

function pod(namespace, app, name, image, digest, hash, rsUid, podUid, nodeName, ip, failure) {
  const started = time(3000);
  let state = { running: { startedAt: started } };
  let lastState = {};
  let ready = !failure;
  let restartCount = 0;
  if (failure === 'image-not-found') {
    state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
  } else if (failure === 'crash-loop') {
    restartCount = 14;
    state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=app pod=${name}_${namespace}(${podUid})` } };
    lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: time(400), finishedAt: time(395), containerID: `containerd://${hex(name, 64)}` } };
    ready = false;
  }
  const status = {
    name: 'app', image, imageID: failure === 'image-not-found' ? '' : `${image.replace(/:[^:/]+$/, '')}@${digest}`,
    ready, restartCount, started: ready, state, lastState,
    ...(failure === 'image-not-found' ? {} : { containerID: `containerd://${hex(`${name}c`, 64)}` }),
  };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, generateName: `${app}-${hash}-`, namespace, uid: podUid, resourceVersion: '223344', creationTimestamp: time(3000),
      labels: { app, 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, uid: rsUid, controller: true, blockOwnerDeletion: true }],
      managedFields: managedFields('kube-controller-manager', 'Update', time(3000)),
    },
    spec: {
      ...podSpec(app, image),
      volumes: [{ name: 'kube-api-access-x7k2p', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } }],
      nodeName, serviceAccountName: 'default', serviceAccount: 'default', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
    status: {
      phase: failure === 'image-not-found' ? 'Pending' : 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: time(2990) },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: time(3000) },
        { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: time(2980), ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }) },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: time(2980), ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }) },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: time(3000) },
      ],
      hostIP: '10.224.0.4', hostIPs: [{ ip: '10.224.0.4' }], podIP: ip, podIPs: [{ ip }], startTime: time(3000), qosClass: 'Burstable',
      containerStatuses: [status],
    },
  };
}

function events(namespace, podName, podUid, image, nodeName, failure) {
  const event = (reason, type, message, count, n) => ({
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${podName}.${hex(`${podName}${n}`, 16)}`, namespace, uid: uid(`${podName}-ev-${n}`), resourceVersion: '5555', creationTimestamp: time(3000) },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: podName, namespace, uid: podUid, resourceVersion: '223300', fieldPath: 'spec.containers{app}' },
    reason, message, source: { component: 'kubelet', host: nodeName }, firstTimestamp: time(3000), lastTimestamp: time(failure ? 60 : 2990), count, type,
    eventTime: null, reportingComponent: 'kubelet', reportingInstance: nodeName,
  });
  if (failure === 'image-not-found') {
    return [
      event('Pulling', 'Normal', `Pulling image "${image}"`, 12, 1),
      event('Failed', 'Warning', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`, 12, 2),
      event('Failed', 'Warning', 'Error: ErrImagePull', 12, 3),
      event('BackOff', 'Normal', `Back-off pulling image "${image}"`, 210, 4),
    ];
  }
  if (failure === 'crash-loop') return [event('BackOff', 'Warning', 'Back-off restarting failed container app in pod', 160, 1)];
  return [event('Started', 'Normal', 'Started container app', 1, 1)];
}

function service(namespace, app, serviceUid) {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: app, namespace, uid: serviceUid, resourceVersion: '3333', creationTimestamp: time(86400 * 7), labels: { app } },
    spec: { type: 'ClusterIP', clusterIP: '10.0.12.34', clusterIPs: ['10.0.12.34'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', selector: { app }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] },
    status: { loadBalancer: {} },
  };
}

function endpoints(namespace, app, ready) {
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: app, namespace, uid: uid(`ep-${namespace}-${app}`), resourceVersion: '4444', creationTimestamp: time(86400 * 7), labels: { app } },
    subsets: ready.length === 0 ? undefined : [{ addresses: ready.map((p) => ({ ip: p.ip, nodeName: p.nodeName, targetRef: { kind: 'Pod', namespace, name: p.name, uid: p.podUid } })), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  };
}

function logText(app, failure) {
  if (failure === 'crash-loop') {
    return `2026-11-23T09:23:11Z INFO starting ${app}\n2026-11-23T09:23:11Z INFO connecting to postgres://app:hunter2@db.${app}.svc:5432/app\n2026-11-23T09:23:16Z ERROR could not connect to server: Connection refused\n\tIs the server running on host "db" and accepting TCP/IP connections on port 5432?\n`;
  }
  return `2026-11-23T08:40:02Z INFO starting ${app}\n2026-11-23T08:40:02Z INFO listening on :8080\n`;
}

const indent = (text, spaces) => text.replace(/\n/g, `\n${' '.repeat(spaces)}`);

/** Writes the List (or, with stream, the cluster-info dump stream) to a file; returns its size. */
export function writeDump(podCount, path, stream = false) {
  const fd = openSync(path, 'w');
  let size = 0;
  let pending = [];
  let pendingLength = 0;
  const write = (text) => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength > 4 * 1024 * 1024) flush();
  };
  const flush = () => {
    const buffer = Buffer.from(pending.join(''));
    writeSync(fd, buffer);
    size += buffer.length;
    pending = [];
    pendingLength = 0;
  };
  const list = (kind, objects, typed) => {
    write(typed ? `{\n    "kind": "${kind}List",\n    "apiVersion": "${kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps/v1' : 'v1'}",\n    "metadata": {\n        "resourceVersion": "99999"\n    },\n    "items": [` : '');
    objects.forEach((object, i) => {
      const item = typed ? { ...object, kind: undefined, apiVersion: undefined } : object;
      write(`${i === 0 ? '' : ','}\n        ${indent(JSON.stringify(item, null, 4), 8)}`);
    });
    if (typed) write('\n    ]\n}\n');
  };
  if (!stream) write('{\n    "apiVersion": "v1",\n    "items": [');
  let firstItem = true;
  for (const part of cluster(podCount)) {
    const groups = part.objects ? [['Node', part.objects]] : Object.entries(part.byKind);
    for (const [kind, objects] of groups) {
      if (stream) {
        list(kind, objects, true);
      } else {
        for (const object of objects) {
          write(`${firstItem ? '' : ','}\n        ${indent(JSON.stringify(object, null, 4), 8)}`);
          firstItem = false;
        }
      }
    }
    if (stream) {
      for (const log of part.logs ?? []) {
        write(`==== START logs for container ${log.container} of pod ${log.namespace}/${log.pod} ====\n${log.text}==== END logs for container ${log.container} of pod ${log.namespace}/${log.pod} ====\n`);
      }
    }
  }
  if (!stream) write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
  flush();
  closeSync(fd);
  return size;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [pods, out, flag] = process.argv.slice(2);
  if (!pods || !out) {
    console.error('usage: node bench/generate.js PODS OUT.json [--stream]');
    process.exit(2);
  }
  const size = writeDump(Number(pods), out, flag === '--stream');
  console.log(`${out}: ${pods} pods, ${(size / 1024 / 1024).toFixed(1)} MiB`);
}
