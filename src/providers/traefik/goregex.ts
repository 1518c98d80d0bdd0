/**
 * Go regular expressions (RE2 syntax, as Traefik compiles them with regexp.Compile) run in
 * JavaScript, for the regexes Traefik applies to paths and URLs. The common syntax is the same;
 * what differs is converted, and what cannot be is refused (undefined), so callers report it
 * instead of guessing.
 */

/** A JavaScript RegExp equivalent to the Go regex, or the reason there is none. */
export function goRegex(src: string): { re: RegExp } | { error: string } {
  let flags = '';
  let body = src;
  // A leading flag group applies to the whole regex: (?i), (?s), (?is)...
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if (lead[1]!.includes('U')) return { error: 'it uses the ungreedy flag (?U)' };
    for (const f of lead[1]!) if (!flags.includes(f)) flags += f;
    body = body.slice(lead[0].length);
  }
  if (/\(\?[imsU-]+[:)]/.test(body)) return { error: 'it sets flags in the middle of the expression' };
  if (/\[\[:\^?[a-z]+:\]/.test(body) || /\\[pP]\{/.test(body) || /\\Q/.test(body) || /\\C/.test(body)) return { error: 'it uses Go-only syntax (POSIX classes, Unicode classes or \\Q...\\E)' };
  body = body.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  // Go's `$` without (?m) is the end of the text, like JavaScript's without the m flag.
  try {
    return { re: new RegExp(body, flags) };
  } catch (e) {
    return { error: `it does not compile (${(e as Error).message})` };
  }
}

/** Go's regexp.Expand template syntax: $1, ${1}, $name, ${name}, $$ ($name takes the longest run of word characters). */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$' || i === template.length - 1) {
      out += c;
      continue;
    }
    const next = template[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        end = close;
      }
    } else {
      const w = /^\w+/.exec(template.slice(i + 1));
      if (w) {
        name = w[0];
        end = i + w[0].length;
      }
    }
    if (name === undefined) {
      out += c; // a malformed reference is copied as it is
      continue;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
    i = end;
  }
  return out;
}

/** Go's Regexp.ReplaceAllString: every non-overlapping match, empty matches next to a previous match ignored. */
export function goReplaceAll(re: RegExp, s: string, template: string): string {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let out = '';
  let last = 0;
  let prevEnd = -1;
  g.lastIndex = 0;
  for (;;) {
    const m = g.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      g.lastIndex = start + 1;
      if (start === prevEnd) {
        if (start >= s.length) break;
        continue;
      }
    }
    out += s.slice(last, start) + expand(template, m);
    last = end;
    prevEnd = end;
    if (end >= s.length && m[0].length === 0) break;
  }
  return out + s.slice(last);
}

/** Go's Regexp.MatchString (unanchored search). */
export function goMatch(re: RegExp, s: string): boolean {
  const r = new RegExp(re.source, re.flags.replace('g', ''));
  return r.test(s);
}
