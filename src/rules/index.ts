import type { Rule } from '../engine/types.js';
import crashLoop from './crash-loop/rule.js';
import dependencyNotReady from './dependency-not-ready/rule.js';
import devServerInProduction from './dev-server-in-production/rule.js';
import imagePullFailed from './image-pull-failed/rule.js';
import missingConfigReference from './missing-config-reference/rule.js';
import oomKilled from './oom-killed/rule.js';
import probeFailing from './probe-failing/rule.js';
import sidecarInjectionProblem from './sidecar-injection-problem/rule.js';
import volumeProblem from './volume-problem/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  crashLoop,
  dependencyNotReady,
  devServerInProduction,
  imagePullFailed,
  missingConfigReference,
  oomKilled,
  probeFailing,
  sidecarInjectionProblem,
  volumeProblem,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
