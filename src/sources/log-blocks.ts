import type { ContainerLog } from '../model/cluster-model.js';

const startLine = /^==== START logs for container (\S+) of pod ([^/\s]+)\/(\S+?)( \(previous\))? ====$/;
const endLine = /^==== END logs for container (\S+) of pod ([^/\s]+)\/(\S+?)( \(previous\))? ====$/;

/**
 * Extracts the container-log blocks `kubectl cluster-info dump` prints between its JSON
 * lists. Returns the logs and the text outside the blocks (the JSON). A block marked
 * `(previous)` is kubetriage's own extension for `kubectl logs --previous` output.
 */
export function splitLogBlocks(text: string): { logs: ContainerLog[]; rest: string } {
  const logs: ContainerLog[] = [];
  const rest: string[] = [];
  let current: { namespace: string; pod: string; container: string; previous: boolean; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    if (current) {
      const end = endLine.exec(line);
      if (end && end[1] === current.container && end[3] === current.pod) {
        logs.push({ namespace: current.namespace, pod: current.pod, container: current.container, previous: current.previous, text: current.lines.join('\n') });
        current = undefined;
      } else {
        current.lines.push(line);
      }
      continue;
    }
    const start = startLine.exec(line);
    if (start) {
      current = { container: start[1] ?? '', namespace: start[2] ?? '', pod: start[3] ?? '', previous: start[4] !== undefined, lines: [] };
    } else {
      rest.push(line);
    }
  }
  if (current) logs.push({ namespace: current.namespace, pod: current.pod, container: current.container, previous: current.previous, text: current.lines.join('\n') });
  return { logs, rest: rest.join('\n') };
}
