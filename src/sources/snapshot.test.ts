import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clusterInfoStream, concatenatedLists, gzip, kindAfterItems, readDumpTree, singleList } from '../../test/support/dump-forms.js';
import { createBundleHeader } from './bundle-format.js';
import { Redactor } from './redact.js';
import { readSnapshot } from './snapshot.js';
import type { SourceResult } from './source-result.js';

const demo = fileURLToPath(new URL('../../demo/shop-cluster', import.meta.url));
const fixedKey = Buffer.alloc(32, 7);

/** Objects and logs in a stable order: forms differ in the order they list them. */
function canonical(result: SourceResult): { objects: string[]; logs: string[] } {
  return {
    objects: result.objects.map((o) => JSON.stringify(o)).sort(),
    logs: result.logs.map((l) => JSON.stringify(l)).sort(),
  };
}

describe('readSnapshot', () => {
  const tree = readDumpTree(demo);

  it('reads the same objects and logs from every form of the demo', async () => {
    const reference = canonical(await readSnapshot(demo, new Redactor(fixedKey)));
    expect(reference.objects.length).toBe(tree.lists.reduce((n, l) => n + l.list.items.length, 0));
    expect(reference.logs.length).toBe(8);
    const dir = mkdtempSync(join(tmpdir(), 'kubetriage-snapshot-'));
    for (const [name, text] of Object.entries({ stream: clusterInfoStream(tree), concatenated: concatenatedLists(tree), late: kindAfterItems(tree), single: singleList(tree) })) {
      writeFileSync(join(dir, `${name}.json`), text);
      const fromFile = canonical(await readSnapshot(join(dir, `${name}.json`), new Redactor(fixedKey)));
      // kubectl get adds the kind to each item; the typed lists leave it to the list.
      expect(fromFile.objects.length, name).toBe(reference.objects.length);
      expect(fromFile.logs, name).toEqual(reference.logs);
      const fromStdin = canonical(await readSnapshot('-', new Redactor(fixedKey), Readable.from([gzip(text)])));
      expect(fromStdin, name).toEqual(fromFile);
    }
    expect(canonical(await readSnapshot(join(dir, 'stream.json'), new Redactor(fixedKey))).objects).toEqual(reference.objects);
    expect(canonical(await readSnapshot(join(dir, 'late.json'), new Redactor(fixedKey))).objects).toEqual(reference.objects);
  });

  it('feeds stdin that arrives a few bytes at a time', async () => {
    const text = clusterInfoStream(tree);
    const bytes = Buffer.from(text);
    const pieces: Buffer[] = [];
    for (let i = 0, size = 1; i < bytes.length; i += size, size = (size * 7) % 13 + 1) pieces.push(bytes.subarray(i, i + size));
    const slow = canonical(await readSnapshot('-', new Redactor(fixedKey), Readable.from(pieces)));
    expect(slow).toEqual(canonical(await readSnapshot(demo, new Redactor(fixedKey))));
  });

  it('surfaces a bundle header: capturedAt and notes', async () => {
    const header = createBundleHeader(new Date('2026-11-23T09:30:00Z'), 'context prod', ['logs skipped for 3 pods']);
    const result = await readSnapshot('-', new Redactor(), Readable.from([gzip(`${JSON.stringify(header)}\n{"kind":"List","apiVersion":"v1","items":[]}`)]));
    expect(result.capturedAt?.toISOString()).toBe('2026-11-23T09:30:00.000Z');
    expect(result.notes).toEqual(['logs skipped for 3 pods']);
  });

  it('keeps the other documents when one of several is broken, and says so', async () => {
    const text = '{"kind":"List","items":[{"kind":"Pod","metadata":{"name":"a","namespace":"x"}}]}\n{"kind":"PodList","items":[{"metadata":{"name":"b"}},{"metadata":{"name":"c" oops}}]}\n';
    const result = await readSnapshot('-', new Redactor(), Readable.from([Buffer.from(text)]));
    expect(result.objects.map((o) => o.metadata?.name)).toEqual(['a']);
    expect(result.notes).toEqual([`partial result: <stdin>:2:78: expected ',' or '}' after a property value, found 'o' (byte 158); dropped the 1 object already read from this document; the rest was read`]);
  });

  it('keeps unknown kinds', async () => {
    const result = await readSnapshot('-', new Redactor(), Readable.from([Buffer.from('{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":3}}')]));
    expect(result.objects).toEqual([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } }]);
  });
});
