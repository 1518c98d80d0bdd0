/** Naming helpers: stable, valid Kubernetes names derived from source names and hosts. */

const DNS_SUBDOMAIN_MAX = 253;

/** FNV-1a, 32 bit, as 7 base-36 characters: a short stable suffix for shortened names. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** Turns any string into a DNS-1123 subdomain (lowercase alnum, '-' and '.'), at most `max` long. */
export function toDnsSubdomain(s: string, max = DNS_SUBDOMAIN_MAX): string {
  let out = s
    .toLowerCase()
    .replace(/\*/g, 'wildcard')
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-*\.-*/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '');
  if (out === '') out = 'x';
  if (out.length > max) {
    const hash = shortHash(s);
    out = out.slice(0, max - hash.length - 1).replace(/[.-]+$/, '') + '-' + hash;
  }
  return out;
}

/** A DNS-1123 label (no dots), at most 63 characters. */
export function toDnsLabel(s: string): string {
  return toDnsSubdomain(s.replace(/\./g, '-'), 63);
}

/** The slug of a hostname for use inside names: `*.example.com` -> `wildcard.example.com`. */
export function hostSlug(host: string): string {
  return host === '' ? 'any-host' : toDnsSubdomain(host);
}

/** Hands out unique names per (kind, namespace): the first asker keeps the name, later ones get -2, -3... */
export class NameRegistry {
  private readonly used = new Set<string>();

  claim(kind: string, namespace: string, wanted: string): string {
    const base = toDnsSubdomain(wanted);
    let name = base;
    for (let n = 2; this.used.has(`${kind}/${namespace}/${name}`); n++) {
      name = toDnsSubdomain(`${base}-${n}`);
    }
    this.used.add(`${kind}/${namespace}/${name}`);
    return name;
  }
}
