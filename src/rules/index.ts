import type { Rule } from '../engine/types.js';
import imagePullFailed from './image-pull-failed/rule.js';
import sidecarInjectionProblem from './sidecar-injection-problem/rule.js';
import volumeProblem from './volume-problem/rule.js';
import selectorVersionLabel from './selector-version-label/rule.js';
import probeMisconfigured from './probe-misconfigured/rule.js';
import mutableImageTag from './mutable-image-tag/rule.js';
import resourcesMissing from './resources-missing/rule.js';
import pdbProblem from './pdb-problem/rule.js';
import plaintextSecret from './plaintext-secret/rule.js';
import ingressProblem from './ingress-problem/rule.js';
import networkPolicyBlocks from './network-policy-blocks/rule.js';

/** Every rule, sorted by id. */
export const rules = [
  imagePullFailed,
  sidecarInjectionProblem,
  volumeProblem,
  selectorVersionLabel,
  probeMisconfigured,
  mutableImageTag,
  resourcesMissing,
  pdbProblem,
  plaintextSecret,
  ingressProblem,
  networkPolicyBlocks,
].sort((a, b) => a.id.localeCompare(b.id)) satisfies readonly Rule[];
