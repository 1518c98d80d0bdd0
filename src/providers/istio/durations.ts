/**
 * Durations: Istio takes protobuf Durations, written like Go durations ("5s", "1.5s", "1m30s",
 * "100ms"); Gateway API takes at most four integer components of h, m, s and ms ("1m30s",
 * "1500ms", GEP-2257).
 */
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };

/** Milliseconds of a duration, or undefined when it is not one. */
export function parseDuration(s: string): number | undefined {
  const t = s.trim();
  if (t === '0') return 0;
  const re = /(\d+(?:\.\d+)?|\.\d+)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let n = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += parseFloat(m[1]!) * UNIT_MS[m[2]!]!;
    n++;
    if (re.lastIndex === t.length) break;
  }
  if (n === 0 || re.lastIndex !== t.length) return undefined;
  return total;
}

/** A Gateway API duration for a number of milliseconds (rounded up to a whole millisecond). */
export function formatDuration(msIn: number): string {
  let ms = Math.ceil(msIn);
  if (ms === 0) return '0s';
  const parts: string[] = [];
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const s = Math.floor(ms / 1000);
  ms -= s * 1000;
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (s) parts.push(`${s}s`);
  if (ms) parts.push(`${ms}ms`);
  return parts.join('');
}
