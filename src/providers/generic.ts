/**
 * Controller-independent Ingress semantics, for Ingresses whose controller gateway-shift does
 * not know: only what the Ingress API itself defines. ImplementationSpecific has no defined
 * meaning, so it is read as Prefix and reported.
 */
import type { PathMatch } from '../ir/types.js';
import type { IngressModel, IngressPath } from './common/ingress-model.js';
import { translateIngresses } from './common/ingress-translator.js';
import type { Provider, ProviderContext } from './types.js';

export const genericIngress: Provider = {
  id: 'ingress',
  displayName: 'Ingress (controller unknown)',
  annotationPrefixes: [],
  controllers: [],
  classNames: [],
  rules: [],
  translate(ctx, ingresses) {
    translateIngresses(ctx, ingresses, {
      id: 'ingress',
      mapPath(c: ProviderContext, m: IngressModel, p: IngressPath): PathMatch {
        if (p.pathType === 'Exact') return { type: 'Exact', value: p.path };
        if (p.pathType === 'ImplementationSpecific') {
          c.report({
            ruleId: 'ingress/implementation-specific-path',
            severity: 'warning',
            message: `path "${p.path}" has pathType ImplementationSpecific, whose meaning depends on the controller; it was translated as PathPrefix`,
            remediation: 'Check how your controller matched this path, or name the controller with --providers.',
            doc: m.doc,
            path: [...p.at, 'pathType'],
          });
        }
        return { type: 'PathPrefix', value: p.path };
      },
      redirectsToHttps: () => false,
      httpsRedirectCode: 308,
      exemptAcmeChallenge: false,
      hostIsolation: false,
    });
    return new Map(ingresses.map((m) => [m, new Set<string>()]));
  },
};
