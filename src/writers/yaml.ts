/**
 * A fast YAML writer for the plain data objects the converter emits (maps, lists, strings,
 * numbers, booleans, null). It writes the same layout as the yaml library's `stringify` (block
 * style, two-space indent, indented sequences) about ten times faster, and is stricter about
 * quoting: every string a YAML 1.1 reader (kubectl's go-yaml) could read as something else
 * (`on`, `yes`, `0x1f`, `1_000`...) is double-quoted. Anything it does not handle, such as
 * multi-line strings, goes to the yaml library.
 */
import { stringify } from 'yaml';

/** Characters and shapes that are certainly a plain string in YAML 1.1 and 1.2. */
const PLAIN = /^[A-Za-z_/(][-A-Za-z0-9 _/.,=@+():*]*$/;
/** Words YAML 1.1 or 1.2 reads as booleans or null. */
const KEYWORD = /^(y|n|yes|no|on|off|true|false|null|~)$/i;

function quote(s: string): string {
  // JSON escapes are valid in YAML double quotes; YAML also wants DEL, C1 controls and BOM escaped.
  return JSON.stringify(s).replace(/[\u007f-\u009f\ufeff\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalarString(s: string): string {
  if (PLAIN.test(s) && !KEYWORD.test(s) && !s.includes(': ') && !s.endsWith(':') && !s.endsWith(' ') && !s.includes(' #')) return s;
  return quote(s);
}

class Unsupported extends Error {}

function scalar(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') {
    if (v.includes('\n')) throw new Unsupported();
    return scalarString(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new Unsupported();
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function entries(m: Record<string, unknown>): [string, unknown][] {
  return Object.entries(m).filter(([, v]) => v !== undefined);
}

/** Writes the entries of a map at `indent`; the first line's indent is supplied by the caller when `inline`. */
function writeMap(m: Record<string, unknown>, indent: string, out: string[], inline: boolean): void {
  let first = inline;
  for (const [k, v] of entries(m)) {
    const prefix = first ? '' : indent;
    first = false;
    const key = scalarString(k);
    if (isMap(v) && entries(v).length > 0) {
      out.push(`${prefix}${key}:\n`);
      writeMap(v, indent + '  ', out, false);
    } else if (Array.isArray(v) && v.length > 0) {
      out.push(`${prefix}${key}:\n`);
      writeSeq(v, indent + '  ', out, false);
    } else {
      out.push(`${prefix}${key}: ${collectionOrScalar(v)}\n`);
    }
  }
}

function writeSeq(a: readonly unknown[], indent: string, out: string[], inline: boolean): void {
  a.forEach((v, i) => {
    const prefix = inline && i === 0 ? '- ' : `${indent}- `;
    if (isMap(v) && entries(v).length > 0) {
      out.push(prefix);
      writeMap(v, indent + '  ', out, true);
    } else if (Array.isArray(v) && v.length > 0) {
      out.push(prefix);
      writeSeq(v, indent + '  ', out, true);
    } else {
      out.push(`${prefix}${collectionOrScalar(v)}\n`);
    }
  });
}

function collectionOrScalar(v: unknown): string {
  if (isMap(v)) return '{}';
  if (Array.isArray(v)) return '[]';
  return scalar(v);
}

/** One YAML document for `value`, ending in a newline. */
export function toYaml(value: unknown): string {
  try {
    const out: string[] = [];
    if (isMap(value) && entries(value).length > 0) writeMap(value, '', out, false);
    else if (Array.isArray(value) && value.length > 0) writeSeq(value, '', out, false);
    else out.push(`${collectionOrScalar(value)}\n`);
    return out.join('');
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  }
}
