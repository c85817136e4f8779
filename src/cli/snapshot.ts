import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { ContainerLog } from '../model/cluster-model.js';
import { logBlockEnd, logBlockStart } from '../sources/bundle-format.js';
import type { BundleHeader } from '../sources/bundle-format.js';
import type { SourceResult } from '../sources/source-result.js';

/**
 * The bundle `kubetriage snapshot` writes, gzip-compressed: the header document, then one
 * `List` of every object (secret values already fingerprints), then the logs as the blocks
 * `kubectl cluster-info dump` prints. Written as a stream: the objects of a large cluster
 * are never joined into one string.
 */
export function bundleChunks(header: BundleHeader, state: SourceResult): Iterable<string> {
  return (function* () {
    yield `${JSON.stringify(header)}\n`;
    yield '{"kind":"List","apiVersion":"v1","metadata":{},"items":[\n';
    let first = true;
    for (const object of state.objects) {
      yield `${first ? '' : ',\n'}${JSON.stringify(object)}`;
      first = false;
    }
    yield '\n]}\n';
    for (const log of state.logs) yield logBlock(log);
  })();
}

export async function writeBundle(file: string, header: BundleHeader, state: SourceResult): Promise<void> {
  await pipeline(Readable.from(bundleChunks(header, state)), createGzip(), createWriteStream(file));
}

function logBlock(log: ContainerLog): string {
  const text = log.text === '' ? '' : `${log.text}\n`;
  return `${logBlockStart(log.namespace, log.pod, log.container, log.previous)}\n${text}${logBlockEnd(log.namespace, log.pod, log.container, log.previous)}\n`;
}
