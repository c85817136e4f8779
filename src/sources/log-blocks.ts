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

export interface LogBlockMarker {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly previous: boolean;
}

/** The container a `==== START logs for container C of pod NS/P ====` line opens, if it is one. */
export function parseLogBlockStart(line: string): LogBlockMarker | undefined {
  const start = startLine.exec(line.trimEnd());
  if (!start) return undefined;
  return { container: start[1] ?? '', namespace: start[2] ?? '', pod: start[3] ?? '', previous: start[4] !== undefined };
}

/** Whether a line closes the block `marker` opened. */
export function isLogBlockEnd(line: string, marker: LogBlockMarker): boolean {
  const end = endLine.exec(line.trimEnd());
  return end !== null && end[1] === marker.container && end[2] === marker.namespace && end[3] === marker.pod;
}

/** How much of one container's log is kept: its first lines (start-up banners) and its last (the crash). */
export const logHeadBytes = 4 * 1024;
export const logTailBytes = 60 * 1024;

/**
 * One container's log, kept bounded while it streams in: the first `logHeadBytes` and the
 * last `logTailBytes`, with a line saying how much was left out between them. A dump of
 * 150,000 pods holds a log block for every container; keeping them whole is what would
 * exhaust memory.
 */
export class BoundedLog {
  #head: Buffer[] = [];
  #headLength = 0;
  #tail: Buffer[] = [];
  #tailLength = 0;
  #dropped = 0;

  constructor(
    private readonly headLimit = logHeadBytes,
    private readonly tailLimit = logTailBytes,
  ) {}

  /** Appends bytes; they are copied, so the caller may reuse its buffer. */
  append(bytes: Buffer): void {
    let rest = bytes;
    if (this.#headLength < this.headLimit) {
      const take = Math.min(this.headLimit - this.#headLength, rest.length);
      this.#head.push(Buffer.from(rest.subarray(0, take)));
      this.#headLength += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    if (rest.length >= this.tailLimit) {
      this.#dropped += this.#tailLength + rest.length - this.tailLimit;
      this.#tail = [Buffer.from(rest.subarray(rest.length - this.tailLimit))];
      this.#tailLength = this.tailLimit;
      return;
    }
    this.#tail.push(Buffer.from(rest));
    this.#tailLength += rest.length;
    while (this.#tailLength - (this.#tail[0]?.length ?? 0) >= this.tailLimit) {
      const first = this.#tail.shift();
      this.#tailLength -= first?.length ?? 0;
      this.#dropped += first?.length ?? 0;
    }
  }

  /** The kept text; when the middle was left out, the tail starts at a whole line. */
  text(): string {
    const head = Buffer.concat(this.#head).toString('utf8');
    let tail = Buffer.concat(this.#tail);
    if (this.#tailLength > this.tailLimit) {
      this.#dropped += this.#tailLength - this.tailLimit;
      tail = tail.subarray(this.#tailLength - this.tailLimit);
    }
    if (this.#dropped === 0) return head + tail.toString('utf8');
    const newline = tail.indexOf(0x0a);
    const cut = newline >= 0 && newline < tail.length - 1 ? newline + 1 : 0;
    const omitted = this.#dropped + cut;
    return `${head}${head.endsWith('\n') ? '' : '\n'}[… ${omitted} bytes of log left out by kubetriage …]\n${tail.subarray(cut).toString('utf8')}`;
  }
}
