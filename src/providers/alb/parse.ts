/**
 * Reading alb.ingress.kubernetes.io/* values the way the controller does (pkg/annotations/parser.go
 * at v3.5.0): strings as they are, comma lists trimmed without empty items, key=value maps with
 * escaped commas, Go's strconv for numbers and booleans, and encoding/json for JSON values, whose
 * field names match case-insensitively (`"RedirectConfig"` and `"redirectConfig"` alike).
 */
import type { IngressModel } from '../common/ingress-model.js';
import { annotationField } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { ALB_PREFIX } from './rules.js';

/** Go's strconv.ParseBool. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Go's strconv.ParseInt(v, 10, 32). */
export function parseInt32(v: string): number | undefined {
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

/** splitCommaSeparatedString: trimmed items, empty ones dropped. */
export function commaList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * ParseStringMapAnnotation: `k=v,k2=v2`, where a backslash escapes the next character and a comma
 * followed by text without `=` makes the value invalid. Returns undefined when the controller fails.
 */
export function stringMap(v: string): Map<string, string> | undefined {
  const pairs: string[] = [];
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\' && i + 1 < v.length) {
      cur += v[i + 1];
      i++;
    } else if (c === ',') {
      const rest = v.slice(i + 1).trim();
      if (rest.includes('=')) {
        pairs.push(cur.trim());
        cur = '';
      } else if (rest.length > 0) {
        pairs.push(cur.trim(), rest);
        cur = '';
        i = v.length;
      } else {
        cur += c;
      }
    } else {
      cur += c;
    }
  }
  if (cur.length > 0) pairs.push(cur.trim());
  const out = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 0) return undefined;
    const key = p.slice(0, eq).trim();
    if (key.length === 0) return undefined;
    out.set(key, p.slice(eq + 1).trim());
  }
  return out;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field of a JSON object as encoding/json finds it: the exact name, else a case-insensitive match. */
export function field(o: Record<string, Json>, name: string): Json | undefined {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

export function str(o: Record<string, Json>, name: string): string | undefined {
  const v = field(o, name);
  return typeof v === 'string' ? v : undefined;
}

export function strings(o: Record<string, Json>, name: string): string[] | undefined {
  const v = field(o, name);
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** JSON.parse that returns an error message instead of throwing. */
export function parseJson(v: string): { value: Json } | { error: string } {
  try {
    return { value: JSON.parse(v) as Json };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The alb.ingress.kubernetes.io/ values of one object (Ingress or Service), recording what was read. */
export class AlbAnnotations {
  constructor(
    private readonly annotations: Record<string, string>,
    private readonly consumed?: Set<string>,
  ) {}

  /** The raw value (the controller does not trim), or undefined. */
  get(suffix: string): string | undefined {
    const v = this.annotations[ALB_PREFIX + suffix];
    return typeof v === 'string' ? v : undefined;
  }

  has(suffix: string): boolean {
    return this.get(suffix) !== undefined;
  }

  /** Marks the key as translated (consumed): the core will not report it. */
  use(suffix: string): void {
    if (this.has(suffix)) this.consumed?.add(ALB_PREFIX + suffix);
  }
}

type Report = ProviderContext['report'];

/** Findings about one annotation of an Ingress, at its position. */
export function annotationReporter(ctx: ProviderContext, m: IngressModel) {
  return (suffix: string, f: { ruleId: string; severity: 'error' | 'warning' | 'info'; message: string; remediation?: string }): void => {
    const key = ALB_PREFIX + suffix;
    const finding: Parameters<Report>[0] = {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      field: annotationField(key),
      doc: m.doc,
      path: m.annotations[key] === undefined ? [] : ['metadata', 'annotations', key],
    };
    if (f.remediation) finding.remediation = f.remediation;
    ctx.report(finding);
  };
}
