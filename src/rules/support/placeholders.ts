/** A template or placeholder marker that was never replaced by a real value. */
export interface Placeholder {
  /** The text as it appears in the value: `${AZURE_CLIENT_ID}`, `{{ .Values.api.url }}`, `<CHANGE_ME>`. */
  readonly text: string;
  /** What left it there, for the root cause. */
  readonly kind: 'shell' | 'helm' | 'angle' | 'marker';
}

export interface PlaceholderOptions {
  /**
   * Whether the value is free text (a config file in a ConfigMap): `${var}` is then left
   * alone, since shells and nginx expand it at run time; only unmistakable markers count.
   */
  readonly freeText?: boolean;
}

const shellBraced = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:]?[-=?+][^}]*)?\}/;
const shellBare = /^\$[A-Z_][A-Z0-9_]*$/;
const helm = /\{\{-?\s*\.(?:Values|Release|Chart|Capabilities)\b[^}]*\}\}/;
const mustache = /\{\{-?\s*[A-Za-z_.][^}]*\}\}/;
const angleWhole = /^<[A-Za-z][A-Za-z0-9 _.-]*>$/;
const angleInside = /<(?:[A-Z][A-Z0-9_]{2,}|(?:your|insert|replace|change|enter)[-_ ][^<>]*)>/i;
const markerWord = /(?:^|[^A-Za-z0-9])((?:change|replace)[-_ ]?me|REPLACEME|CHANGEME)(?![A-Za-z0-9])/i;
const markerWhole = /^(?:TODO|FIXME|TBD|XXX+)$/i;
const mayHoldPlaceholder = /[{$<]|me|todo|tbd|xxx/i;

/**
 * The first placeholder left in a value, or undefined. Env values and annotations are
 * never expanded by Kubernetes (`$(VAR)` aside, which callers check against the env), so
 * any `${VAR}` there reaches the application as it is.
 */
export function findPlaceholder(value: string, options: PlaceholderOptions = {}): Placeholder | undefined {
  // Every pattern below needs one of these; most values (`info`, `8080`, a host) have none.
  if (!mayHoldPlaceholder.test(value)) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  // Free text with template control flow is a template by design (Istio's injector, Grafana, Alertmanager).
  const isTemplate = options.freeText === true && /\{\{-?\s*(?:end|else|range|if|with|define)\b/.test(text);
  const helmMatch = isTemplate ? null : helm.exec(text) ?? (options.freeText ? null : mustache.exec(text));
  if (helmMatch) return { text: helmMatch[0], kind: 'helm' };
  if (!options.freeText) {
    const shell = shellBraced.exec(text) ?? shellBare.exec(text);
    if (shell) return { text: shell[0], kind: 'shell' };
    if (angleWhole.test(text)) return { text, kind: 'angle' };
  }
  const angle = angleInside.exec(text);
  if (angle) return { text: angle[0], kind: 'angle' };
  const marker = markerWord.exec(text);
  if (marker?.[1]) return { text: marker[1], kind: 'marker' };
  if (markerWhole.test(text)) return { text, kind: 'marker' };
  return undefined;
}

/**
 * `$(VAR)` references in an env value that Kubernetes cannot expand because VAR is not
 * defined before it in the same container: the kubelet leaves them as they are.
 */
export function unexpandedReferences(value: string, definedBefore: ReadonlySet<string>): string[] {
  if (!value.includes('$(')) return [];
  return [...value.matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)]
    .filter((m) => !definedBefore.has(m[1] ?? ''))
    .map((m) => m[0]);
}
