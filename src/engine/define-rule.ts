import type { KnowledgeEntry, Rule, RuleDefinition } from './types.js';

/**
 * Declares a rule. The type parameters tie each detection's messageId and cause to the
 * messages and runbook causes the rule declares, so a typo is a compile error.
 */
export function defineRule<const M extends string, const C extends string = never>(
  definition: RuleDefinition<M, C>,
): Rule {
  return definition;
}

export function defineKnowledge(entry: KnowledgeEntry): KnowledgeEntry {
  return entry;
}
