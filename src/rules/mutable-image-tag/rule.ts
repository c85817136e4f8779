import { defineRule } from '../../engine/define-rule.js';
import { parseImage } from '../support/images.js';
import { namespaceFlag, ownerName, templateContainers } from '../support/template-containers.js';

type Cause = 'stale-on-node' | 'not-reproducible';

/** Tags that are moved to new builds: latest, dev, main, nightly, *-latest, *-snapshot … */
const movingTag = /^(latest|dev|develop|development|main|master|trunk|nightly|edge|snapshot|staging|stable|prod|production|current|unstable)$|[-_.](latest|dev|snapshot|nightly)$/i;

/** Why an image reference can point at different builds over time, or undefined when it is pinned. */
export function mutableTag(image: string): string | undefined {
  const reference = parseImage(image);
  if (reference.digest) return undefined;
  if (reference.tag === undefined) return 'no tag (means :latest)';
  if (movingTag.test(reference.tag)) return `the tag :${reference.tag} is moved to every new build`;
  return undefined;
}

export default defineRule<'mutable', Cause>({
  id: 'mutable-image-tag',
  meta: {
    title: 'Mutable image tag',
    description: 'A container image uses :latest, no tag, or a moving tag such as :dev or :main-latest, so what runs depends on when and where it was pulled.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    mutable: 'container {{container}} in {{workload}} runs {{image}}: {{why}}{{policyNote}}',
  },
  runbook: {
    symptoms: 'Replicas of one Deployment run different code; a fix is "deployed" but nodes keep the old image; a rollback does not bring back the old build.',
    rootCause: 'A mutable tag names whatever was pushed last, not one build.',
    diagnosis: [
      { description: 'Compare the image digests the pods actually run', command: 'kubectl {{nsFlag}}get pods -o jsonpath=\'{range .items[*]}{.metadata.name}{"\\t"}{.status.containerStatuses[*].imageID}{"\\n"}{end}\'' },
    ],
    fix: [{ description: 'Pin {{repository}} to a version or commit-SHA tag (or a digest) in {{file}}', command: 'kubectl {{nsFlag}}set image {{workload}} {{container}}={{repository}}:<version-or-commit-sha>', mutates: true }],
    prevention: 'Tag images with the commit SHA or a release version in CI and write that tag into the manifests (kustomize `images:`, Helm `image.tag`); never deploy :latest.',
    causes: {
      'stale-on-node': {
        title: 'Mutable tag with imagePullPolicy IfNotPresent',
        rootCause: 'With imagePullPolicy {{policy}} a node that already has {{image}} never pulls it again: each node runs whichever build it pulled first, and a new push is not deployed.',
        fix: [
          { description: 'Pin {{repository}} to a version or commit-SHA tag (or a digest) in {{file}}', command: 'kubectl {{nsFlag}}set image {{workload}} {{container}}={{repository}}:<version-or-commit-sha>', mutates: true },
          { description: 'Until then, make every start pull the tag', command: 'kubectl {{nsFlag}}patch {{workload}} --type=json -p \'[{"op":"add","path":"{{pointer}}","value":"Always"}]\'', mutates: true },
        ],
      },
      'not-reproducible': {
        title: 'Mutable tag pulled on every start',
        rootCause: 'imagePullPolicy Always keeps nodes current, but a restart or rescheduling can silently run a newer build than the one tested, and a rollback cannot return to the old one.',
        fix: [{ description: 'Pin {{repository}} to a version or commit-SHA tag (or a digest) in {{file}}', command: 'kubectl {{nsFlag}}set image {{workload}} {{container}}={{repository}}:<version-or-commit-sha>', mutates: true }],
      },
    },
  },
  *detect(model) {
    for (const item of templateContainers(model, { init: true })) {
      const image = item.container.image;
      if (!image) continue;
      const why = mutableTag(image);
      if (!why) continue;
      const reference = parseImage(image);
      const tag = reference.tag ?? 'latest';
      // The API server defaults the policy to Always for :latest and untagged images, IfNotPresent otherwise.
      const policy = item.container.imagePullPolicy ?? (tag === 'latest' ? 'Always' : 'IfNotPresent');
      const explicit = item.container.imagePullPolicy !== undefined;
      const stale = policy !== 'Always';
      const repository = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
      yield {
        subject: item.owner,
        path: [...item.path, stale && explicit ? 'imagePullPolicy' : 'image'],
        messageId: 'mutable',
        cause: stale ? 'stale-on-node' : 'not-reproducible',
        severity: stale ? 'warning' : 'info',
        key: item.name,
        data: {
          container: item.name,
          workload: ownerName(item.owner),
          image,
          why,
          repository,
          policy,
          policyNote: stale ? ` and imagePullPolicy is ${policy}${explicit ? '' : ' (the default for this tag)'}, so nodes keep whatever they pulled first` : '',
          pointer: `/${[...item.path, 'imagePullPolicy'].join('/')}`,
          file: model.locate(item.owner)?.file ?? 'the manifest',
          nsFlag: namespaceFlag(item.namespace),
        },
        evidence: [`image: ${image}`, `imagePullPolicy: ${item.container.imagePullPolicy ?? `(unset, defaults to ${policy})`}`],
      };
    }
  },
});
