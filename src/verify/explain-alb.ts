/**
 * Which findings of the ALB translation explain which differences between the AWS Load Balancer
 * Controller model (src/verify/sources/alb/) and the Gateway API model. Same contract as the table
 * of explain.ts: an allowed rule id, about an object one model used in the named role, at that
 * very field for 'field' precision, when the condition holds.
 */
import type { ExplainContext, ExplanationRule } from './explain.js';

const sameButQuery = (c: ExplainContext): boolean =>
  c.source.kind === 'redirect' && c.gateway.kind === 'redirect' && c.source.location.split('?')[0] === c.gateway.location.split('?')[0];

export const ALB_EXPLANATION_RULES: readonly ExplanationRule[] = [
  {
    ruleIds: ['alb/actions'],
    roles: ['alb-action', 'alb-rule'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.source.kind === 'respond' || sameButQuery(c),
    why: 'the action (a fixed response, a missing action\u2019s 503, a redirect that replaces the query) has no Gateway API form',
  },
  {
    ruleIds: ['alb/conditions'],
    roles: ['alb-conditions'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'a condition of the rule (source-ip, a query value of any parameter) has no Gateway API match: the rule was left out',
  },
  {
    ruleIds: ['alb/transforms'],
    roles: ['alb-transforms'],
    precision: 'field',
    covers: ['path', 'host'],
    applies: () => true,
    why: 'the transform has no URLRewrite form and was left out',
  },
  {
    ruleIds: ['alb/path-widened'],
    roles: ['bare-prefix-alb-rule'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'the pattern /p/* did not take /p itself; its PathPrefix does',
  },
  {
    ruleIds: ['alb/rule-order'],
    roles: ['later-alb-rule'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'the ALB gave the request to an earlier rule; Gateway API precedence prefers this one',
  },
  {
    ruleIds: ['alb/match-case', 'alb/regex-match'],
    roles: ['alb-rule', 'later-alb-rule'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'the ALB compared header and query values case-insensitively, with wildcards; the Gateway API matches do not',
  },
  {
    ruleIds: ['alb/redirect-loop', 'alb/rule-shadowed'],
    roles: ['dropped-alb-rule'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.gateway.kind === 'redirect',
    why: 'the controller dropped the rule from this listener (a redirect to itself), and so did the translation',
  },
  {
    ruleIds: ['alb/default-backend', 'alb/group.order', 'alb/group.name', 'alb/listen-ports', 'alb/ssl-redirect'],
    roles: ['group-failed', 'alb-default', 'ssl-redirect'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'the group or listener setting could not be translated as the controller applied it',
  },
];
