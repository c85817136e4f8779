/** `v1.7.3`, `1.7.3-rc.1`, `16.4` → numeric parts; undefined for `latest`, SHAs and other tags. */
export function versionParts(tag: string | undefined): number[] | undefined {
  if (tag === undefined) return undefined;
  const match = /^v?(\d+(?:\.\d+){0,3})(?:[-+].*)?$/.exec(tag);
  if (!match?.[1]) return undefined;
  return match[1].split('.').map(Number);
}

/** Compares two version-like tags; undefined when either is not a version. */
export function compareVersions(a: string | undefined, b: string | undefined): number | undefined {
  const pa = versionParts(a);
  const pb = versionParts(b);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
