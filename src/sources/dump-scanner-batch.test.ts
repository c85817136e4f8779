import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../errors.js';
import { DumpScanner } from './dump-scanner.js';
import type { DumpScannerSink, TextOrigin } from './dump-scanner.js';
import { Redactor } from './redact.js';
import { SnapshotCollector } from './snapshot-collector.js';

// The batch fast path for pretty-printed lists (several items parsed by one JSON.parse)
// against what it must equal: JSON.parse of the whole input, and the positions and error
// messages of the item-by-item byte walk.

interface Seen {
  items: unknown[];
  /** Where each item starts, as the scanner says (read for every item here; only errors read it in use). */
  origins: TextOrigin[];
  envelopes: unknown[];
  documents: { value: unknown; at: TextOrigin }[];
  logs: string[];
}

/** Feeds `text` in chunks of the given sizes (cycled); returns what the scanner found. */
function scan(text: string, sizes: readonly number[] = [Number.MAX_SAFE_INTEGER]): Seen {
  const seen: Seen = { items: [], origins: [], envelopes: [], documents: [], logs: [] };
  const sink: DumpScannerSink = {
    document: (value, at) => seen.documents.push({ value, at }),
    listStart: () => undefined,
    item: (value, at) => {
      seen.items.push(value);
      seen.origins.push(at());
    },
    listEnd: (envelope) => seen.envelopes.push(envelope),
    log: (log) => seen.logs.push(log.text),
  };
  const scanner = new DumpScanner('input.json', sink);
  const bytes = Buffer.from(text);
  for (let from = 0, k = 0; from < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length] ?? 1);
    scanner.push(bytes.subarray(from, from + size));
    from += size;
  }
  scanner.end();
  return seen;
}

/** The message of what `run` throws ('' if nothing). */
function thrown(run: () => unknown): string {
  try {
    run();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Where index `index` of `text` is: byte, line and column (columns count bytes). */
function originAt(text: string, index: number): TextOrigin {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { byte: Buffer.byteLength(before), line: before.split('\n').length, column: Buffer.byteLength(before.slice(lineStart)) + 1 };
}

/** How one element is laid out: the whitespace before it, JSON.stringify's indent, and the prefix of its further lines. */
interface Layout { lead: string; indent: number | string; prefix: string }

/** kubectl get -o json: 4-space indent, items at 8 spaces. */
const kubectl: Layout = { lead: '\n        ', indent: 4, prefix: '        ' };
const compact: Layout = { lead: '', indent: 0, prefix: '' };

interface Built { text: string; starts: number[] }

/**
 * A list with its elements laid out one by one (`elements` are JSON texts, one line or
 * pretty), and where each element starts (string index). The envelope is pretty unless
 * every element is compact; a document follows it on the next line.
 */
function buildList(elements: readonly { json: string; layout: Layout }[], tail: Record<string, unknown>): Built {
  const pretty = elements.length === 0 || elements.some((e) => e.layout.indent !== 0);
  let text = pretty ? '{\n    "apiVersion": "v1",\n    "items": [' : '{"apiVersion":"v1","items":[';
  const starts: number[] = [];
  elements.forEach((element, k) => {
    if (k > 0) text += ',';
    text += element.layout.lead;
    starts.push(text.length);
    text += element.json.replaceAll('\n', `\n${element.layout.prefix}`);
  });
  const keys = Object.keys(tail).length > 0;
  if (pretty) text += keys ? `\n    ],${JSON.stringify(tail, null, 4).slice(1)}\n` : '\n    ]\n}\n';
  else text += keys ? `],${JSON.stringify(tail).slice(1)}\n` : ']}\n';
  return { text: `${text}{"kind": "Pod", "metadata": {"name": "after"}}\n`, starts };
}

const piece = fc.constantFrom('"', '\\', '\\\\', '\\"', '}', '{', ']', '[', ',', '\n', '\n        }', '\n        },\n        {', '\t', 'é', 'ü', '日本', '😀', '\u2028', ' ', 'a', 'items', 'null');
const tricky = fc.oneof(
  fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 400 }),
);
const item = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constantFrom('Pod', 'Service', 'ConfigMap'),
  metadata: fc.record({ name: tricky, annotations: fc.dictionary(tricky, tricky, { maxKeys: 4 }) }),
  spec: fc.jsonValue({ maxDepth: 3 }),
  data: fc.dictionary(fc.string({ maxLength: 8 }), tricky, { maxKeys: 6 }),
});
/** The envelope after the items; nested objects put lines of 8 spaces and `}` after the items' end. */
const tail = fc.oneof(
  fc.constant({ kind: 'List', metadata: { resourceVersion: '' } }),
  fc.constant({ kind: 'List', metadata: { annotations: { a: { b: {} } }, labels: { x: '}' } } }),
  fc.constant({}),
);
const chunkSizes = (length: number): fc.Arbitrary<number[]> => fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: length + 16 })), { minLength: 1, maxLength: 8 });

/** Scans `built` in the given chunks and checks it against JSON.parse of the whole and the built positions. */
function expectSameAsWhole(built: Built, sizes: readonly number[]): void {
  const whole = JSON.parse(built.text.slice(0, built.text.lastIndexOf('{"kind": "Pod"'))) as { items: unknown[] };
  const seen = scan(built.text, sizes);
  expect(seen.items).toEqual(whole.items);
  expect(seen.envelopes).toEqual([{ ...whole, items: [] }]);
  expect(seen.origins).toEqual(built.starts.map((start) => originAt(built.text, start)));
  // Line counting went on right through the batches: the next document's position.
  expect(seen.documents).toEqual([{ value: { kind: 'Pod', metadata: { name: 'after' } }, at: originAt(built.text, built.text.lastIndexOf('{"kind": "Pod"')) }]);
}

describe('DumpScanner, batches of pretty-printed items', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads a kubectl List the same as JSON.parse of the whole, however the chunks are cut', () => {
    const input = fc.tuple(fc.array(item, { maxLength: 12 }), tail).chain(([items, envelopeTail]) => {
      const built = buildList(items.map((value) => ({ json: JSON.stringify(value, null, 4), layout: kubectl })), envelopeTail);
      return fc.tuple(fc.constant(built), chunkSizes(Buffer.byteLength(built.text)));
    });
    fc.assert(fc.property(input, ([built, sizes]) => {
      expectSameAsWhole(built, sizes);
    }), { numRuns: 300 });
  });

  it('reads compact and mixed-indentation lists the same as JSON.parse of the whole', () => {
    const layout = fc.oneof(
      fc.constant(kubectl),
      fc.constant(compact),
      fc.constantFrom(' ', '\n', '\n  ', '\n\t', '\n    ').map((lead): Layout => ({ lead, indent: 0, prefix: '' })),
      fc.record({ lead: fc.constantFrom('\n  ', '\n        ', '\n\t', ' \n  '), indent: fc.constantFrom(1, 2, 3, 4, 8, '\t'), prefix: fc.constantFrom('', '  ', '        ', '\t') }),
    );
    const input = fc.tuple(fc.array(fc.tuple(item, layout), { maxLength: 10 }), tail).chain(([elements, envelopeTail]) => {
      const built = buildList(elements.map(([value, how]) => ({ json: JSON.stringify(value, null, how.indent), layout: how })), envelopeTail);
      return fc.tuple(fc.constant(built), chunkSizes(Buffer.byteLength(built.text)));
    });
    fc.assert(fc.property(input, ([built, sizes]) => {
      expectSameAsWhole(built, sizes);
    }), { numRuns: 300 });
  });

  it('reads a list of several MiB, with items larger than a batch, the same as JSON.parse of the whole', () => {
    // Batches stop at 120 KiB of items, unless one item is longer: sizes around and past both.
    const sizes = [300, 5_000, 40_000, 130_000, 260_000];
    const items = Array.from({ length: 120 }, (_, k) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${k}`, annotations: { note: `é "}\n        }" \\ ${k}` } },
      data: { blob: 'x'.repeat(sizes[(k * 7) % sizes.length] ?? 0), nested: { list: [{ a: k }, { b: '}' }] } },
    }));
    const built = buildList(items.map((value) => ({ json: JSON.stringify(value, null, 4), layout: kubectl })), { kind: 'List', metadata: { resourceVersion: '' } });
    const length = Buffer.byteLength(built.text);
    expect(length).toBeGreaterThan(8 * 1024 * 1024);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: length }), { minLength: 1, maxLength: 4 }), (chunks) => {
      expectSameAsWhole(built, chunks);
    }), { numRuns: 6, examples: [[[length]], [[1024 * 1024]], [[64 * 1024]], [[4096, 1024 * 1024 + 17]]] });
  });

  it('parses the items of one chunk with one JSON.parse', () => {
    const items = Array.from({ length: 50 }, (_, k) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${k}`, labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } }));
    const built = buildList(items.map((value) => ({ json: JSON.stringify(value, null, 4), layout: kubectl })), { kind: 'List', metadata: { resourceVersion: '' } });
    const parse = vi.spyOn(JSON, 'parse');
    expect(scan(built.text).items).toEqual(items);
    // The batch of 50 items, the list's head and its envelope, the document after it.
    expect(parse.mock.calls.length).toBe(4);
  });
});

describe('DumpScanner, an error inside a batch', () => {
  const pods = (count: number): string[] => Array.from({ length: count }, (_, k) => JSON.stringify({ kind: 'Pod', metadata: { name: `p${k}`, annotations: { note: 'a "}" and\n        } and é' } }, status: { ready: true } }, null, 4));
  const input = fc.record({ count: fc.integer({ min: 1, max: 12 }), bad: fc.nat(), big: fc.integer({ min: 1, max: 4096 }) });

  it('names the element k that is not an object where the item-by-item walk does', () => {
    fc.assert(fc.property(input, fc.constantFrom('42', '"pod"', '[\n    1\n]', 'null', 'true'), ({ count, bad, big }, element) => {
      const k = bad % count;
      const jsons = pods(count);
      jsons[k] = element;
      const built = buildList(jsons.map((json) => ({ json, layout: kubectl })), { kind: 'List' });
      const at = originAt(built.text, built.starts[k] ?? 0);
      const what = { '42': 'a number', '"pod"': 'a string', '[\n    1\n]': 'an array', null: 'null', true: 'a boolean' }[element];
      const expected = `input.json:${at.line}:${at.column}: expected every element of the list's "items" to be a Kubernetes object (a JSON object with "kind"), found ${what} as element ${k + 1} (byte ${at.byte})`;
      expect(thrown(() => scan(built.text))).toBe(expected);
      expect(thrown(() => scan(built.text, [big]))).toBe(expected);
      expect(thrown(() => scan(built.text, [1]))).toBe(expected);
    }), { numRuns: 100 });
  });

  it('names the line, column and byte of a bad token in item k, as the item-by-item walk does', () => {
    fc.assert(fc.property(input, fc.constantFrom(['true', 'tru'], ['"ready"', '"ready'], ['"p', 'p'], ['}\n    },', '}\n    }']), ({ count, bad, big }, [good, broken]) => {
      const k = bad % count;
      const jsons = pods(count);
      jsons[k] = (jsons[k] ?? '').replace(good, broken);
      const text = buildList(jsons.map((json) => ({ json, layout: kubectl })), { kind: 'List' }).text;
      const walked = thrown(() => scan(text, [1]));
      expect(walked).toMatch(/^input\.json:\d+:\d+: .* \(byte \d+\)$/);
      expect(thrown(() => scan(text))).toBe(walked);
      expect(thrown(() => scan(text, [big]))).toBe(walked);
    }), { numRuns: 100 });
    const jsons = pods(3);
    jsons[1] = (jsons[1] ?? '').replace('true', 'tru');
    // Item 2 spans lines 16-27; its status.ready is `tru` at 25:26-28 (16 spaces and `"ready": `), the newline after it
    // at column 29, byte 610 (string index 608: the two é before it take two bytes each).
    const text = buildList(jsons.map((json) => ({ json, layout: kubectl })), { kind: 'List' }).text;
    expect(thrown(() => scan(text))).toBe("input.json:25:29: expected 'true', found a control or binary byte (0x0a) (byte 610)");
  });

  it('places an error the collector finds in item k of a batch (a nested list) at that item', () => {
    fc.assert(fc.property(input, ({ count, bad, big }) => {
      const k = bad % count;
      const jsons = pods(count);
      jsons[k] = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items: [{ kind: 'Pod' }, 7] }, null, 4);
      const built = buildList(jsons.map((json) => ({ json, layout: kubectl })), { kind: 'List' });
      const at = originAt(built.text, built.starts[k] ?? 0);
      for (const sizes of [[Number.MAX_SAFE_INTEGER], [big], [1]]) {
        const collector = new SnapshotCollector(new Redactor(Buffer.alloc(32)));
        collector.beginInput('input.json');
        const scanner = new DumpScanner('input.json', collector);
        const bytes = Buffer.from(built.text);
        let error: unknown;
        try {
          for (let from = 0, c = 0; from < bytes.length; c++) {
            const size = sizes[c % sizes.length] ?? 1;
            scanner.push(bytes.subarray(from, from + size));
            from += size;
          }
          scanner.end();
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).position).toEqual({ file: 'input.json', ...at });
        expect((error as InputError).message).toBe(`input.json:${at.line}:${at.column}: expected every item of the PodList to be an object, found a number`);
        expect(collector.abandonDocument()).toBe(k);
      }
    }), { numRuns: 60 });
  });
});
