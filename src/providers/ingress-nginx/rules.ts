/** The ingress-nginx annotation rule table. Entries are added by the annotation work (issue 3). */
import type { RuleEntry } from '../rules.js';

export const INGRESS_NGINX_RULES: RuleEntry[] = [];
