import { ApiError } from './api-client.js';
import type { ApiClient } from './api-client.js';
import { apiPrefix } from './discovery.js';
import type { ServedKind } from './discovery.js';

interface ListPage {
  readonly items?: unknown[];
  readonly metadata?: { readonly continue?: string };
}

/** How many times a list restarts after its continue token expired (410 Gone). */
const maxRestarts = 3;

/**
 * One paginated LIST of a kind (limit + continue). A continue token that expired mid-list
 * (410 Gone, on busy clusters or slow readers) restarts the list from the beginning: pages
 * of two different resource versions must not be mixed.
 */
export async function listKind(client: ApiClient, served: ServedKind, namespace: string | undefined, pageSize: number): Promise<Record<string, unknown>[]> {
  const path = listPath(served, namespace);
  for (let restart = 0; ; restart++) {
    const items: Record<string, unknown>[] = [];
    let token: string | undefined;
    try {
      do {
        const page = (await client.getJson(path, { limit: pageSize, continue: token })) as ListPage;
        for (const item of page.items ?? []) if (item !== null && typeof item === 'object') items.push(item as Record<string, unknown>);
        token = page.metadata?.continue || undefined;
      } while (token);
      return items;
    } catch (error) {
      if (error instanceof ApiError && error.status === 410 && token !== undefined && restart < maxRestarts) continue;
      throw error;
    }
  }
}

export function listPath(served: ServedKind, namespace: string | undefined): string {
  const scope = served.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${apiPrefix(served.groupVersion)}${scope}/${served.spec.resource}`;
}
