import type { Rule } from '../engine/types.js';
import corsOriginMismatch from './cors-origin-mismatch/rule.js';
import databaseUrlInvalid from './database-url-invalid/rule.js';
import externalSecretNotSynced from './external-secret-not-synced/rule.js';
import imagePullFailed from './image-pull-failed/rule.js';
import insecureUrl from './insecure-url/rule.js';
import secretMismatch from './secret-mismatch/rule.js';
import sidecarInjectionProblem from './sidecar-injection-problem/rule.js';
import unresolvedPlaceholder from './unresolved-placeholder/rule.js';
import volumeProblem from './volume-problem/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  corsOriginMismatch,
  databaseUrlInvalid,
  externalSecretNotSynced,
  imagePullFailed,
  insecureUrl,
  secretMismatch,
  sidecarInjectionProblem,
  unresolvedPlaceholder,
  volumeProblem,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
