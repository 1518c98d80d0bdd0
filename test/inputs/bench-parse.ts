/**
 * Benchmark (not a test): parseSource vs plain yaml on a generated 10,000-document stream.
 * Build and run: npx tsc -p tsconfig.json --noEmit false --outDir /tmp/gs-bench &&
 *   node --expose-gc /tmp/gs-bench/test/inputs/bench-parse.js [parseSource|yaml|both] [docs]
 * (run from the repository root so `yaml` resolves; /tmp/gs-bench needs node_modules access).
 */
import { parseAllDocuments } from 'yaml';
import { parseSource } from '../../src/inputs/parse.js';

export function generateIngresses(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app-${i}
  namespace: team-${i % 17}
  labels:
    app: app-${i}
    tier: web
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - app-${i}.example.com
    secretName: app-${i}-tls
  rules:
  - host: app-${i}.example.com
    http:
      paths:
      - path: /api(/|$)(.*)
        pathType: ImplementationSpecific
        backend:
          service:
            name: app-${i}-api
            port:
              number: 8080
      - path: /
        pathType: Prefix
        backend:
          service:
            name: app-${i}-web
            port:
              name: http
`);
  }
  return docs.join('---\n');
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function measure<T>(label: string, text: string, run: (t: string) => T): T {
  gc();
  const before = used();
  const t0 = performance.now();
  const result = run(text);
  const ms = performance.now() - t0;
  gc();
  const heapMiB = (used() - before) / 1048576;
  console.log(`${label}: ${ms.toFixed(0)} ms, heap+arrayBuffers retained ${heapMiB.toFixed(1)} MiB`);
  return result;
}

export function generateList(n: number): string {
  const items = generateIngresses(n)
    .split('---\n')
    .map((d) => '- ' + d.trimEnd().split('\n').join('\n  '));
  return `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
}

function locateSome(r: ReturnType<typeof parseSource>, count: number): void {
  const t0 = performance.now();
  const step = Math.max(1, Math.floor(r.documents.length / count));
  let n = 0;
  for (let i = 0; i < r.documents.length; i += step) {
    const d = r.documents[i]!;
    d.locate(['metadata', 'annotations', 'nginx.ingress.kubernetes.io/rewrite-target']);
    d.locate(['spec', 'rules', 0, 'http', 'paths', 1, 'backend', 'service', 'port', 'name']);
    n += 2;
  }
  console.log(`  locate: ${n} calls on ${Math.ceil(r.documents.length / step)} documents in ${(performance.now() - t0).toFixed(1)} ms`);
}

const mode = process.argv[2] ?? 'both';
const n = Number(process.argv[3] ?? 10000);
const shape = process.argv[4] === 'list' ? 'list' : 'stream';
const text = shape === 'list' ? generateList(n) : generateIngresses(n);
console.log(`${n} Ingresses as a ${shape}, ${text.split('\n').length} lines, ${(text.length / 1048576).toFixed(1)} MiB`);
if (mode === 'time') {
  // Alternating runs in one process; best of 5 each.
  const best = { yaml: Infinity, parseSource: Infinity };
  for (let i = 0; i < 5; i++) {
    let t0 = performance.now();
    parseAllDocuments(text).map((d) => d.toJS());
    best.yaml = Math.min(best.yaml, performance.now() - t0);
    t0 = performance.now();
    parseSource(text, 'bench.yaml');
    best.parseSource = Math.min(best.parseSource, performance.now() - t0);
  }
  console.log(`best of 5: yaml ${best.yaml.toFixed(0)} ms, parseSource ${best.parseSource.toFixed(0)} ms, ratio ${(best.parseSource / best.yaml).toFixed(2)}`);
}
if (mode === 'yaml' || mode === 'both') {
  const r = measure('yaml parseAllDocuments+toJS', text, (t) => parseAllDocuments(t).map((d) => d.toJS()));
  if (r.length === 0) throw new Error('nothing parsed');
}
if (mode === 'parseSource' || mode === 'both') {
  const r = measure('parseSource', text, (t) => parseSource(t, 'bench.yaml'));
  if (r.documents.length !== n) throw new Error(`expected ${n} documents, got ${r.documents.length}`);
  locateSome(r, 100);
}
