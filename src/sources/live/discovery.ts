import { ClusterError } from '../../errors.js';
import { ApiError } from './api-client.js';
import type { ApiClient } from './api-client.js';
import type { KindSpec } from './kinds.js';
import { mapLimit } from './map-limit.js';

/** A kind as this server serves it: the group/version to list and whether it is namespaced. */
export interface ServedKind {
  readonly spec: KindSpec;
  readonly groupVersion: string;
  readonly namespaced: boolean;
}

interface ApiResourceList {
  readonly resources?: readonly { readonly name?: string; readonly namespaced?: boolean; readonly verbs?: readonly string[] }[];
}
interface ApiGroupList {
  readonly groups?: readonly { readonly versions?: readonly { readonly groupVersion?: string }[] }[];
}

/**
 * Asks the server which group/versions it serves (clusters run several versions apart:
 * v1.20 has PDBs only in policy/v1beta1) and picks, per kind, the newest one that serves
 * the resource. Optional kinds the server lacks are dropped quietly; required ones get a note.
 */
export async function discoverKinds(client: ApiClient, specs: readonly KindSpec[], concurrency: number): Promise<{ served: ServedKind[]; notes: string[] }> {
  let groups: ApiGroupList;
  try {
    await client.getJson('/api');
    groups = (await client.getJson('/apis')) as ApiGroupList;
  } catch (error) {
    throw unreachable(client, error);
  }
  const servedVersions = new Set(['v1']);
  for (const group of groups.groups ?? []) for (const version of group.versions ?? []) if (version.groupVersion) servedVersions.add(version.groupVersion);

  const wanted = [...new Set(specs.flatMap((spec) => spec.groupVersions.filter((gv) => servedVersions.has(gv))))];
  const notes: string[] = [];
  const resourceLists = new Map<string, ApiResourceList>();
  await mapLimit(wanted, concurrency, async (groupVersion) => {
    try {
      resourceLists.set(groupVersion, (await client.getJson(apiPrefix(groupVersion))) as ApiResourceList);
    } catch (error) {
      // Aggregated APIs (metrics-server, custom API servers) answer 503 while their backend is down.
      if (!(error instanceof ApiError)) throw error;
      if (groupVersion === 'v1') throw unreachable(client, error);
    }
  });

  const served: ServedKind[] = [];
  for (const spec of specs) {
    let found: ServedKind | undefined;
    for (const groupVersion of spec.groupVersions) {
      const resource = resourceLists.get(groupVersion)?.resources?.find((r) => r.name === spec.resource);
      if (resource && (resource.verbs ?? ['list']).includes('list')) {
        found = { spec, groupVersion, namespaced: resource.namespaced === true };
        break;
      }
    }
    if (found) served.push(found);
    else if (!spec.optional) notes.push(`${spec.kind}: not served by this API server (tried ${spec.groupVersions.join(', ')}), so the scan cannot see ${spec.hides}`);
  }
  return { served, notes };
}

export function apiPrefix(groupVersion: string): string {
  return groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
}

/** The error for a cluster that cannot be read at all (exit code 2, no report). */
export function unreachable(client: ApiClient, error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 401) return new ClusterError(`the API server at ${client.server} (context ${client.contextName}) rejected the credentials: ${error.describe()}`);
  return new ClusterError(`cannot read the API server at ${client.server} (context ${client.contextName}): ${error.describe()}`);
}
