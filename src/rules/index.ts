import type { Rule } from '../engine/types.js';
import crashLoop from './crash-loop/rule.js';
import dependencyNotReady from './dependency-not-ready/rule.js';
import devServerInProduction from './dev-server-in-production/rule.js';
import imagePullFailed from './image-pull-failed/rule.js';
import missingConfigReference from './missing-config-reference/rule.js';
import nodeProblem from './node-problem/rule.js';
import oomKilled from './oom-killed/rule.js';
import podUnschedulable from './pod-unschedulable/rule.js';
import probeFailing from './probe-failing/rule.js';
import rolloutStuck from './rollout-stuck/rule.js';
import serviceNoEndpoints from './service-no-endpoints/rule.js';
import servicePortMismatch from './service-port-mismatch/rule.js';
import sidecarInjectionProblem from './sidecar-injection-problem/rule.js';
import staleImage from './stale-image/rule.js';
import volumeProblem from './volume-problem/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  crashLoop,
  dependencyNotReady,
  devServerInProduction,
  imagePullFailed,
  missingConfigReference,
  nodeProblem,
  oomKilled,
  podUnschedulable,
  probeFailing,
  rolloutStuck,
  serviceNoEndpoints,
  servicePortMismatch,
  sidecarInjectionProblem,
  staleImage,
  volumeProblem,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
