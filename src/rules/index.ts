import type { Rule } from '../engine/types.js';
import imagePullFailed from './image-pull-failed/rule.js';
import nodeProblem from './node-problem/rule.js';
import podUnschedulable from './pod-unschedulable/rule.js';
import rolloutStuck from './rollout-stuck/rule.js';
import serviceNoEndpoints from './service-no-endpoints/rule.js';
import servicePortMismatch from './service-port-mismatch/rule.js';
import staleImage from './stale-image/rule.js';
import sidecarInjectionProblem from './sidecar-injection-problem/rule.js';
import volumeProblem from './volume-problem/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  imagePullFailed,
  nodeProblem,
  podUnschedulable,
  rolloutStuck,
  serviceNoEndpoints,
  servicePortMismatch,
  sidecarInjectionProblem,
  staleImage,
  volumeProblem,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
