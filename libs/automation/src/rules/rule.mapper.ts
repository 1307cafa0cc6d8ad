import { Action, ConditionGroup, Rule, RuleDefinition } from './rule.model';
import { AutoReplyRecord } from './rule.schema';

/** Stored form <-> domain form of a rule. */
export function toRecord(
  base: { id: string; accountId: string; createdAt: Date; updatedAt: Date },
  d: RuleDefinition,
): AutoReplyRecord {
  return {
    _id: base.id,
    accountId: base.accountId,
    name: d.name,
    priority: d.priority,
    enabled: d.enabled,
    stopOnMatch: d.stopOnMatch,
    connectionIds: d.connectionIds,
    conditionsJson: JSON.stringify(d.conditions),
    actionsJson: JSON.stringify(d.actions),
    cooldownSeconds: d.cooldownSeconds,
    createdAt: base.createdAt,
    updatedAt: base.updatedAt,
  };
}

export function toRule(r: AutoReplyRecord): Rule {
  return {
    id: r._id,
    accountId: r.accountId,
    name: r.name,
    priority: r.priority,
    enabled: r.enabled,
    stopOnMatch: r.stopOnMatch,
    connectionIds: r.connectionIds ?? [],
    conditions: JSON.parse(r.conditionsJson) as ConditionGroup,
    actions: JSON.parse(r.actionsJson) as Action[],
    cooldownSeconds: r.cooldownSeconds,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  };
}

/** The definition part of a rule (what a PATCH starts from). */
export function definitionOf(rule: Rule): RuleDefinition {
  const { name, priority, enabled, stopOnMatch, connectionIds, conditions, actions, cooldownSeconds } = rule;
  return { name, priority, enabled, stopOnMatch, connectionIds, conditions, actions, cooldownSeconds };
}
