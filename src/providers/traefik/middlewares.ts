/**
 * Traefik Middleware objects of the input and how router.middlewares references resolve to them.
 *
 * - The CRD provider names a Middleware `Normalize(<namespace>-<name>)` (pkg/provider/kubernetes/
 *   crd/kubernetes.go L252-253, makeID L1493; Normalize in pkg/provider/configuration.go L126:
 *   every run of characters that are not letters or digits becomes one "-") in the provider
 *   `kubernetescrd`; an Ingress references it as `<id>@kubernetescrd`.
 * - A reference without `@provider` is qualified with the router's own provider, `kubernetes`
 *   (pkg/server/middleware/middlewares.go BuildMiddlewareChain L65-73), which defines no
 *   middlewares: such a router, and one with any reference that does not exist, is not served.
 * - A Middleware with more than one kind, or none, cannot be built: same outcome
 *   (middlewares.go buildConstructor L108 and its final error).
 * - chain.middlewares are {name, namespace} references; the namespace defaults to the chain's,
 *   another namespace needs allowCrossNamespace (crd/kubernetes.go createChainMiddleware L691-709,
 *   resolveReference L1664-1688). A chain that contains itself is a recursion error.
 * Both traefik.io/v1alpha1 (v3) and traefik.containo.us/v1alpha1 (v2, removed in v3) are read.
 */
import type { SourceDocument } from '../../inputs/document.js';

export const TRAEFIK_CRD_GROUPS = ['traefik.io', 'traefik.containo.us'] as const;

/** Middleware kinds (spec fields) of Traefik v3.7.9 (crd/traefikio/v1alpha1/middleware.go MiddlewareSpec), plus v2's ipWhiteList. */
const MIDDLEWARE_KINDS = [
  'addPrefix', 'stripPrefix', 'stripPrefixRegex', 'replacePath', 'replacePathRegex', 'chain', 'ipWhiteList', 'ipAllowList', 'headers',
  'encodedCharacters', 'errors', 'rateLimit', 'redirectRegex', 'redirectScheme', 'basicAuth', 'digestAuth', 'forwardAuth', 'inFlightReq',
  'buffering', 'circuitBreaker', 'compress', 'passTLSClientCert', 'retry', 'contentType', 'grpcWeb', 'plugin',
] as const;

export interface MiddlewareObject {
  doc: SourceDocument;
  namespace: string;
  name: string;
  /** The id Traefik gives it (without @kubernetescrd). */
  id: string;
  /** Its one kind and that kind's configuration; undefined when it has none or several (Traefik refuses it). */
  kind?: string;
  config?: Record<string, unknown>;
  /** Why Traefik cannot build it. */
  invalid?: string;
}

/** Go provider.Normalize: non-letter, non-digit runs become "-", trimmed. */
export function normalizeName(s: string): string {
  return s.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join('-');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function indexMiddlewares(docs: readonly SourceDocument[]): Map<string, MiddlewareObject> {
  const out = new Map<string, MiddlewareObject>();
  for (const doc of docs) {
    const o = doc.object;
    const namespace = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : 'default';
    const name = typeof o.metadata.name === 'string' ? o.metadata.name : '';
    if (!name) continue;
    const id = normalizeName(`${namespace}-${name}`);
    if (out.has(id)) continue; // the first definition is used (a duplicate is an input mistake)
    const spec = isRecord(o.spec) ? o.spec : {};
    const kinds = Object.keys(spec).filter((k) => spec[k] !== null && spec[k] !== undefined);
    const mw: MiddlewareObject = { doc, namespace, name, id };
    if (kinds.length === 1) {
      mw.kind = kinds[0]!;
      mw.config = isRecord(spec[mw.kind]) ? (spec[mw.kind] as Record<string, unknown>) : {};
      if (!(MIDDLEWARE_KINDS as readonly string[]).includes(mw.kind)) mw.invalid = `"${mw.kind}" is not a middleware kind Traefik knows`;
      else {
        const why = configError(mw.kind, mw.config);
        if (why) mw.invalid = why;
      }
    } else {
      mw.invalid = kinds.length === 0 ? 'it configures no middleware kind' : `it configures several kinds (${kinds.join(', ')}), which Traefik refuses ("multi-types middleware not supported")`;
    }
    out.set(id, mw);
  }
  return out;
}

const nonEmpty = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0) && !(isRecord(v) && Object.keys(v).length === 0);

/** Configurations Traefik refuses to build (the constructors' errors), which leave the router unserved. */
function configError(kind: string, c: Record<string, unknown>): string | undefined {
  switch (kind) {
    case 'addPrefix': // MW/addprefix/add_prefix.go L28-36
      return typeof c.prefix === 'string' && c.prefix !== '' ? undefined : 'its addPrefix has no prefix ("prefix cannot be empty")';
    case 'redirectScheme': // MW/redirect/redirect_scheme.go L32-34
      return typeof c.scheme === 'string' && c.scheme !== '' ? undefined : 'its redirectScheme has no scheme ("you must provide a target scheme")';
    case 'headers': // MW/headers/headers.go L32-34: nothing custom, CORS or security set
      return Object.entries(c).some(([k, v]) => k !== 'isDevelopment' && nonEmpty(v)) ? undefined : 'its headers set nothing ("headers configuration not valid")';
    default:
      return undefined;
  }
}

/** One middleware to apply, after chains are expanded, with the reference that brought it. */
export interface Step {
  mw: MiddlewareObject;
  kind: string;
  config: Record<string, unknown>;
}

interface Resolution {
  steps: Step[];
  /** References not in the input (another provider, or an object that was not given): their effect is unknown. */
  missing: string[];
  /** References Traefik could not resolve or build: the router was not served. */
  broken: { ref: string; why: string }[];
  /** Chains that reach into another namespace (needs allowCrossNamespace). */
  crossNamespace: { chain: MiddlewareObject; ref: string }[];
}

/** Resolves a router.middlewares (or service.middlewares) list, expanding chains in order. */
export function resolveMiddlewares(refs: readonly string[], index: ReadonlyMap<string, MiddlewareObject>): Resolution {
  const res: Resolution = { steps: [], missing: [], broken: [], crossNamespace: [] };
  const expand = (mw: MiddlewareObject, ref: string, stack: string[]): void => {
    if (stack.includes(mw.id)) {
      res.broken.push({ ref, why: `the chain ${stack[0]} contains itself (recursion)` });
      return;
    }
    if (mw.invalid) {
      res.broken.push({ ref, why: `Middleware ${mw.namespace}/${mw.name}: ${mw.invalid}` });
      return;
    }
    if (mw.kind !== 'chain') {
      res.steps.push({ mw, kind: mw.kind!, config: mw.config ?? {} });
      return;
    }
    const list = Array.isArray(mw.config?.middlewares) ? (mw.config!.middlewares as unknown[]) : [];
    for (const item of list) {
      const itemName = isRecord(item) && typeof item.name === 'string' ? item.name : undefined;
      if (!itemName) {
        res.broken.push({ ref, why: `Middleware ${mw.namespace}/${mw.name}: a chain entry has no name` });
        continue;
      }
      const itemNs = isRecord(item) && typeof item.namespace === 'string' && item.namespace !== '' ? item.namespace : mw.namespace;
      let id: string;
      if (itemName.includes('@')) {
        if (!itemName.endsWith('@kubernetescrd')) {
          res.missing.push(itemName);
          continue;
        }
        id = itemName.slice(0, -'@kubernetescrd'.length);
        res.crossNamespace.push({ chain: mw, ref: itemName });
      } else {
        id = normalizeName(`${itemNs}-${itemName}`);
        if (itemNs !== mw.namespace) res.crossNamespace.push({ chain: mw, ref: `${itemNs}/${itemName}` });
      }
      const target = index.get(id);
      if (!target) res.missing.push(`${id}@kubernetescrd`);
      else expand(target, ref, [...stack, mw.id]);
    }
  };
  for (const ref of refs) {
    if (ref === '') continue;
    const at = ref.lastIndexOf('@');
    if (at < 0) {
      res.broken.push({ ref, why: `"${ref}" has no @provider, so Traefik looked for ${ref}@kubernetes, which does not exist (write ${ref}@kubernetescrd for a Middleware object)` });
      continue;
    }
    if (ref.slice(at + 1) !== 'kubernetescrd') {
      res.missing.push(ref);
      continue;
    }
    const mw = index.get(ref.slice(0, at));
    if (!mw) res.missing.push(ref);
    else expand(mw, ref, []);
  }
  return res;
}
