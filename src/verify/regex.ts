/**
 * Regular expressions of the two worlds, run with JavaScript's engine: nginx's PCRE (location
 * regexes, canary header patterns) and the RE2 syntax Gateway API implementations use (Envoy:
 * a RegularExpression path or header match must match the WHOLE value). Constructs whose meaning
 * differs between the engines are refused (undefined), so that a model says "unknown" rather than
 * guessing. Also a small generator of strings a pattern matches, to build probes from regex paths.
 */

/** PCRE constructs JavaScript lacks or reads differently. */
const PCRE_ONLY = /\(\?[>|#P]|\(\?[a-z]*-|[*+?}]\+|\\[AZzGKRXhHvV]|\\[pP]\{|\[\[:|\\Q|\(\?\(|\(\*/;

function leadingFlags(pattern: string): { body: string; ignoreCase: boolean } | undefined {
  const m = /^\(\?([a-z]+)\)/.exec(pattern);
  if (!m) return { body: pattern, ignoreCase: false };
  if (!/^[i]+$/.test(m[1]!)) return undefined; // only case-insensitivity is understood
  return { body: pattern.slice(m[0].length), ignoreCase: true };
}

function compile(source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/**
 * A PCRE pattern as nginx uses it (search semantics: it may match anywhere unless anchored).
 * `ignoreCase` forces the i flag (`~*` locations, `(?i)` rewrites).
 */
export function pcre(pattern: string, ignoreCase = false): RegExp | undefined {
  const f = leadingFlags(pattern);
  if (!f || PCRE_ONLY.test(f.body) || /\(\?[a-z]/.test(f.body)) return undefined;
  return compile(f.body, ignoreCase || f.ignoreCase ? 'i' : '');
}

/** An RE2 pattern that must match the whole value (Envoy's safe_regex semantics). */
export function re2FullMatch(pattern: string): RegExp | undefined {
  const f = leadingFlags(pattern);
  if (!f) return undefined;
  // RE2 has no lookarounds or backreferences; refuse them rather than run them with JS's meaning.
  if (PCRE_ONLY.test(f.body) || /\(\?[=!<][^a-zA-Z]|\(\?<[=!]|\\[1-9]|\(\?[a-z]/.test(f.body)) return undefined;
  return compile(`^(?:${f.body.replace(/\(\?P</g, '(?<')})$`, f.ignoreCase ? 'i' : '');
}

// ---------------------------------------------------------------------------------------------
// A few strings a pattern matches (best effort; callers check them against the real regex).

type Node =
  | { t: 'lit'; c: string }
  | { t: 'set'; sample: string }
  | { t: 'alt'; alts: Node[][] }
  | { t: 'rep'; node: Node; min: number; max: number };

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  parseAlt(): Node[][] {
    const alts: Node[][] = [[]];
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ')') break;
      if (c === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      const atom = this.parseAtom();
      if (atom === null) continue;
      alts[alts.length - 1]!.push(this.parseQuantifier(atom));
    }
    return alts;
  }

  parseQuantifier(node: Node): Node {
    const c = this.s[this.i];
    let q: Node = node;
    if (c === '*') q = { t: 'rep', node, min: 0, max: 1 };
    else if (c === '+') q = { t: 'rep', node, min: 1, max: 1 };
    else if (c === '?') q = { t: 'rep', node, min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
      if (!m) return node;
      this.i += m[0].length - 1;
      const min = Number(m[1]);
      q = { t: 'rep', node, min, max: Math.max(min, 1) };
    } else return node;
    this.i++;
    if (this.s[this.i] === '?') this.i++; // lazy
    return q;
  }

  parseAtom(): Node | null {
    const c = this.s[this.i++]!;
    if (c === '^' || c === '$') return null;
    if (c === '.') return { t: 'set', sample: 'x' };
    if (c === '(') {
      if (this.s.startsWith('?:', this.i)) this.i += 2;
      else if (this.s.startsWith('?<', this.i)) this.i = this.s.indexOf('>', this.i) + 1;
      else if (this.s[this.i] === '?') throw new Error('unsupported group');
      const alts = this.parseAlt();
      if (this.s[this.i] !== ')') throw new Error('unbalanced');
      this.i++;
      return { t: 'alt', alts };
    }
    if (c === '[') {
      const end = this.s.indexOf(']', this.i + 1);
      if (end < 0) throw new Error('unbalanced class');
      const body = this.s.slice(this.i, end);
      this.i = end + 1;
      if (body.startsWith('^')) return { t: 'set', sample: /[^a-z]/.test(body.slice(1)) || body.length === 1 ? 'x' : '0' };
      const first = body.startsWith('\\') ? classEscape(body[1] ?? 'x') : body[0] ?? 'x';
      return { t: 'set', sample: first };
    }
    if (c === '\\') {
      const e = this.s[this.i++] ?? '';
      return { t: 'set', sample: classEscape(e) };
    }
    return { t: 'lit', c };
  }
}

function classEscape(e: string): string {
  switch (e) {
    case 'd':
      return '1';
    case 'w':
      return 'a';
    case 's':
      return ' ';
    case 'D':
    case 'W':
    case 'S':
      return '-';
    default:
      return e;
  }
}

function expand(nodes: Node[], limit: number): string[] {
  let acc = [''];
  for (const n of nodes) {
    const opts = expandNode(n, limit);
    const next: string[] = [];
    for (const a of acc) for (const o of opts) if (next.length < limit) next.push(a + o);
    acc = next;
  }
  return acc;
}

function expandNode(n: Node, limit: number): string[] {
  switch (n.t) {
    case 'lit':
      return [n.c];
    case 'set':
      return [n.sample];
    case 'alt':
      return n.alts.flatMap((a) => expand(a, limit)).slice(0, limit);
    case 'rep': {
      const inner = expandNode(n.node, limit);
      const out: string[] = [];
      for (let k = n.min; k <= n.max; k++) for (const s of inner) out.push(s.repeat(k));
      return [...new Set(out)].slice(0, limit);
    }
  }
}

/** Up to `limit` strings `pattern` (a search-semantics regex) should match; [] when unsure. */
export function samples(pattern: string, limit = 4): string[] {
  const f = leadingFlags(pattern);
  if (!f) return [];
  try {
    const p = new Parser(f.body);
    const alts = p.parseAlt();
    if (p.i !== f.body.length) return [];
    return [...new Set(alts.flatMap((a) => expand(a, limit)))].slice(0, limit);
  } catch {
    return [];
  }
}

/** Whether the path has regex syntax for nginx (anything but a plain path). */
export function hasRegexSyntax(path: string): boolean {
  return /[\\^$.*+?()[\]{}|]/.test(path.replace(/\.(?=[A-Za-z0-9_~-]|$|\/)/g, ''));
}
