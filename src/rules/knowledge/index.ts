import type { KnowledgeEntry } from '../../engine/types.js';

/** Runbooks served by `explain` only: knowledge with no reliable signal in cluster state. */
export const knowledge: readonly KnowledgeEntry[] = [];
