/**
 * Validates emitted Gateway API objects against the JSON Schemas generated from the upstream CRDs
 * (schemas/gateway-api, see scripts/gen-schemas.mjs) and against the hand-written CEL rules
 * (./cel.ts). Core code: no Node-specific imports; the schemas are passed in (see
 * src/cli/load-schemas.ts).
 *
 * Channel handling: with channel 'standard' an object must satisfy the standard schema. When it
 * does not, it is also checked against the experimental schema of the same apiVersion/kind; every
 * standard-schema error that the experimental schema does not share (an experimental-only field or
 * enum value, a looser limit, an experimental-only kind or version) is reported with rule
 * 'channel', the rest with rule 'schema'.
 *
 * Schemas are compiled lazily, once per apiVersion/kind and channel, and cached.
 */
import { Ajv, type ErrorObject, type FuncKeywordDefinition, type ValidateFunction } from 'ajv';
import { celIssues, isIPv4, isIPv6 } from './cel.js';

export type Channel = 'standard' | 'experimental';
export interface ValidationIssue {
  path: string;
  message: string;
  rule: 'schema' | 'cel' | 'channel';
}
/** Key: `${apiVersion}/${kind}`, e.g. 'gateway.networking.k8s.io/v1/HTTPRoute'. */
export interface SchemaSet {
  standard: Record<string, object>;
  experimental: Record<string, object>;
}
export interface Validator {
  validate(obj: unknown): ValidationIssue[];
}

const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Custom keyword emitted for `x-kubernetes-list-type: map`: the key tuple must be unique. */
const listMapKeys: FuncKeywordDefinition = {
  keyword: 'listMapKeys',
  type: 'array',
  schemaType: 'array',
  errors: true,
  validate: function validateListMapKeys(keys: string[], data: unknown[]): boolean {
    const seen = new Set<string>();
    const errors: Array<Partial<ErrorObject>> = [];
    data.forEach((item, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return;
      const tuple: Record<string, unknown> = {};
      for (const k of keys) tuple[k] = (item as Record<string, unknown>)[k];
      const id = JSON.stringify(tuple);
      if (seen.has(id)) errors.push({ keyword: 'listMapKeys', message: `Duplicate value: ${id}`, params: { index } });
      seen.add(id);
    });
    (validateListMapKeys as { errors?: Array<Partial<ErrorObject>> }).errors = errors;
    return errors.length === 0;
  },
};

function newAjv(): Ajv {
  return new Ajv({
    allErrors: true,
    strict: true,
    // The schemas are large and validated once per object: skip ajv's code optimisation passes,
    // which cost compile time and gain little here.
    code: { optimize: false },
    formats: {
      ipv4: (s: string) => isIPv4(s),
      ipv6: (s: string) => isIPv6(s),
      'date-time': (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s.toUpperCase())),
    },
    keywords: [listMapKeys],
  });
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** JSON pointer -> `spec.rules[0].filters[1]`; walks `data` so numeric object keys stay keys. */
function toPath(pointer: string, data: unknown): string {
  if (pointer === '') return '';
  let out = '';
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(tok)) {
      out += `[${tok}]`;
      cur = cur[Number(tok)];
    } else {
      out += IDENT.test(tok) ? (out === '' ? tok : `.${tok}`) : `[${JSON.stringify(tok)}]`;
      cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[tok] : undefined;
    }
  }
  return out;
}

function child(path: string, key: string): string {
  if (IDENT.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function valueAt(pointer: string, data: unknown): unknown {
  let cur = data;
  if (pointer === '') return cur;
  for (const raw of pointer.slice(1).split('/')) {
    const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[tok] : undefined;
  }
  return cur;
}

/**
 * Drops errors nested under a failed oneOf/anyOf (they are folded into its message), so each
 * remaining error is one problem.
 */
function topLevelErrors(errors: ErrorObject[]): { kept: ErrorObject[]; nested: Map<ErrorObject, ErrorObject[]> } {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const nested = new Map<ErrorObject, ErrorObject[]>();
  const inside = new Set<ErrorObject>();
  for (const c of combinators) {
    const prefix = `${c.schemaPath}/`;
    const subs = errors.filter((e) => e !== c && e.schemaPath.startsWith(prefix));
    subs.forEach((e) => inside.add(e));
    nested.set(c, subs);
  }
  return { kept: errors.filter((e) => !inside.has(e)), nested };
}

/** Identity of an error for comparing the standard and experimental results. */
function errorKey(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const detail = p['missingProperty'] ?? p['additionalProperty'] ?? p['index'] ?? (e.keyword === 'uniqueItems' ? `${p['i']}/${p['j']}` : '');
  return `${e.instancePath}|${e.keyword}|${String(detail)}`;
}

interface Described {
  path: string;
  message: string;
  /** The field or value the channel message names. */
  subject: string;
}

function describe(e: ErrorObject, data: unknown, nested: Map<ErrorObject, ErrorObject[]>): Described {
  const base = toPath(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const path = child(base, String(p['missingProperty']));
      return { path, message: 'Required value', subject: `field ${path}` };
    }
    case 'additionalProperties': {
      const path = child(base, String(p['additionalProperty']));
      return { path, message: `unknown field "${String(p['additionalProperty'])}"`, subject: `field ${path}` };
    }
    case 'enum': {
      const value = JSON.stringify(valueAt(e.instancePath, data));
      const allowed = (Array.isArray(p['allowedValues']) ? p['allowedValues'] : []).map((v) => JSON.stringify(v)).join(', ');
      return { path: base, message: `Unsupported value: ${value}: supported values: ${allowed}`, subject: `value ${value} of ${base}` };
    }
    case 'listMapKeys':
    case 'uniqueItems': {
      const index = e.keyword === 'uniqueItems' ? Math.max(Number(p['i']), Number(p['j'])) : Number(p['index']);
      const path = `${base}[${index}]`;
      const message =
        e.keyword === 'uniqueItems' ? `Duplicate value: ${JSON.stringify(valueAt(`${e.instancePath}/${index}`, data))}` : (e.message ?? 'Duplicate value');
      return { path, message, subject: path };
    }
    case 'oneOf':
    case 'anyOf': {
      // One clause per branch, from the errors directly under it (inner combinators describe
      // their own nested errors).
      const prefix = `${e.schemaPath}/`;
      const subs = nested.get(e) ?? [];
      const innerCombinators = subs.filter((s) => s.keyword === 'oneOf' || s.keyword === 'anyOf');
      const direct = subs.filter((s) => !innerCombinators.some((c) => s !== c && s.schemaPath.startsWith(`${c.schemaPath}/`)));
      const branches = new Map<string, string[]>();
      for (const s of direct) {
        const branch = s.schemaPath.slice(prefix.length).split('/')[0] ?? '';
        const d = describe(s, data, nested);
        const text = d.path === base ? d.message : `${d.path.startsWith(`${base}.`) ? d.path.slice(base.length + 1) : d.path}: ${d.message}`;
        branches.set(branch, [...(branches.get(branch) ?? []), text]);
      }
      const detail = [...branches.entries()].map(([b, texts]) => `#${b}: ${[...new Set(texts)].join(', ')}`).join('; ');
      return { path: base, message: `${e.message ?? e.keyword}${detail === '' ? '' : ` (${detail})`}`, subject: base };
    }
    default:
      return { path: base, message: e.message ?? e.keyword, subject: base || 'the object' };
  }
}

function schemaIssues(errors: ErrorObject[], data: unknown): ValidationIssue[] {
  const { kept, nested } = topLevelErrors(errors);
  return kept.map((e) => {
    const d = describe(e, data, nested);
    return { path: d.path, message: d.message, rule: 'schema' as const };
  });
}

/** Orders paths naturally: spec.rules[2] before spec.rules[10]. */
function comparePaths(a: string, b: string): number {
  const ta = a.split(/(\d+)/);
  const tb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i] ?? '';
    const y = tb[i] ?? '';
    if (x === y) continue;
    if (i % 2 === 1) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.rule}\u0000${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createValidator(schemas: SchemaSet, channel: Channel): Validator {
  const ajv = newAjv();
  const cache = new Map<string, ValidateFunction>();
  const compiled = (ch: Channel, key: string): ValidateFunction | undefined => {
    const schema = schemas[ch][key];
    if (schema === undefined) return undefined;
    const id = `${ch}:${key}`;
    let fn = cache.get(id);
    if (fn === undefined) {
      fn = ajv.compile(schema);
      cache.set(id, fn);
    }
    return fn;
  };

  const validate = (obj: unknown): ValidationIssue[] => {
    if (!isRecord(obj)) return [{ path: '', message: 'expected a Kubernetes object (a mapping with apiVersion and kind)', rule: 'schema' }];
    const apiVersion = obj['apiVersion'];
    const kind = obj['kind'];
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return [{ path: typeof apiVersion !== 'string' ? 'apiVersion' : 'kind', message: 'apiVersion and kind must be strings', rule: 'schema' }];
    }
    const key = `${apiVersion}/${kind}`;
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const own = compiled(channel, key);
    if (own === undefined) {
      if (channel === 'standard' && schemas.experimental[key] !== undefined) {
        return [{ path: 'kind', message: `${kind} ${apiVersion} is only available in the experimental channel; it needs --channel experimental`, rule: 'channel' }];
      }
      return [{ path: 'kind', message: `unknown apiVersion/kind: ${apiVersion} ${kind} (not a Gateway API ${channel} channel kind)`, rule: 'schema' }];
    }

    const issues: ValidationIssue[] = [];
    if (!own(obj)) {
      const errors = own.errors ?? [];
      const exp = channel === 'standard' ? compiled('experimental', key) : undefined;
      if (exp === undefined) {
        issues.push(...schemaIssues(errors, obj));
      } else {
        exp(obj);
        const expKeys = new Set((exp.errors ?? []).map(errorKey));
        const { kept, nested } = topLevelErrors(errors);
        for (const e of kept) {
          const d = describe(e, obj, nested);
          if (expKeys.has(errorKey(e))) {
            issues.push({ path: d.path, message: d.message, rule: 'schema' });
          } else {
            const message =
              e.keyword === 'additionalProperties' || e.keyword === 'enum'
                ? `${d.subject} is only valid in the experimental channel; it needs --channel experimental`
                : `${d.subject}: ${d.message} in the standard channel; the experimental channel accepts it (needs --channel experimental)`;
            issues.push({ path: d.path, message, rule: 'channel' });
          }
        }
      }
    }
    try {
      issues.push(...celIssues(obj, group, kind, channel));
    } catch (err) {
      // celIssues is written defensively; this is a last resort so garbage input never crashes.
      issues.push({ path: '', message: `internal error while checking CEL rules: ${err instanceof Error ? err.message : String(err)}`, rule: 'cel' });
    }
    // Stable sort: by path; for one path, schema/channel issues keep their place before CEL ones.
    return dedupe(issues).sort((a, b) => comparePaths(a.path, b.path));
  };

  return { validate };
}
