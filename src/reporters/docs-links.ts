/**
 * Where the generated documentation lives, for links in reports (SARIF helpUri). The paths follow
 * the repository (docs/annotations/<provider>.md), so only the base changes if the docs move.
 */
import type { RuleEntry } from '../providers/rules.js';

export const PROJECT_URL = 'https://gateway-shift.io/';
export const DOCS_BASE_URL = `${PROJECT_URL}docs/`;
/** The README section on what the translation does, for findings that are not rule-table entries. */
export const TRANSLATION_DOCS_URL = `${PROJECT_URL}README.md#what-the-translation-does`;

/** HTML id of a rule-table row in docs/annotations/<provider>.md: the rule id after the provider. */
export function ruleAnchor(entry: Pick<RuleEntry, 'id'>): string {
  const tail = entry.id.slice(entry.id.indexOf('/') + 1);
  return tail.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** Providers whose rule tables are about fields of their own resources (docs/fields/<id>.md). */
const FIELD_PROVIDERS = new Set(['istio']);

/** The docs folder of a provider's rule table, relative to the repository: docs/annotations or docs/fields. */
export function rulesDocsDir(providerId: string): string {
  return FIELD_PROVIDERS.has(providerId) ? 'fields' : 'annotations';
}

export function providerDocsUrl(providerId: string): string {
  return `${DOCS_BASE_URL}${rulesDocsDir(providerId)}/${providerId}.md`;
}

export function ruleDocsUrl(providerId: string, entry: Pick<RuleEntry, 'id'>): string {
  return `${providerDocsUrl(providerId)}#${ruleAnchor(entry)}`;
}
