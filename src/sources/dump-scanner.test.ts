import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerLog } from '../model/cluster-model.js';
import { DumpScanner } from './dump-scanner.js';
import type { DumpScannerSink } from './dump-scanner.js';
import { BoundedLog } from './log-blocks.js';

interface Seen { units: unknown[]; logs: ContainerLog[] }

/** Feeds `text` to a scanner cut at the given offsets; returns what it found, in order. */
function scan(text: string, cuts: readonly number[] = []): Seen {
  const seen: Seen = { units: [], logs: [] };
  const sink: DumpScannerSink = {
    document: (value) => seen.units.push({ document: value }),
    listStart: () => undefined,
    item: (value) => seen.units.push({ item: value }),
    listEnd: (envelope, items) => seen.units.push({ listEnd: envelope, items }),
    log: (log) => seen.logs.push(log),
  };
  const scanner = new DumpScanner('input.json', sink);
  const bytes = Buffer.from(text);
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    scanner.push(bytes.subarray(from, cut));
    from = cut;
  }
  scanner.push(bytes.subarray(from));
  scanner.end();
  return seen;
}

const tricky = [
  '\uFEFF{"kind": "PodList", "apiVersion": "v1", "metadata": {"items": [1]}, "items": [',
  '  {"metadata": {"name": "a\\"}{[", "annotations": {"x": "back\\\\\\\\", "items": "[{"}}},',
  '  {"metadata": {"name": "é ü 日本"}, "spec": {"nested": [[{"deep": [{}]}]]}}',
  '], "extra": {"items": []}}',
  '==== START logs for container app of pod shop/web-1 ====',
  'line one with { and " and ==== not an end',
  '==== END logs for container other of pod shop/web-1 ====',
  '==== END logs for container app of pod shop/web-1 ====',
  '[{"kind": "Service", "metadata": {"name": "s"}}]',
  '{"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p"}}], "metadata": {}}',
  '{"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "\\\\"}}',
].join('\n');

describe('DumpScanner', () => {
  it('splits documents, list items and log blocks', () => {
    const seen = scan(tricky);
    expect(seen.units).toEqual([
      { item: { metadata: { name: 'a"}{[', annotations: { x: 'back\\\\', items: '[{' } } } },
      { item: { metadata: { name: 'é ü 日本' }, spec: { nested: [[{ deep: [{}] }]] } } },
      { listEnd: { kind: 'PodList', apiVersion: 'v1', metadata: { items: [1] }, items: [], extra: { items: [] } }, items: 2 },
      { item: { kind: 'Service', metadata: { name: 's' } } },
      { listEnd: {}, items: 1 },
      { item: { kind: 'Pod', metadata: { name: 'p' } } },
      { listEnd: { kind: 'List', items: [], metadata: {} }, items: 1 },
      { document: { kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: '\\' } } },
    ]);
    expect(seen.logs).toEqual([{ namespace: 'shop', pod: 'web-1', container: 'app', previous: false, text: 'line one with { and " and ==== not an end\n==== END logs for container other of pod shop/web-1 ====\n' }]);
  });

  it('finds the same units wherever the chunks are cut', () => {
    const whole = scan(tricky);
    const length = Buffer.byteLength(tricky);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: length - 1 }), { maxLength: 40 }), (cuts) => {
      expect(scan(tricky, cuts)).toEqual(whole);
    }), { numRuns: 300 });
  });

  it('survives a cut at every single byte', () => {
    const cuts = Array.from({ length: Buffer.byteLength(tricky) - 1 }, (_, i) => i + 1);
    expect(scan(tricky, cuts)).toEqual(scan(tricky));
  });

  it('takes pretty-printed items whole, and falls back when the indentation misleads', () => {
    const text = '{"kind": "PodList", "items": [\n  {\n    "a": {\n  },\n    "b": 1\n  },\n  {\n    "c": "\\n  }"\n  }\n], "apiVersion": "v1"}\n{"kind": "Pod", "metadata": {"name": "after"}}';
    const expected = [
      { item: { a: {}, b: 1 } },
      { item: { c: '\n  }' } },
      { listEnd: { kind: 'PodList', items: [], apiVersion: 'v1' }, items: 2 },
      { document: { kind: 'Pod', metadata: { name: 'after' } } },
    ];
    expect(scan(text).units).toEqual(expected);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 10 }), (cuts) => {
      expect(scan(text, cuts).units).toEqual(expected);
    }), { numRuns: 200 });
    expect(() => scan(`${text}\n  oops`)).toThrow('input.json:12:3: expected another JSON document');
  });

  it('names line, column and byte of the first bad character inside an item', () => {
    expect(() => scan('{"kind": "PodList", "items": [\n  {"a": 1},\n  {"b": tru}\n]}')).toThrow("input.json:3:12: expected 'true', found '}' (byte 54)");
  });
});

describe('BoundedLog', () => {
  it('keeps a short log whole', () => {
    const log = new BoundedLog(8, 16);
    log.append(Buffer.from('a\nb\n'));
    expect(log.text()).toBe('a\nb\n');
  });

  it('keeps the head and the last whole lines of a long log, saying how much is left out', () => {
    const log = new BoundedLog(6, 12);
    for (let i = 0; i < 100; i++) log.append(Buffer.from(`line ${String(i).padStart(2, '0')}\n`));
    expect(log.text()).toBe('line 0\n[… 786 bytes of log left out by kubetriage …]\nline 99\n');
  });
});
