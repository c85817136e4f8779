import type { Rule } from '../engine/types.js';
import cronjobProblem from './cronjob-problem/rule.js';
import duplicateWorkload from './duplicate-workload/rule.js';
import helmReleaseFailed from './helm-release-failed/rule.js';
import imagePullFailed from './image-pull-failed/rule.js';
import imageVersionDrift from './image-version-drift/rule.js';
import rolloutCapacity from './rollout-capacity/rule.js';
import sidecarInjectionProblem from './sidecar-injection-problem/rule.js';
import volumeProblem from './volume-problem/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  cronjobProblem,
  duplicateWorkload,
  helmReleaseFailed,
  imagePullFailed,
  imageVersionDrift,
  rolloutCapacity,
  sidecarInjectionProblem,
  volumeProblem,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
