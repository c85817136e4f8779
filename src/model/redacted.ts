// The form a secret value takes once a source has redacted it. Sources replace every
// Secret data value (and every sensitive env value) by a marker holding a keyed
// fingerprint and the value's length; rules compare markers, never values.

const markerPattern = /^kubetriage:redacted:([0-9a-f]{16}):(\d+)$/;

export interface RedactedValue {
  readonly fingerprint: string;
  readonly length: number;
}

export function formatRedacted(value: RedactedValue): string {
  return `kubetriage:redacted:${value.fingerprint}:${value.length}`;
}

export function parseRedacted(marker: string | undefined): RedactedValue | undefined {
  if (marker === undefined) return undefined;
  const match = markerPattern.exec(marker);
  if (!match) return undefined;
  return { fingerprint: match[1] ?? '', length: Number(match[2]) };
}

export function isRedacted(value: string | undefined): boolean {
  return value !== undefined && markerPattern.test(value);
}
