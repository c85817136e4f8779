import { InputError } from '../errors.js';
import type { InputPosition } from '../errors.js';
import type { ContainerLog } from '../model/cluster-model.js';
import { describeCharAt, findJsonSyntaxError } from './json-syntax.js';
import { BoundedLog, isLogBlockEnd, parseLogBlockStart } from './log-blocks.js';
import type { LogBlockMarker } from './log-blocks.js';

/**
 * What the scanner hands on: parsed JSON values with where they start. An item's position
 * is a function: only error paths read it, and for items parsed in a batch it is found on
 * demand.
 */
export interface DumpScannerSink {
  /** A whole top-level document that is not a list (a single object, a bundle header). */
  document(value: unknown, at: TextOrigin): void;
  /** A list's envelope is known early (kind before items): a hint for the items that follow. */
  listStart(head: Record<string, unknown> | undefined): void;
  /** One element of a list's `items` (or of a top-level array), parsed; `at()` says where it starts. */
  item(value: unknown, at: () => TextOrigin): void;
  /** The list is complete: its envelope (everything but the items) and how many items it had. */
  listEnd(envelope: Record<string, unknown>, items: number, at: TextOrigin): void;
  log(log: ContainerLog, complete: boolean): void;
}

/** Where a piece of text starts in the input. */
export interface TextOrigin {
  readonly byte: number;
  readonly line: number;
  readonly column: number;
}

const enum Mode { Top, Doc, Items, Item, Marker, Log }

const quote = 0x22;
const backslash = 0x5c;
const newline = 0x0a;
const itemsKey = Buffer.from('items');
const utf8Bom = [0xef, 0xbb, 0xbf];
/**
 * How many bytes of items a batch takes at most (unless one item is longer). Its text then
 * stays under V8's large-object size (128 KiB): such strings are allocated and collected
 * several times faster, which more than pays for a few more, smaller parses.
 */
const batchBytes = 120 * 1024;
/** `\n` + n spaces + `}`, by n. */
const closingLines: Buffer[] = [];

function closingLine(indent: number): Buffer {
  let closing = closingLines[indent];
  if (!closing) closingLines[indent] = closing = Buffer.from(`\n${' '.repeat(indent)}}`);
  return closing;
}

/**
 * Finds the top-level units of a `kubectl` dump at the byte level, as the bytes stream in:
 * JSON documents, each element of a list's `items` (so a 1 GB PodList never becomes one
 * string), and `==== START logs … ====` blocks. Strings, escapes and nesting depth are
 * tracked over Buffers; each unit is then parsed by the native JSON.parse. Memory stays
 * bounded by the largest single item, whatever the size of the dump.
 */
export class DumpScanner {
  #mode = Mode.Top;
  /** Offset of the current chunk's first byte in the whole input. */
  #base = 0;
  #line = 1;
  /** Offset of the first byte of the current line. */
  #lineStart = 0;
  #depth = 0;
  #inString = false;
  #escapeNext = false;
  /** Bytes of the unit being read: earlier chunks' parts, and where it starts in this chunk. */
  #parts: Buffer[] = [];
  #capturing = false;
  #captureFrom = 0;
  #captureOrigin: TextOrigin = { byte: 0, line: 1, column: 1 };
  // Top-level object: its keys at depth 1, to find "items".
  #expectKey = false;
  #inKey = false;
  #keyStart = 0;
  #keyParts: Buffer[] = [];
  #itemsKeySeen = false;
  #itemsDepth = 0;
  #arrayDocument = false;
  #head = '';
  #headOrigin: TextOrigin = { byte: 0, line: 1, column: 1 };
  #itemCount = 0;
  // Log blocks.
  #log: { marker: LogBlockMarker; text: BoundedLog } | undefined;
  #atLineStart = true;
  #sawInput = false;
  // Pretty-printed lists: a batch that did not parse up to here; the items before go one by one.
  #noBatchBefore = 0;
  /** `[`, a batch's bytes, `]`: reused, bounded by the largest item or chunk. */
  #batchText = Buffer.alloc(0);

  constructor(
    private readonly file: string,
    private readonly sink: DumpScannerSink,
  ) {}

  /** Whether anything but whitespace was seen. */
  get sawInput(): boolean {
    return this.#sawInput;
  }

  push(chunk: Buffer): void {
    let i = 0;
    const length = chunk.length;
    this.#captureFrom = 0;
    this.#keyStart = 0;
    while (i < length) {
      switch (this.#mode) {
        case Mode.Top:
          i = this.#top(chunk, i);
          break;
        case Mode.Doc:
          i = this.#document(chunk, i);
          break;
        case Mode.Items:
          i = this.#items(chunk, i);
          break;
        case Mode.Item:
          i = this.#item(chunk, i);
          break;
        case Mode.Marker:
          i = this.#marker(chunk, i);
          break;
        case Mode.Log:
          i = this.#logLine(chunk, i);
          break;
      }
    }
    if (this.#capturing && this.#captureFrom < length) this.#parts.push(chunk.subarray(this.#captureFrom));
    if (this.#inKey && this.#keyStart < length) this.#keyParts.push(Buffer.from(chunk.subarray(this.#keyStart)));
    this.#base += length;
  }

  /** The input ended: anything still open is truncated. */
  end(): void {
    const at = this.#here(0, this.#base);
    switch (this.#mode) {
      case Mode.Top:
        return;
      case Mode.Marker:
      case Mode.Log: {
        const marker = this.#mode === Mode.Log ? this.#log?.marker : undefined;
        if (this.#mode === Mode.Log && this.#log) {
          const pending = this.#takeCapture(undefined, 0);
          if (pending.length > 0) this.#log.text.append(Buffer.from(pending));
          this.sink.log(toContainerLog(this.#log.marker, this.#log.text), false);
          this.#log = undefined;
        }
        this.#mode = Mode.Top;
        if (marker) return;
        throw this.#error(at, 'unexpected end of input inside a log marker line');
      }
      case Mode.Items:
        throw this.#error(at, `unexpected end of input after ${this.#itemCount} list items: expected ',' or ']' (the input is truncated)`);
      case Mode.Doc:
      case Mode.Item: {
        const text = this.#takeCapture(undefined, 0);
        const problem = findJsonSyntaxError(text);
        const what = problem ? problem.expected : 'more JSON';
        const where = problem ? positionIn(text, problem.index, this.#captureOrigin) : at;
        throw this.#error(where, `unexpected end of input: expected ${what} (the input is truncated)`);
      }
    }
  }

  #top(chunk: Buffer, start: number): number {
    let i = start;
    const length = chunk.length;
    while (i < length) {
      const c = chunk[i] ?? 0;
      if (c === 0x20 || c === 0x09 || c === 0x0d || (this.#base + i < 3 && c === utf8Bom[this.#base + i])) {
        i++;
      } else if (c === newline) {
        this.#newline(i);
        i++;
      } else if (c === 0x7b /* { */) {
        this.#sawInput = true;
        this.#startCapture(i);
        this.#mode = Mode.Doc;
        this.#depth = 1;
        this.#expectKey = true;
        this.#itemsKeySeen = false;
        this.#itemsDepth = 0;
        this.#arrayDocument = false;
        this.#head = '';
        return i + 1;
      } else if (c === 0x5b /* [ */) {
        this.#sawInput = true;
        this.#mode = Mode.Items;
        this.#depth = 1;
        this.#itemsDepth = 1;
        this.#arrayDocument = true;
        this.#itemCount = 0;
        this.#headOrigin = this.#here(i);
        this.sink.listStart(undefined);
        return i + 1;
      } else if (c === 0x3d /* = */ && this.#atLineStartIndex(i)) {
        this.#sawInput = true;
        this.#startCapture(i);
        this.#mode = Mode.Marker;
        return i;
      } else {
        throw this.#error(this.#here(i), `expected ${this.#sawInput ? 'another JSON document or a "==== START logs" line' : 'JSON as printed by kubectl get -o json or kubectl cluster-info dump'}, found ${describeUnexpected(chunk, i, this.#base + i)}`);
      }
    }
    return i;
  }

  /** Inside a top-level object: tracks depth and its own keys until "items": [ or its end. */
  #document(chunk: Buffer, start: number): number {
    let i = start;
    const length = chunk.length;
    while (i < length) {
      if (this.#inString) {
        const end = this.#stringEnd(chunk, i);
        if (end === -1) return length;
        if (this.#inKey) this.#keyEnd(chunk, end);
        i = end + 1;
        continue;
      }
      const c = chunk[i] ?? 0;
      if (c === quote) {
        this.#inString = true;
        this.#itemsKeySeen = false;
        if (this.#depth === 1 && this.#expectKey) {
          this.#inKey = true;
          this.#keyStart = i + 1;
          this.#keyParts = [];
          this.#expectKey = false;
        }
        i++;
      } else if (c === 0x7b || c === 0x5b) {
        if (c === 0x5b && this.#depth === 1 && this.#itemsKeySeen) {
          this.#itemsKeySeen = false;
          this.#headOrigin = this.#captureOrigin;
          this.#head = this.#takeCapture(chunk, i);
          this.sink.listStart(parseHead(this.#head));
          this.#depth = 2;
          this.#itemsDepth = 2;
          this.#itemCount = 0;
          this.#mode = Mode.Items;
          return i + 1;
        }
        this.#itemsKeySeen = false;
        this.#depth++;
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        this.#depth--;
        i++;
        if (this.#depth === 0) {
          this.#finishDocument(chunk, i);
          return i;
        }
      } else if (c === newline) {
        this.#newline(i);
        i++;
      } else if (c === 0x2c /* , */) {
        if (this.#depth === 1) this.#expectKey = true;
        this.#itemsKeySeen = false;
        i++;
      } else {
        if (c !== 0x20 && c !== 0x3a && c !== 0x09 && c !== 0x0d) this.#itemsKeySeen = false;
        i++;
      }
    }
    return i;
  }

  #keyEnd(chunk: Buffer, end: number): void {
    let key: Buffer;
    if (this.#keyParts.length > 0) {
      key = Buffer.concat([...this.#keyParts, chunk.subarray(0, end)]);
      this.#keyParts = [];
    } else {
      key = chunk.subarray(this.#keyStart, end);
    }
    this.#inKey = false;
    this.#itemsKeySeen = key.equals(itemsKey);
  }

  #finishDocument(chunk: Buffer, end: number): void {
    const text = this.#takeCapture(chunk, end);
    this.#mode = Mode.Top;
    if (this.#itemsDepth === 0) {
      const value = this.#parse(text, this.#captureOrigin);
      this.sink.document(value, this.#captureOrigin);
      return;
    }
    // A list: its envelope is the head (up to "items": ) and the tail, around an empty array.
    const tailOrigin = this.#captureOrigin;
    const envelopeText = `${this.#head}[]${text}`;
    let envelope: unknown;
    try {
      envelope = JSON.parse(envelopeText);
    } catch {
      const problem = findJsonSyntaxError(envelopeText);
      const index = problem?.index ?? 0;
      const where = index < this.#head.length ? positionIn(this.#head, index, this.#headOrigin) : positionIn(text, index - this.#head.length - 2, tailOrigin);
      throw this.#error(where, `expected ${problem?.expected ?? 'valid JSON'}, found ${problem?.found ?? 'something else'}`);
    }
    this.sink.listEnd(envelope as Record<string, unknown>, this.#itemCount, this.#headOrigin);
    this.#head = '';
    this.#itemsDepth = 0;
  }

  /** Between the elements of a list: each must be an object. */
  #items(chunk: Buffer, start: number): number {
    let i = start;
    const length = chunk.length;
    while (i < length) {
      const c = chunk[i] ?? 0;
      if (c === 0x20 || c === 0x2c || c === 0x09 || c === 0x0d) {
        i++;
      } else if (c === newline) {
        this.#newline(i);
        i++;
      } else if (c === 0x7b) {
        const end = this.#pretty(chunk, i);
        if (end !== -1) return end;
        this.#startCapture(i);
        this.#depth++;
        this.#mode = Mode.Item;
        return i + 1;
      } else if (c === 0x5d) {
        this.#depth--;
        i++;
        if (this.#arrayDocument) {
          this.sink.listEnd({}, this.#itemCount, this.#headOrigin);
          this.#itemsDepth = 0;
          this.#mode = Mode.Top;
        } else {
          this.#startCapture(i);
          this.#mode = Mode.Doc;
        }
        return i;
      } else {
        throw this.#error(this.#here(i), `expected every element of the ${this.#arrayDocument ? 'array' : 'list\'s "items"'} to be a Kubernetes object (a JSON object with "kind"), found ${describeValueStart(c)} as element ${this.#itemCount + 1}`);
      }
    }
    return i;
  }

  /**
   * The fast paths for pretty-printed lists (what kubectl prints): an item whose `{` is
   * indented by n spaces ends at a line holding n spaces and `}`, since a raw newline cannot
   * occur inside a JSON string. Returns where the items taken end, or -1: the byte-level
   * walk takes over.
   */
  #pretty(chunk: Buffer, i: number): number {
    const lineStart = this.#lineStart - this.#base;
    if (lineStart < 0) return -1;
    for (let k = lineStart; k < i; k++) if (chunk[k] !== 0x20) return -1;
    const closing = closingLine(i - lineStart);
    // The last such line in the next batchBytes of this chunk (or in all of it, when an item
    // is longer), searched backwards: only part of one item is read over (a forward search
    // meets a partial match on every line).
    let last = chunk.lastIndexOf(closing, i + batchBytes - closing.length);
    if (last < i) last = chunk.lastIndexOf(closing);
    if (last < i) return -1;
    if (this.#base + i >= this.#noBatchBefore) {
      const end = this.#batch(chunk, i, last, last + closing.length);
      if (end !== -1) return end;
    }
    return this.#prettyItem(chunk, i, closing);
  }

  /**
   * All the items from the `{` at `i` up to `end`, parsed at once as `[` + text + `]`: if
   * that parses, the text is exactly a sequence of whole values (an array parses only with
   * its brackets balanced), and if each is an object, they are the next items. Otherwise
   * -1, and the items up to there go one by one, which finds the precise error. The text
   * ends with the closing line that starts (with its newline) at `last`.
   */
  #batch(chunk: Buffer, i: number, last: number, end: number): number {
    const size = end - i + 2;
    if (this.#batchText.length < size) this.#batchText = Buffer.allocUnsafeSlow(Math.max(size, batchBytes + 2));
    const bytes = this.#batchText;
    bytes[0] = 0x5b;
    chunk.copy(bytes, 1, i, end);
    bytes[size - 1] = 0x5d;
    const text = bytes.toString('utf8', 0, size);
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch {
      values = undefined;
    }
    if (!Array.isArray(values) || !values.every(isObjectElement)) {
      this.#noBatchBefore = this.#base + end;
      return -1;
    }
    const origin = this.#here(i);
    // The newlines of the batch (a newline is one byte in UTF-8); the last is the closing line's.
    let lines = 0;
    for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) lines++;
    this.#line += lines;
    this.#lineStart = this.#base + last + 1;
    const starts = new BatchStarts(text, origin);
    for (let k = 0; k < values.length; k++) {
      this.#itemCount++;
      this.sink.item(values[k], () => starts.origin(k));
    }
    return end;
  }

  /** One item up to the first line of its indentation and `}`, when that text parses. */
  #prettyItem(chunk: Buffer, i: number, closing: Buffer): number {
    const at = chunk.indexOf(closing, i + 1);
    if (at === -1) return -1;
    const end = at + closing.length;
    let value: unknown;
    try {
      value = JSON.parse(chunk.toString('utf8', i, end));
    } catch {
      return -1;
    }
    const origin = this.#here(i);
    for (let p = chunk.indexOf(newline, i); p !== -1 && p < end; p = chunk.indexOf(newline, p + 1)) this.#newline(p);
    this.#itemCount++;
    this.sink.item(value, () => origin);
    return end;
  }

  /** Inside one list element: the hot loop. Only depth, strings and newlines matter. */
  #item(chunk: Buffer, start: number): number {
    let i = start;
    if (this.#inString) {
      const end = this.#stringEnd(chunk, i);
      if (end === -1) return chunk.length;
      i = end + 1;
    }
    const length = chunk.length;
    let depth = this.#depth;
    const itemsDepth = this.#itemsDepth;
    while (i < length) {
      const c = chunk[i] as number;
      if (c === 0x20) {
        i++;
      } else if (c === quote) {
        // Jump to the closing quote natively; a quote after an odd run of backslashes is escaped.
        let q = chunk.indexOf(quote, i + 1);
        while (q !== -1 && chunk[q - 1] === backslash && oddBackslashesBefore(chunk, q, i + 1)) q = chunk.indexOf(quote, q + 1);
        if (q === -1) {
          this.#depth = depth;
          this.#inString = true;
          this.#escapeNext = oddBackslashesBefore(chunk, length, i + 1);
          return length;
        }
        i = q + 1;
      } else if (c === newline) {
        this.#line++;
        this.#lineStart = this.#base + i + 1;
        i++;
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        i++;
        if (depth === itemsDepth) {
          this.#depth = depth;
          const origin = this.#captureOrigin;
          const text = this.#takeCapture(chunk, i);
          this.#itemCount++;
          this.#mode = Mode.Items;
          this.sink.item(this.#parse(text, origin), () => origin);
          return i;
        }
      } else {
        i++;
      }
    }
    this.#depth = depth;
    return i;
  }

  /** Index of the quote closing the current string, or -1 when it goes on in the next chunk. */
  #stringEnd(chunk: Buffer, start: number): number {
    let from = start;
    if (this.#escapeNext) {
      this.#escapeNext = false;
      if (from >= chunk.length) return -1;
      from++;
    }
    const scanStart = from;
    for (;;) {
      const q = chunk.indexOf(quote, from);
      if (q === -1) {
        let run = 0;
        for (let j = chunk.length - 1; j >= scanStart && chunk[j] === backslash; j--) run++;
        this.#escapeNext = run % 2 === 1;
        return -1;
      }
      let run = 0;
      for (let j = q - 1; j >= scanStart && chunk[j] === backslash; j--) run++;
      if (run % 2 === 0) {
        this.#inString = false;
        return q;
      }
      from = q + 1;
    }
  }

  /** A `====` line at the top level: must open a log block. */
  #marker(chunk: Buffer, start: number): number {
    const end = chunk.indexOf(newline, start);
    if (end === -1) {
      if (this.#capturedLength(chunk) > 4096) throw this.#error(this.#captureOrigin, 'expected a "==== START logs for container C of pod NS/P ====" line, found a longer line');
      return chunk.length;
    }
    const origin = this.#captureOrigin;
    const line = this.#takeCapture(chunk, end);
    const marker = parseLogBlockStart(line);
    if (!marker) throw this.#error(origin, 'expected JSON or a "==== START logs for container C of pod NS/P ====" line, found another line starting with "="');
    this.#newline(end);
    this.#log = { marker, text: new BoundedLog() };
    this.#atLineStart = true;
    this.#mode = Mode.Log;
    return end + 1;
  }

  /** Inside a log block: lines go to the bounded log until the matching END line. */
  #logLine(chunk: Buffer, start: number): number {
    const log = this.#log;
    if (!log) throw new Error('log mode without a log');
    const end = chunk.indexOf(newline, start);
    const lineEnd = end === -1 ? chunk.length : end;
    if (this.#atLineStart && (chunk[start] === 0x3d || this.#capturing)) {
      // A line that may close the block: read it whole (short), else it is log text.
      if (!this.#capturing) this.#startCapture(start);
      if (end === -1) {
        if (this.#capturedLength(chunk) <= 4096) return chunk.length;
        log.text.append(Buffer.from(this.#takeCapture(chunk, chunk.length)));
        this.#atLineStart = false;
        return chunk.length;
      }
      const line = this.#takeCapture(chunk, end);
      this.#newline(end);
      if (isLogBlockEnd(line, log.marker)) {
        this.sink.log(toContainerLog(log.marker, log.text), true);
        this.#log = undefined;
        this.#mode = Mode.Top;
        return end + 1;
      }
      log.text.append(Buffer.from(`${line}\n`));
      return end + 1;
    }
    log.text.append(chunk.subarray(start, end === -1 ? lineEnd : end + 1));
    if (end === -1) {
      this.#atLineStart = false;
      return chunk.length;
    }
    this.#newline(end);
    this.#atLineStart = true;
    return end + 1;
  }

  #newline(i: number): void {
    this.#line++;
    this.#lineStart = this.#base + i + 1;
  }

  #atLineStartIndex(i: number): boolean {
    return this.#base + i === this.#lineStart;
  }

  #here(i: number, absolute = this.#base + i): TextOrigin {
    return { byte: absolute, line: this.#line, column: absolute - this.#lineStart + 1 };
  }

  #startCapture(i: number): void {
    this.#parts = [];
    this.#capturing = true;
    this.#captureFrom = i;
    this.#captureOrigin = this.#here(i);
  }

  #capturedLength(chunk: Buffer): number {
    let total = chunk.length - this.#captureFrom;
    for (const part of this.#parts) total += part.length;
    return total;
  }

  /** The captured text up to `end` (exclusive) in `chunk`; capturing stops. */
  #takeCapture(chunk: Buffer | undefined, end: number): string {
    let text: string;
    if (this.#parts.length === 0) {
      text = chunk && this.#capturing ? chunk.toString('utf8', this.#captureFrom, end) : '';
    } else {
      const parts = this.#parts;
      if (chunk) parts.push(chunk.subarray(this.#captureFrom, end));
      text = Buffer.concat(parts).toString('utf8');
    }
    this.#parts = [];
    this.#capturing = false;
    return text;
  }

  #parse(text: string, origin: TextOrigin): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const problem = findJsonSyntaxError(text);
      const where = problem ? positionIn(text, problem.index, origin) : origin;
      throw this.#error(where, `expected ${problem?.expected ?? 'valid JSON'}, found ${problem?.found ?? 'something else'}`);
    }
  }

  #error(at: TextOrigin, problem: string): InputError {
    return new InputError(inputPosition(this.file, at), `${problem} (byte ${at.byte})`);
  }
}

export function inputPosition(file: string, at: TextOrigin): InputPosition {
  return { file, byte: at.byte, line: at.line, column: at.column };
}

/** Where `index` of `text` is, given where index `from` of the text is. */
export function positionIn(text: string, index: number, origin: TextOrigin, from = 0): TextOrigin {
  const before = text.slice(from, Math.max(from, index));
  const byte = origin.byte + Buffer.byteLength(before);
  let line = origin.line;
  let lastNewline = -1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) {
    line++;
    lastNewline = i;
  }
  const column = lastNewline === -1 ? origin.column + Buffer.byteLength(before) : Buffer.byteLength(before.slice(lastNewline + 1)) + 1;
  return { byte, line, column };
}

function isObjectElement(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Where each element of a parsed batch (`[` + items + `]`) starts: found only when asked
 * (an error), by a walk over the text that tracks strings and depth.
 */
class BatchStarts {
  #starts: number[] | undefined;

  constructor(
    private readonly text: string,
    /** Where the first element (index 1 of the text) starts. */
    private readonly first: TextOrigin,
  ) {}

  origin(element: number): TextOrigin {
    this.#starts ??= elementStarts(this.text);
    return positionIn(this.text, this.#starts[element] ?? 1, this.first, 1);
  }
}

/** Indexes where the elements of a JSON array's text start (the text is valid JSON). */
function elementStarts(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let expectValue = true;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (depth === 0 && expectValue) {
      starts.push(i);
      expectValue = false;
    }
    if (c === quote) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === backslash) i++;
        else if (d === quote) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && depth === 0) {
      expectValue = true;
    }
  }
  return starts;
}

/** Whether the backslashes just before `index` (not before `from`) are an odd run. */
function oddBackslashesBefore(chunk: Buffer, index: number, from: number): boolean {
  let run = 0;
  for (let j = index - 1; j >= from && chunk[j] === backslash; j--) run++;
  return run % 2 === 1;
}

function parseHead(head: string): Record<string, unknown> | undefined {
  const key = head.lastIndexOf('"items"');
  if (key === -1) return undefined;
  try {
    const value = JSON.parse(`${head.slice(0, key).replace(/,\s*$/, '')}}`) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toContainerLog(marker: LogBlockMarker, text: BoundedLog): ContainerLog {
  return { namespace: marker.namespace, pod: marker.pod, container: marker.container, previous: marker.previous, text: text.text() };
}

function describeValueStart(c: number): string {
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'a number';
  if (c === quote) return 'a string';
  if (c === 0x5b) return 'an array';
  if (c === 0x74 || c === 0x66) return 'a boolean';
  if (c === 0x6e) return 'null';
  return describeCharAt(String.fromCharCode(c), 0);
}

const archives: readonly [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive (unzip it first)'],
  [[0x42, 0x5a, 0x68], 'bzip2 data (decompress it first)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'xz data (decompress it first)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd data (decompress it first)'],
];

/** What stands at the top level instead of JSON: binary, an archive, YAML, or some character. */
function describeUnexpected(chunk: Buffer, i: number, absolute: number): string {
  if (absolute === i) {
    for (const [magic, name] of archives) if (magic.every((byte, k) => chunk[i + k] === byte)) return name;
  }
  const c = chunk[i] ?? 0;
  if (c === quote || c === 0x2d || (c >= 0x30 && c <= 0x39)) return `${describeValueStart(c)}, not a Kubernetes object or list`;
  if (c < 0x20 || c === 0x7f) return `binary data (0x${c.toString(16).padStart(2, '0')})`;
  if (c >= 0x80) {
    const text = chunk.toString('utf8', i, Math.min(chunk.length, i + 4));
    if (text.startsWith('\ufffd')) return `binary data (0x${c.toString(16)})`;
  }
  const lineEnd = chunk.indexOf(newline, i);
  const line = chunk.toString('utf8', i, lineEnd === -1 ? Math.min(chunk.length, i + 200) : Math.min(lineEnd, i + 200));
  if (/^(---|%YAML|#)/.test(line) || /^-?\s*[A-Za-z_][\w./-]*:(\s|$)/.test(line)) {
    return 'YAML (a "key: value" line); scan reads JSON: use kubectl get -o json, or kubetriage lint for manifests';
  }
  return describeCharAt(line, 0);
}
