/**
 * How Traefik reads its `traefik.ingress.kubernetes.io/*` annotations: they become labels
 * `traefik.<rest>` (pkg/provider/kubernetes/ingress/annotations.go convertAnnotations) decoded by
 * the paerser label parser into RouterIng (from the Ingress) or ServiceIng (from the Service).
 * What matters for a translation, reproduced here:
 * - only labels under `traefik.router.` (resp. `traefik.service.`) are decoded; other keys are
 *   skipped without error (paerser labels_decode.go sortKeys filter);
 * - field names match case-insensitively (strings.EqualFold);
 * - a name that is no field, an empty element, or a value that is not a Go bool / integer makes
 *   the whole decode fail: Traefik then skips the Ingress (kubernetes.go L262-266) or cannot
 *   create the service, so the path is skipped (L377-385, loadService L594-597);
 * - a struct tagged allowEmpty (router.tls, router.observability, service.sticky,
 *   service.sticky.cookie) is enabled by an empty value, "true" (any case) or any sub-key, and
 *   disabled by any other value, which also drops its sub-keys (nodes_metadata.go L84);
 * - lists are split on commas and trimmed (element_fill.go makeSlice).
 */
import { parseGoBool } from '../common/translate.js';
import { TRAEFIK_PREFIX } from './rules.js';

type Field =
  | { t: 'string' | 'strings' | 'int' | 'bool' | 'ignored' }
  | { t: 'struct'; allowEmpty: boolean; fields: Record<string, Field> }
  | { t: 'structs'; fields: Record<string, Field> };

const ROUTER: Record<string, Field> = {
  pathmatcher: { t: 'string' },
  entrypoints: { t: 'strings' },
  middlewares: { t: 'strings' },
  priority: { t: 'int' },
  rulesyntax: { t: 'string' },
  tls: {
    t: 'struct',
    allowEmpty: true,
    fields: {
      options: { t: 'string' },
      resolvedoptions: { t: 'ignored' },
      certresolver: { t: 'string' },
      domains: { t: 'structs', fields: { main: { t: 'string' }, sans: { t: 'strings' } } },
    },
  },
  observability: {
    t: 'struct',
    allowEmpty: true,
    fields: { accesslogs: { t: 'bool' }, metrics: { t: 'bool' }, tracing: { t: 'bool' }, traceverbosity: { t: 'string' }, metadata: { t: 'ignored' } },
  },
};

const SERVICE: Record<string, Field> = {
  serversscheme: { t: 'string' },
  serverstransport: { t: 'string' },
  passhostheader: { t: 'bool' },
  middlewares: { t: 'strings' },
  sticky: {
    t: 'struct',
    allowEmpty: true,
    fields: {
      cookie: {
        t: 'struct',
        allowEmpty: true,
        fields: {
          name: { t: 'string' },
          secure: { t: 'bool' },
          httponly: { t: 'bool' },
          samesite: { t: 'string' },
          maxage: { t: 'int' },
          path: { t: 'string' },
          domain: { t: 'string' },
          expires: { t: 'ignored' },
        },
      },
    },
  },
  nativelb: { t: 'bool' },
  nodeportlb: { t: 'bool' },
};

interface Node {
  name: string;
  value?: string;
  /** The annotation key that gave the value. */
  key?: string;
  children: Node[];
}

type Decoded = { [field: string]: string | string[] | number | boolean | Decoded | Decoded[] };

interface DecodeResult {
  /** The decoded fields (lower-case names); undefined when no key of the section is present. */
  value?: Decoded;
  /** Why Traefik refused the annotations, with the key at fault. */
  error?: { key: string; message: string };
  /** Annotation key of each leaf, by lower-case dotted path (`router.tls.domains[0].main`). */
  keys: Map<string, string>;
}

/** Go regexp annotationsRegex of annotations.go: `a.b.0.c` -> `a.b[0].c` (last match). */
const INDEXED = /^(.+)\.(\w+)\.(\d+)\.(.+)$/;

function decode(annotations: Record<string, string>, section: 'router' | 'service'): DecodeResult {
  const keys = new Map<string, string>();
  const labels: { label: string; key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(TRAEFIK_PREFIX) || typeof value !== 'string') continue;
    const label = `traefik.${key.slice(TRAEFIK_PREFIX.length)}`.replace(INDEXED, '$1.$2[$3].$4');
    if (label.toLowerCase().startsWith(`traefik.${section}.`)) labels.push({ label, key, value });
  }
  if (labels.length === 0) return { keys };
  labels.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const root: Node = { name: section, children: [] };
  for (const { label, key, value } of labels) {
    const parts: string[] = [];
    for (const p of label.split('.').slice(2)) {
      if (p === '') return { keys, error: { key, message: `the key has an empty element` } };
      const bracket = p.indexOf('[');
      if (p.endsWith(']') && bracket > 0) parts.push(p.slice(0, bracket), p.slice(bracket));
      else parts.push(p);
    }
    let node = root;
    for (const p of parts) {
      let child = node.children.find((c) => c.name.toLowerCase() === p.toLowerCase());
      if (!child) node.children.push((child = { name: p, children: [] }));
      node = child;
    }
    node.value = value;
    node.key = key;
  }
  const firstKey = (n: Node): string => n.key ?? (n.children[0] ? firstKey(n.children[0]) : '');
  const fill = (fields: Record<string, Field>, nodes: Node[], path: string): Decoded | { error: { key: string; message: string } } => {
    const out: Decoded = {};
    for (const n of nodes) {
      const name = n.name.toLowerCase();
      const f = fields[name];
      const at = `${path}.${name}`;
      if (!f) return { error: { key: firstKey(n), message: `"${n.name}" is not a field Traefik knows (field not found)` } };
      if (f.t === 'ignored') continue;
      if (f.t === 'struct' || f.t === 'structs') {
        if (f.t === 'struct') {
          if (n.value !== undefined && n.value !== '' && n.value.toLowerCase() !== 'true') {
            if (n.key) keys.set(at, n.key);
            continue; // disabled
          }
          if (n.key) keys.set(at, n.key);
          const inner = fill(f.fields, n.children, at);
          if ('error' in inner) return inner;
          out[name] = inner as Decoded;
        } else {
          const list: Decoded[] = [];
          for (const c of n.children) {
            const inner = fill(f.fields, c.children, `${at}${c.name}`);
            if ('error' in inner) return inner;
            list.push(inner as Decoded);
          }
          out[name] = list;
        }
        continue;
      }
      if (n.children.length > 0) return { error: { key: firstKey(n.children[0]!), message: `"${n.name}" has no sub-fields` } };
      const v = n.value ?? '';
      if (n.key) keys.set(at, n.key);
      if (f.t === 'string') out[name] = v;
      else if (f.t === 'strings') {
        if (v !== '') out[name] = v.split(',').map((x) => x.trim());
      } else if (f.t === 'int') {
        if (!/^[+-]?\d+$/.test(v) || Math.abs(Number(v)) > Number.MAX_SAFE_INTEGER) return { error: { key: n.key ?? '', message: `"${v}" is not a whole number` } };
        out[name] = Number(v);
      } else {
        const b = parseGoBool(v);
        if (b === undefined) return { error: { key: n.key ?? '', message: `"${v}" is not a boolean` } };
        out[name] = b;
      }
    }
    return out;
  };
  const value = fill(section === 'router' ? ROUTER : SERVICE, root.children, section);
  if ('error' in value) return { keys, error: value.error as { key: string; message: string } };
  return { keys, value };
}


export interface RouterSettings {
  pathMatcher?: string;
  entryPoints?: string[];
  middlewares?: string[];
  priority?: number;
  ruleSyntax?: string;
  /** Present when the routers are TLS routers. */
  tls?: { options?: string; certResolver?: string; domains: { main?: string; sans?: string[] }[] };
}

export interface ServiceSettings {
  serversScheme?: string;
  serversTransport?: string;
  passHostHeader?: boolean;
  middlewares?: string[];
  sticky?: { cookie?: { name?: string; secure?: boolean; httpOnly?: boolean; sameSite?: string; maxAge?: number; path?: string; domain?: string } };
  nativeLB?: boolean;
  nodePortLB?: boolean;
}

const s = (d: Decoded | undefined, k: string): string | undefined => (d && typeof d[k] === 'string' ? (d[k] as string) : undefined);
const n = (d: Decoded | undefined, k: string): number | undefined => (d && typeof d[k] === 'number' ? (d[k] as number) : undefined);
const b = (d: Decoded | undefined, k: string): boolean | undefined => (d && typeof d[k] === 'boolean' ? (d[k] as boolean) : undefined);
const l = (d: Decoded | undefined, k: string): string[] | undefined => (d && Array.isArray(d[k]) && (d[k] as unknown[]).every((x) => typeof x === 'string') ? (d[k] as string[]) : undefined);
const o = (d: Decoded | undefined, k: string): Decoded | undefined => (d && typeof d[k] === 'object' && !Array.isArray(d[k]) ? (d[k] as Decoded) : undefined);

function defined<T extends object>(x: T): T {
  for (const k of Object.keys(x) as (keyof T)[]) if (x[k] === undefined) delete x[k];
  return x;
}

export function readRouterSettings(annotations: Record<string, string>): { settings?: RouterSettings; error?: { key: string; message: string }; keys: Map<string, string> } {
  const r = decode(annotations, 'router');
  if (r.error) return { error: r.error, keys: r.keys };
  if (!r.value) return { keys: r.keys };
  const d = r.value;
  const settings: RouterSettings = defined({
    pathMatcher: s(d, 'pathmatcher'),
    entryPoints: l(d, 'entrypoints'),
    middlewares: l(d, 'middlewares'),
    priority: n(d, 'priority'),
    ruleSyntax: s(d, 'rulesyntax'),
  });
  const tls = o(d, 'tls');
  if (tls) {
    const domains = Array.isArray(tls.domains) ? (tls.domains as Decoded[]).map((x) => defined({ main: s(x, 'main'), sans: l(x, 'sans') })) : [];
    settings.tls = defined({ options: s(tls, 'options'), certResolver: s(tls, 'certresolver'), domains });
  }
  return { settings, keys: r.keys };
}

export function readServiceSettings(annotations: Record<string, string>): { settings?: ServiceSettings; error?: { key: string; message: string }; keys: Map<string, string> } {
  const r = decode(annotations, 'service');
  if (r.error) return { error: r.error, keys: r.keys };
  if (!r.value) return { keys: r.keys };
  const d = r.value;
  const settings: ServiceSettings = defined({
    serversScheme: s(d, 'serversscheme'),
    serversTransport: s(d, 'serverstransport'),
    passHostHeader: b(d, 'passhostheader'),
    middlewares: l(d, 'middlewares'),
    nativeLB: b(d, 'nativelb'),
    nodePortLB: b(d, 'nodeportlb'),
  });
  const sticky = o(d, 'sticky');
  if (sticky) {
    const c = o(sticky, 'cookie');
    settings.sticky = c
      ? { cookie: defined({ name: s(c, 'name'), secure: b(c, 'secure'), httpOnly: b(c, 'httponly'), sameSite: s(c, 'samesite'), maxAge: n(c, 'maxage'), path: s(c, 'path'), domain: s(c, 'domain') }) }
      : {};
  }
  return { settings, keys: r.keys };
}
