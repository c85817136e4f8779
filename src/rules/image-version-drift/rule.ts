import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject } from '../../model/k8s.js';
import { displayName, refOf } from '../../model/object-ref.js';
import type { RepoPackage, RepoVersions } from '../../sources/repo-versions.js';
import { groupBy } from '../../model/collections.js';
import { environmentStem } from '../support/environments.js';
import { parseImage } from '../support/images.js';
import { compareVersions, versionParts } from '../support/versions.js';

const deployedKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob']);

interface DeployedContainer {
  readonly owner: KubeObject;
  readonly namespace: string;
  readonly container: string;
  readonly image: string;
  /** `registry/repository` as people write it in `set image`. */
  readonly repository: string;
  readonly tag: string;
}

/** Orders containers by namespace, kind, workload name and container name. */
function byPlace(a: DeployedContainer, b: DeployedContainer): number {
  const key = (c: DeployedContainer): string[] => [c.namespace, c.owner.kind ?? '', c.owner.metadata?.name ?? '', c.container];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    const [x, y] = [ka[i] ?? '', kb[i] ?? ''];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function deployedContainers(model: ClusterModel): DeployedContainer[] {
  return model.podTemplates().flatMap((owner) => {
    if (!deployedKinds.has(owner.owner.kind ?? '')) return [];
    return (owner.template.spec?.containers ?? []).flatMap((container) => {
      const image = container.image ?? '';
      const ref = parseImage(image);
      if (!ref.tag || ref.tag === 'latest') return []; // mutable tags say nothing about versions
      const repository = image.slice(0, image.length - ref.tag.length - 1).replace(/@.*$/, '');
      return [{ owner: owner.owner, namespace: owner.namespace, container: container.name ?? '', image, repository, tag: ref.tag }];
    });
  });
}

/** A commit SHA inside a tag: `3f9c2e1`, `sha-3f9c2e1`, `1.7.3-3f9c2e1`, `main-3f9c2e1d`. */
export function commitInTag(tag: string): string | undefined {
  const match = /(?:^|[-_.])(?:sha-|g)?([0-9a-f]{7,40})$/.exec(tag);
  const hex = match?.[1];
  // all-digit strings are build numbers or dates, not SHAs
  return hex && /[a-f]/.test(hex) ? hex : undefined;
}

/** The version part of a tag: `v1.7.3` → `1.7.3`, `1.7.3-3f9c2e1` → `1.7.3`. */
function versionInTag(tag: string): string | undefined {
  const match = /^v?(\d+(?:\.\d+){1,3})(?:[-+].*)?$/.exec(tag);
  return match?.[1];
}

const sameWorkload = (a: DeployedContainer, b: DeployedContainer): boolean =>
  a.owner.kind === b.owner.kind && a.owner.metadata?.name === b.owner.metadata?.name;

const normalize = (name: string): string => name.toLowerCase().replace(/^@[^/]+\//, '').replace(/[_.]/g, '-');

/** The package of the repository an image is built from: by directory or package name, then the repository's own name. */
export function packageForImage(repo: RepoVersions, imageRepository: string): RepoPackage | undefined {
  const last = normalize(imageRepository.split('/').at(-1) ?? '');
  const names = (pkg: RepoPackage): string[] => {
    const dir = pkg.directory === '' ? repo.name : pkg.directory.split(/[\\/]/).at(-1) ?? '';
    const ids = [dir, ...(pkg.name ? [pkg.name] : [])].map(normalize);
    return [...ids, ...ids.map((id) => `${normalize(repo.name)}-${id}`)];
  };
  const matches = repo.packages.filter((pkg) => names(pkg).includes(last));
  return matches.find((pkg) => pkg.directory !== '') ?? matches[0];
}

export default defineRule({
  id: 'image-version-drift',
  meta: {
    title: 'Deployed image version differs from the source',
    description: 'With --repo, a deployed image tag does not match the version in the repository\'s package.json/pyproject.toml or its HEAD commit; without it, environments of one application (shop, shop-staging) run different versions of the same image.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster'],
  },
  messages: {
    version: '{{kubectlName}} runs {{image}} but {{file}} declares version {{expected}}',
    commit: '{{kubectlName}} runs {{image}}, built from commit {{commit}}; the repository is at {{headShort}}',
    environment: '{{kubectlName}} in {{namespace}} runs {{image}} while {{other}} runs {{newerTag}}',
  },
  runbook: {
    symptoms: 'A fix that is merged does not show in the cluster; behaviour differs between environments; "works on staging" but not in production.',
    rootCause: 'What runs is not what the source says should run.',
    diagnosis: [
      { description: 'Images per workload', command: 'kubectl -n {{namespace}} get {{kubectlName}} -o jsonpath=\'{range .spec.template.spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}\'' },
      { description: 'Tags that exist for the repository', command: 'crane ls {{repository}}' },
    ],
    fix: [{ description: 'Deploy the intended version', command: 'kubectl -n {{namespace}} set image {{kubectlName}} {{container}}={{repository}}:{{expectedTag}}', mutates: true }],
    prevention: 'Let CI build the image from the tagged commit and write the tag into the manifests (or Helm values) in the same change; tag images with the version and the commit SHA; promote the same image digest from staging to production instead of rebuilding.',
    causes: {
      'version-mismatch': {
        title: 'Tag differs from the declared version',
        rootCause: 'The image tag {{tag}} is not the version {{expected}} that {{file}} declares: the {{direction}}.',
        fix: [
          { description: 'Check that the image for the declared version was pushed', command: 'crane ls {{repository}} | grep -x {{expectedTag}}' },
          { description: 'Deploy it', command: 'kubectl -n {{namespace}} set image {{kubectlName}} {{container}}={{repository}}:{{expectedTag}}', mutates: true },
        ],
      },
      'behind-head': {
        title: 'Image built from another commit than HEAD',
        rootCause: 'The tag names commit {{commit}}, but the repository at {{root}} is at {{headShort}}: the image was built from older (or other-branch) code, or the newest build was never deployed.',
        fix: [
          { description: 'See what changed since the deployed commit', command: 'git -C {{root}} log --oneline {{commit}}..HEAD' },
          { description: 'Deploy the image of HEAD (once CI has pushed it)', command: 'kubectl -n {{namespace}} set image {{kubectlName}} {{container}}={{repository}}:{{expectedTag}}', mutates: true },
        ],
      },
      'environment-drift': {
        title: 'Environments run different versions',
        rootCause: 'The same image runs as {{tag}} here and as {{newerTag}} in {{other}}: the environments drifted apart, so what was tested is not what runs (or the other way round).',
        fix: [
          { description: 'Compare the environments', command: 'kubectl get {{kindLower}} -A -o wide | grep {{repository}}' },
          { description: 'Promote the newer version here if the difference is not intended', command: 'kubectl -n {{namespace}} set image {{kubectlName}} {{container}}={{repository}}:{{newerTag}}', mutates: true },
        ],
      },
    },
  },
  *detect(model, context) {
    const deployed = deployedContainers(model);
    const repo = context.options.repoVersions as RepoVersions | undefined;
    if (repo) {
      for (const item of deployed) {
        const pkg = packageForImage(repo, item.repository);
        if (!pkg) continue;
        const base = { container: item.container, image: item.image, repository: item.repository, tag: item.tag, root: repo.root, file: pkg.file };
        const commit = commitInTag(item.tag);
        const head = repo.head;
        if (commit && head) {
          if (head.commit.startsWith(commit)) continue;
          const prefix = item.tag.slice(0, item.tag.length - commit.length);
          yield {
            subject: item.owner, messageId: 'commit', cause: 'behind-head', key: `behind-head:${item.container}`, path: ['spec'],
            data: { ...base, commit, headShort: head.commit.slice(0, commit.length), expectedTag: `${prefix}${head.commit.slice(0, commit.length)}` },
            evidence: [`container ${item.container}: image ${item.image}`, `tag names commit ${commit}`, `git HEAD of ${repo.root}: ${head.commit}${head.dirty ? ' (working tree has uncommitted changes)' : ''}`],
          };
          continue;
        }
        const version = versionInTag(item.tag);
        if (!version || version === pkg.version || head?.tags.some((t) => t === item.tag || t === `v${version}`)) continue;
        const order = compareVersions(version, pkg.version);
        if (order === undefined) continue;
        const expectedTag = item.tag.startsWith('v') ? `v${pkg.version}` : pkg.version;
        yield {
          subject: item.owner, messageId: 'version', cause: 'version-mismatch', key: `version:${item.container}`,
          data: {
            ...base, expected: pkg.version, expectedTag,
            direction: order < 0 ? 'repository moved on and the cluster still runs an older release' : 'cluster runs a newer release than this checkout (the checkout is behind, or the image came from another branch)',
          },
          evidence: [
            `container ${item.container}: image ${item.image}`,
            `${pkg.file}: ${pkg.name ? `name ${pkg.name}, ` : ''}version ${pkg.version}`,
            ...(head ? [`git HEAD ${head.commit.slice(0, 12)}${head.tags.length ? ` tagged ${head.tags.join(', ')}` : ''}${head.dirty ? ', uncommitted changes' : ''}`] : []),
          ],
        };
      }
    }

    // Environments of one application running different versions of the same image.
    // By repository, then by application (the namespace without its environment words):
    // only those can be environments of one another, so no bucket is compared with the whole cluster.
    const byApplication = groupBy(deployed, (item) => `${item.repository}\u0000${environmentStem(item.namespace)}`);
    for (const items of byApplication.values()) {
      // Other namespaces of the same application (sameApplicationNamespaces, with the stems known equal).
      const peersOf = (item: DeployedContainer): DeployedContainer[] => items.filter((other) => other.namespace !== item.namespace);
      if (items.every((other) => other.namespace === items[0]?.namespace)) continue;
      for (const item of items) {
        const repository = item.repository;
        const newer = peersOf(item)
          .filter((other) => (compareVersions(other.tag, item.tag) ?? 0) > 0)
          .sort((a, b) => Number(sameWorkload(b, item)) - Number(sameWorkload(a, item)) || (compareVersions(b.tag, a.tag) ?? 0))[0];
        if (!newer || !versionParts(item.tag)) continue;
        yield {
          subject: item.owner, messageId: 'environment', cause: 'environment-drift', key: `environment:${item.container}`,
          data: { kindLower: (item.owner.kind ?? '').toLowerCase(), container: item.container, image: item.image, repository, tag: item.tag, newerTag: newer.tag, other: displayName(refOf(newer.owner)), expectedTag: newer.tag },
          // By namespace, kind and name: the order objects were listed in (snapshot files, live API kinds) must not show.
          evidence: [item, ...peersOf(item)]
            .sort(byPlace)
            .map((other) => `${displayName(refOf(other.owner))} container ${other.container}: ${other.image}`),
        };
      }
    }
  },
});
