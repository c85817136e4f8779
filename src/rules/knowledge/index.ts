import type { KnowledgeEntry } from '../../engine/types.js';
import idempotentSideEffects from './idempotent-side-effects.js';
import portForward from './port-forward.js';
import rollback from './rollback.js';

/** Runbooks served by `explain` only: knowledge with no reliable signal in cluster state. */
export const knowledge: readonly KnowledgeEntry[] = [idempotentSideEffects, portForward, rollback];
