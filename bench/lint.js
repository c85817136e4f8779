// Generates a tree of 2,000 manifest files (a realistic mix: Deployments with probes and
// resources, Services, PDBs, Ingresses, ConfigMaps, some with mistakes) and times
// `kubetriage lint` on it, end to end through the real CLI. Run: npm run bench:lint
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const files = Number(process.env.BENCH_FILES ?? 2000);
const bin = fileURLToPath(new URL('../bin/kubetriage.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'kubetriage-bench-lint-'));

function deployment(app, ns, i) {
  const tag = i % 17 === 0 ? 'latest' : `1.${i % 9}.${i % 13}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
    spec:
      containers:
        - name: ${app}
          image: ghcr.io/acme/${app}:${tag}
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
          readinessProbe:
            httpGet:
              path: /healthz
              port: ${i % 23 === 0 ? 'health' : 'http'}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
${i % 11 === 0 ? '' : '            limits:\n              memory: 256Mi\n'}`;
}

function service(app, ns) {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector:
    app.kubernetes.io/name: ${app}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function extras(app, ns, i) {
  const docs = [`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
`, `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${ns}
data:
  PUBLIC_URL: https://${app}.example.com
`];
  if (i % 5 === 0) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  ingressClassName: nginx
  rules:
    - host: ${app}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${app}
                port:
                  name: http
`);
  }
  return docs.join('---\n');
}

let written = 0;
for (let i = 0; written < files; i++) {
  const ns = `team-${i % 40}`;
  const app = `app-${i}`;
  const dir = join(root, ns, app);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of [['deployment.yaml', deployment(app, ns, i)], ['service.yaml', service(app, ns)], ['extras.yaml', extras(app, ns, i)]]) {
    if (written >= files) break;
    writeFileSync(join(dir, name), text);
    written++;
  }
}

const runs = [];
let report;
for (let run = 0; run < 3; run++) {
  const start = process.hrtime.bigint();
  const stdout = execFileSync(process.execPath, [bin, 'lint', root, '--format', 'json', '--fail-on', 'critical'], { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  report = JSON.parse(stdout);
}
rmSync(root, { recursive: true, force: true });
const best = Math.min(...runs);
console.log(`lint: ${files} files, ${report.summary.objects} objects, ${report.findings.length} findings`);
console.log(`lint: best of 3 ${(best / 1000).toFixed(2)} s (runs: ${runs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s), ${(files / (best / 1000)).toFixed(0)} files/s`);
