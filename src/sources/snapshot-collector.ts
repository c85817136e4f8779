import { InputError, formatPosition } from '../errors.js';
import type { ContainerLog } from '../model/cluster-model.js';
import type { KubeObject } from '../model/k8s.js';
import { isBundleHeaderDocument, parseBundleHeader } from './bundle-format.js';
import type { BundleHeader } from './bundle-format.js';
import { inputPosition } from './dump-scanner.js';
import type { DumpScannerSink, TextOrigin } from './dump-scanner.js';
import { normalizeObject, objectsFromDocument } from './normalize.js';
import type { Redactor } from './redact.js';
import { redactText } from './redact.js';

/** Past this many characters of logs in all, each further log keeps only its last lines. */
export const totalLogBudget = 256 * 1024 * 1024;
const overBudgetTail = 4 * 1024;

/**
 * Receives what the scanner finds in every input of one snapshot and builds the source
 * result: objects normalized and redacted as they arrive, logs redacted, the bundle
 * header. A document's objects are committed only when the document is complete, so an
 * error inside one document leaves the others sound.
 */
export class SnapshotCollector implements DumpScannerSink {
  readonly objects: KubeObject[] = [];
  readonly #logs = new Map<string, ContainerLog>();
  header: BundleHeader | undefined;
  readonly notes: string[] = [];
  /** Documents (and log blocks) read whole, in all inputs. */
  units = 0;
  #logCharacters = 0;
  #overBudget = 0;
  #file = '';
  #current: KubeObject[] = [];
  #listItemKind: string | undefined;
  #listApiVersion: string | undefined;
  #listKnown = false;
  #deferred: Record<string, unknown>[] = [];

  constructor(private readonly redactor: Redactor) {}

  get logs(): ContainerLog[] {
    return [...this.#logs.values()];
  }

  /** Starts reading another input; whatever a broken previous one left open is dropped. */
  beginInput(file: string): void {
    this.#file = file;
    this.#current = [];
    this.#deferred = [];
  }

  /** The open document broke: its objects are dropped. Returns how many were. */
  abandonDocument(): number {
    const dropped = this.#current.length + this.#deferred.length;
    this.#current = [];
    this.#deferred = [];
    return dropped;
  }

  finish(): void {
    if (this.#overBudget > 0) {
      this.notes.push(`logs past the first ${totalLogBudget / 1024 / 1024} MiB in all were cut to their last ${overBudgetTail / 1024} KiB (${this.#overBudget} containers)`);
    }
  }

  document(value: unknown, at: TextOrigin): void {
    if (isBundleHeaderDocument(value)) {
      const header = parseBundleHeader(value);
      if (typeof header === 'string') throw new InputError(inputPosition(this.#file, at), `${header} (byte ${at.byte})`);
      if (this.header) this.notes.push(`${this.#file}: a second ${header.kind} header (captured ${header.capturedAt}) was ignored`);
      else this.header = header;
      this.units++;
      return;
    }
    let objects: KubeObject[];
    try {
      objects = objectsFromDocument(value, inputPosition(this.#file, at));
    } catch (error) {
      if (error instanceof InputError) throw new InputError(inputPosition(this.#file, at), `${problemOf(error)} (byte ${at.byte})`);
      throw error;
    }
    for (const object of objects) this.objects.push(this.redactor.redactObject(object));
    this.units++;
  }

  listStart(head: Record<string, unknown> | undefined): void {
    this.#current = [];
    this.#deferred = [];
    this.#listKnown = false;
    this.#listItemKind = undefined;
    this.#listApiVersion = undefined;
    if (head && typeof head.kind === 'string') this.#learnList(head);
  }

  item(value: unknown, at: () => TextOrigin): void {
    const record = value as Record<string, unknown>;
    const kind = record.kind;
    if (typeof kind === 'string') {
      // kubectl get -o json: every item names its kind (and may itself be a list).
      if (!kind.endsWith('List') || !Array.isArray(record.items)) {
        // One object: what objectsFromDocument makes of it, without a position (only its errors need one).
        this.#current.push(this.redactor.redactObject(normalizeObject(record, undefined, this.#listApiVersion)));
        return;
      }
      for (const object of objectsFromDocument(record, inputPosition(this.#file, at()))) {
        this.#current.push(this.redactor.redactObject(normalizeObject(object, undefined, this.#listApiVersion)));
      }
    } else if (this.#listKnown) {
      this.#current.push(this.redactor.redactObject(normalizeObject(record, this.#listItemKind, this.#listApiVersion)));
    } else {
      // A typed list's items carry no kind; the list's kind came after them. Bulk goes now.
      this.#deferred.push(normalizeObject(record, undefined, undefined));
    }
  }

  listEnd(envelope: Record<string, unknown>): void {
    if (!this.#listKnown) this.#learnList(envelope);
    for (const record of this.#deferred) {
      this.#current.push(this.redactor.redactObject(normalizeObject(record, this.#listItemKind, this.#listApiVersion)));
    }
    for (const object of this.#current) this.objects.push(object);
    this.#current = [];
    this.#deferred = [];
    this.units++;
  }

  log(log: ContainerLog, complete: boolean): void {
    let text = log.text;
    if (this.#logCharacters > totalLogBudget && text.length > overBudgetTail) {
      text = text.slice(text.indexOf('\n', text.length - overBudgetTail) + 1);
      this.#overBudget++;
    }
    text = redactText(text);
    this.#logCharacters += text.length;
    const key = `${log.namespace}/${log.pod}/${log.container}/${log.previous}`;
    this.#logs.set(key, { ...log, text });
    if (complete) this.units++;
    else this.notes.push(`${this.#file}: the log of container ${log.container} of pod ${log.namespace}/${log.pod} has no END line (the input is truncated?)`);
  }

  #learnList(envelope: Record<string, unknown>): void {
    const kind = typeof envelope.kind === 'string' ? envelope.kind : 'List';
    this.#listKnown = true;
    this.#listItemKind = kind !== 'List' && kind.endsWith('List') ? kind.slice(0, -'List'.length) : undefined;
    this.#listApiVersion = typeof envelope.apiVersion === 'string' && envelope.apiVersion !== 'v1' ? envelope.apiVersion : undefined;
  }
}

/** An InputError's message without its position prefix. */
function problemOf(error: InputError): string {
  const prefix = `${formatPosition(error.position)}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
