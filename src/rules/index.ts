import type { Rule } from '../engine/types.js';
import corsOriginMismatch from './cors-origin-mismatch/rule.js';
import crashLoop from './crash-loop/rule.js';
import cronjobProblem from './cronjob-problem/rule.js';
import databaseUrlInvalid from './database-url-invalid/rule.js';
import dependencyNotReady from './dependency-not-ready/rule.js';
import devServerInProduction from './dev-server-in-production/rule.js';
import duplicateWorkload from './duplicate-workload/rule.js';
import externalSecretNotSynced from './external-secret-not-synced/rule.js';
import helmReleaseFailed from './helm-release-failed/rule.js';
import imagePullFailed from './image-pull-failed/rule.js';
import imageVersionDrift from './image-version-drift/rule.js';
import ingressProblem from './ingress-problem/rule.js';
import insecureUrl from './insecure-url/rule.js';
import missingConfigReference from './missing-config-reference/rule.js';
import mutableImageTag from './mutable-image-tag/rule.js';
import networkPolicyBlocks from './network-policy-blocks/rule.js';
import nodeProblem from './node-problem/rule.js';
import oomKilled from './oom-killed/rule.js';
import pdbProblem from './pdb-problem/rule.js';
import plaintextSecret from './plaintext-secret/rule.js';
import podUnschedulable from './pod-unschedulable/rule.js';
import probeFailing from './probe-failing/rule.js';
import probeMisconfigured from './probe-misconfigured/rule.js';
import resourcesMissing from './resources-missing/rule.js';
import rolloutCapacity from './rollout-capacity/rule.js';
import rolloutStuck from './rollout-stuck/rule.js';
import secretMismatch from './secret-mismatch/rule.js';
import selectorVersionLabel from './selector-version-label/rule.js';
import serviceNoEndpoints from './service-no-endpoints/rule.js';
import servicePortMismatch from './service-port-mismatch/rule.js';
import sidecarInjectionProblem from './sidecar-injection-problem/rule.js';
import staleImage from './stale-image/rule.js';
import unresolvedPlaceholder from './unresolved-placeholder/rule.js';
import volumeProblem from './volume-problem/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  corsOriginMismatch,
  crashLoop,
  cronjobProblem,
  databaseUrlInvalid,
  dependencyNotReady,
  devServerInProduction,
  duplicateWorkload,
  externalSecretNotSynced,
  helmReleaseFailed,
  imagePullFailed,
  imageVersionDrift,
  ingressProblem,
  insecureUrl,
  missingConfigReference,
  mutableImageTag,
  networkPolicyBlocks,
  nodeProblem,
  oomKilled,
  pdbProblem,
  plaintextSecret,
  podUnschedulable,
  probeFailing,
  probeMisconfigured,
  resourcesMissing,
  rolloutCapacity,
  rolloutStuck,
  secretMismatch,
  selectorVersionLabel,
  serviceNoEndpoints,
  servicePortMismatch,
  sidecarInjectionProblem,
  staleImage,
  unresolvedPlaceholder,
  volumeProblem,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
