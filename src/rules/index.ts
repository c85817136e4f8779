import type { Rule } from '../engine/types.js';
import imagePullFailed from './image-pull-failed/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  imagePullFailed,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
