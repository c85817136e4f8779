/** An image reference split the way registries see it. */
export interface ImageReference {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses `nginx`, `ghcr.io/org/app:1.2`, `repo@sha256:…`; Docker Hub is `docker.io`. */
export function parseImage(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  const firstSlash = rest.indexOf('/');
  const first = firstSlash >= 0 ? rest.slice(0, firstSlash) : '';
  const hasRegistry = firstSlash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? rest.slice(firstSlash + 1) : rest;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

export type RegistryKind = 'acr' | 'ecr' | 'gcr' | 'ghcr' | 'dockerhub' | 'other';

export function registryKind(registry: string): RegistryKind {
  if (registry.endsWith('.azurecr.io')) return 'acr';
  if (/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(registry)) return 'ecr';
  if (registry === 'gcr.io' || registry.endsWith('.gcr.io') || registry.endsWith('-docker.pkg.dev')) return 'gcr';
  if (registry === 'ghcr.io') return 'ghcr';
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') return 'dockerhub';
  return 'other';
}
