import { defineRule } from '../../engine/define-rule.js';
import type { FixStep } from '../../engine/types.js';
import { matchLog } from '../../logs/index.js';
import type { LogMatch } from '../../logs/index.js';
import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import type { Container } from '../../model/k8s.js';
import type { FieldPath } from '../../model/source-location.js';
import { kubectlName, refOf } from '../../model/object-ref.js';
import { devServerInContainer, devServerKindOfBanner, devServerPorts } from '../support/dev-server.js';
import type { DevServerKind } from '../support/dev-server.js';
import { podName } from '../support/pods.js';

interface Sighting {
  readonly container: Container;
  readonly index: number;
  readonly tool: string;
  readonly kind: DevServerKind;
  readonly path: FieldPath;
  readonly commandLine?: string;
  readonly field?: 'command' | 'args';
  readonly banner?: { readonly pod: string; readonly match: LogMatch };
}

/** The dev-server banner in the logs of a workload's pods (cluster state only). */
function bannerOf(model: ClusterModel, template: PodTemplateOwner, container: string): { pod: string; match: LogMatch } | undefined {
  if (model.source !== 'cluster') return undefined;
  for (const pod of model.podsOf(template.owner)) {
    const log = model.logOf(template.namespace, podName(pod), container, false) ?? model.crashLogOf(pod, container);
    if (log === undefined) continue;
    const match = matchLog(log).find((m) => m.signature.id === 'dev-server-banner');
    if (match) return { pod: podName(pod), match };
  }
  return undefined;
}

function sightingsIn(model: ClusterModel, template: PodTemplateOwner): Sighting[] {
  const found: Sighting[] = [];
  (template.template.spec?.containers ?? []).forEach((container, index) => {
    const base: FieldPath = [...template.path, 'spec', 'containers', index];
    const use = devServerInContainer(container);
    const banner = bannerOf(model, template, container.name ?? '');
    if (use) {
      found.push({ container, index, tool: use.tool, kind: use.kind, path: [...base, use.field], commandLine: use.commandLine, field: use.field, ...(banner ? { banner } : {}) });
    } else if (banner) {
      found.push({ container, index, tool: banner.match.detail ?? 'development server', kind: devServerKindOfBanner(banner.match.detail), path: base, banner });
    }
  });
  return found;
}

export default defineRule({
  id: 'dev-server-in-production',
  meta: {
    title: 'Development server running in the cluster',
    description: 'A container runs a development server (vite, webpack serve, next dev, ng serve, npm run dev, flask --debug, nodemon…) instead of a production build.',
    category: 'pods',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    devServer: '{{container}} in {{workload}} runs a development server ({{tool}})',
  },
  runbook: {
    symptoms: 'A frontend uses far more memory and CPU than expected and is OOM-killed; pages load slowly and unminified; the log shows a dev-server banner (`VITE v5 ready`, `Local: http://localhost:5173`); the container listens on 5173/3000/4200 while the Service expects 80.',
    rootCause: 'The container starts the framework\'s development server (file watching, hot module reload, on-the-fly compilation). It is built for a laptop, not for traffic: it holds the whole source graph in memory and recompiles on demand.',
    diagnosis: [
      { description: 'See the command the container runs', command: 'kubectl -n {{namespace}} get {{workload}} -o jsonpath=\'{.spec.template.spec.containers[{{index}}].command} {.spec.template.spec.containers[{{index}}].args}\'' },
      { description: 'Look for the dev-server banner', command: 'kubectl -n {{namespace}} logs {{workload}} -c {{container}} --tail=50' },
    ],
    fix: [{ description: 'Build for production in the image and run the production server' }],
    prevention: 'Use a multi-stage Dockerfile whose final stage only holds the build output; never override the image command with a dev script in manifests; lint manifests with `kubetriage lint` in CI.',
    causes: {
      frontend: {
        title: 'A single-page app served by its dev server',
        rootCause: '{{container}} serves the frontend with {{tool}}; a static frontend needs no Node.js server at all: build it once (`npm run build`) and serve the files with nginx.',
        fix: [
          { description: 'In the Dockerfile: build stage `RUN npm ci && npm run build`, final stage `FROM nginx:1.27-alpine` + `COPY --from=build /app/dist /usr/share/nginx/html` (port 80)' },
          { description: 'Roll out the production image, serving on port 80', command: 'kubectl -n {{namespace}} set image {{workload}} {{container}}=<registry>/<repository>:<production-tag>', mutates: true },
        ],
      },
      ssr: {
        title: 'A server-rendered app run in dev mode',
        rootCause: '{{container}} runs {{tool}}: the framework compiles pages on request and watches files. Build in the image (`npm run build`) and start the production server (`next start`, `node .output/server/index.mjs`).',
        fix: [{ description: 'Run the production server after building in the image', command: 'kubectl -n {{namespace}} patch {{workload}} --type=json -p \'[{"op":"add","path":"/spec/template/spec/containers/{{index}}/command","value":["npm","run","start"]}]\'', mutates: true }],
      },
      python: {
        title: 'A Python development server',
        rootCause: '{{container}} runs {{tool}}: a single-process server with the debugger or auto-reload on (the debugger allows code execution from the browser). Serve with gunicorn/uvicorn workers without reload.',
        fix: [{ description: 'Run a production WSGI/ASGI server, e.g. `gunicorn -w 4 -b 0.0.0.0:8000 app:app` or `uvicorn app:app --workers 4`', command: 'kubectl -n {{namespace}} edit {{workload}}', mutates: true }],
      },
      rails: {
        title: 'Rails in development mode',
        rootCause: '{{container}} runs {{tool}}: code reloading and verbose errors are on, assets compile on request.',
        fix: [{ description: 'Run in production mode with precompiled assets', command: 'kubectl -n {{namespace}} set env {{workload}} -c {{container}} RAILS_ENV=production', mutates: true }],
      },
      watcher: {
        title: 'A file watcher restarting the app',
        rootCause: '{{container}} runs the app under {{tool}}, which watches files and restarts the process; in a container the files never change and the watcher only costs memory.',
        fix: [{ description: 'Start the app directly (`node dist/server.js`)', command: 'kubectl -n {{namespace}} edit {{workload}}', mutates: true }],
      },
    },
  },
  *detect(model) {
    for (const template of model.podTemplates()) {
      for (const sighting of sightingsIn(model, template)) {
        const container = sighting.container;
        const ports = (container.ports ?? []).map((p) => p.containerPort).filter((p): p is number => p !== undefined);
        const devPorts = ports.filter((p) => devServerPorts.has(p));
        const nodeEnv = (container.env ?? []).find((e) => e.name === 'NODE_ENV' || e.name === 'FLASK_DEBUG' || e.name === 'RAILS_ENV');
        const fix: FixStep[] = [];
        const overrides = (['command', 'args'] as const).filter((field) => container[field] !== undefined);
        if (sighting.kind === 'frontend' && sighting.field && overrides.length) {
          const ops = overrides.map((field) => `{"op":"remove","path":"/spec/template/spec/containers/${String(sighting.index)}/${field}"}`).join(',');
          fix.push({
            description: `Drop the dev ${overrides.join('/')} override so the production image's own command runs`,
            command: `kubectl -n ${template.namespace} patch ${kubectlName(refOf(template.owner))} --type=json -p '[${ops}]'`,
            mutates: true,
          });
        }
        if (sighting.kind === 'frontend' && devPorts.length) {
          fix.push({ description: `After switching to nginx, the container listens on 80, not ${devPorts.join('/')}: update containerPort and the Service targetPort`, mutates: false });
        }
        yield {
          subject: template.owner,
          path: sighting.path,
          messageId: 'devServer',
          cause: sighting.kind,
          key: container.name ?? String(sighting.index),
          data: {
            container: container.name ?? '',
            workload: kubectlName(refOf(template.owner)),
            tool: sighting.tool,
            index: sighting.index,
          },
          evidence: [
            ...(sighting.commandLine ? [`command: ${sighting.commandLine}`] : []),
            ...(sighting.banner ? [`log of ${sighting.banner.pod} line ${String(sighting.banner.match.lineNumber)}: ${sighting.banner.match.line}`] : []),
            ...(container.image ? [`image: ${container.image}`] : []),
            ...(devPorts.length ? [`containerPort ${devPorts.join(', ')} (a dev-server default)`] : []),
            ...(nodeEnv?.value ? [`env ${nodeEnv.name ?? ''}=${nodeEnv.value}`] : []),
          ],
          ...(fix.length ? { fix } : {}),
        };
      }
    }
  },
});
