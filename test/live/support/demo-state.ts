import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { demoPath } from '../../../src/cli/main.js';
import { splitLogBlocks } from '../../../src/sources/log-blocks.js';
import { objectsFromDocument } from '../../../src/sources/normalize.js';

export interface ClusterState {
  readonly objects: Record<string, unknown>[];
  /** `namespace/pod/container/previous` → text, as the fake server's /log answers. */
  readonly logs: Map<string, string>;
}

/**
 * The bundled demo cluster as raw API objects (secret data still base64, as the API sends
 * it) and its container logs, served as the previous instances' logs of the crash-looping
 * containers and as the current logs of the running ones: what a live cluster in that
 * state would answer.
 */
export function demoState(): ClusterState {
  const objects: Record<string, unknown>[] = [];
  const logs = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.json')) objects.push(...(objectsFromDocument(JSON.parse(readFileSync(path, 'utf8')), { file: path }) as Record<string, unknown>[]));
      else if (entry === 'logs.txt') {
        for (const log of splitLogBlocks(readFileSync(path, 'utf8')).logs) {
          logs.set(`${log.namespace}/${log.pod}/${log.container}/previous`, log.text);
          // A running container (a catalog pod failing its readiness probe) answers its current log too.
          logs.set(`${log.namespace}/${log.pod}/${log.container}`, log.text);
        }
      }
    }
  };
  walk(demoPath);
  return { objects, logs };
}
