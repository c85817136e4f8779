// Namespaces and names that mark a copy of an application for another environment:
// `shop-staging`, `dev-shop`, `api-old`.

const environmentWords = new Set([
  'staging', 'stage', 'stg', 'dev', 'develop', 'development', 'test', 'testing', 'qa', 'uat', 'preview', 'review',
  'sandbox', 'demo', 'old', 'copy', 'tmp', 'temp', 'backup', 'bak', 'legacy', 'previous', 'prev',
]);

function words(name: string): string[] {
  return name.toLowerCase().split(/[-_.]/).filter((w) => w !== '');
}

/** The name without its environment words: `shop-staging` → `shop`. */
export function environmentStem(name: string): string {
  const kept = words(name).filter((w) => !environmentWords.has(w));
  return kept.length > 0 ? kept.join('-') : name.toLowerCase();
}

/** true when the name carries an environment word (`shop-staging`, `api-old`). */
export function isEnvironmentCopyName(name: string): boolean {
  return words(name).some((w) => environmentWords.has(w));
}

/** Two different namespaces that are environments of one application: `shop` and `shop-staging`. */
export function sameApplicationNamespaces(a: string, b: string): boolean {
  return a !== b && environmentStem(a) === environmentStem(b);
}
