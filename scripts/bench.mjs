#!/usr/bin/env node
/**
 * Performance check for `gateway-shift convert` (run with `npm run bench`, which builds dist/
 * first and starts this script with --expose-gc).
 *
 * Input: a deterministic (seeded PRNG) multi-document YAML stream of 10,000 ingress-nginx
 * Ingresses over 100 namespaces (1-3 hosts each, 1-4 paths per host of all three pathTypes,
 * some TLS, some named ports, some nginx annotations) plus one Service per backend.
 *
 * Measures
 *   1. in process, 5 alternating runs each after one warm-up of both, median:
 *      baseline = yaml.parseAllDocuments + toJS + yaml.stringify of every document;
 *      convert  = parseSource + convert (real validator) + serializeObjects of the output;
 *   2. peak RSS of a child process running the CLI end to end on the input written to a temp
 *      file (stdout and stderr to /dev/null). GNU `/usr/bin/time -f %M -o <file>` when it works;
 *      otherwise the child is started with `--import data:text/javascript,...`, a module that
 *      writes `process.resourceUsage().maxRSS` (KiB) to a file at exit;
 *   3. start-up: median wall time of 10 alternating runs of `node bin/gateway-shift.js --version`
 *      and `node -e 0`;
 *   4. reading from a cluster: the same objects served by the local test API server
 *      (test/cluster/kube-api-server.mjs, TLS and a bearer token, in this process); median wall
 *      time of 3 runs of `gateway-shift convert --from-cluster -A` in a child process (pages of
 *      500: the default --chunk-size), alternating with 3 runs of the CLI on the input file, so
 *      that both see the same machine; and the peak RSS of the --from-cluster run.
 *
 * Targets (exit 1 when one is missed): convert/baseline <= 1.5, peak RSS < 400 MB,
 * start-up ratio <= 3.
 *
 * Options: --ingresses N (default 10000), --write FILE (save the generated input and exit),
 * --no-cluster (skip 4), --cluster-only (only 4).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments, stringify } from 'yaml';

import { parseSource } from '../dist/inputs/parse.js';
import { convert } from '../dist/convert.js';
import { buildConvertOptions, serializeObjects } from '../dist/cli/convert-command.js';
import { createValidator } from '../dist/validate/validator.js';
import { loadSchemas } from '../dist/cli/load-schemas.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'gateway-shift.js');

const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 400;
const TARGET_STARTUP_RATIO = 3;
const RUNS = 5;
const STARTUP_RUNS = 10;
const CLUSTER_RUNS = 3;

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

// ---------------------------------------------------------------------------------------------
// input generation

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['api', 'web', 'shop', 'auth', 'admin', 'static', 'billing', 'search', 'media', 'docs', 'status', 'grafana', 'metrics', 'cart', 'users'];
const SEGMENTS = ['v1', 'v2', 'api', 'static', 'assets', 'login', 'logout', 'health', 'orders', 'items', 'img', 'graphql', 'ws', 'public', 'internal'];
const PORT_NAMES = ['http', 'web', 'grpc-web', 'api'];
const ANNOTATIONS = [
  ['nginx.ingress.kubernetes.io/proxy-body-size', '8m'],
  ['nginx.ingress.kubernetes.io/ssl-redirect', '"true"'],
  ['nginx.ingress.kubernetes.io/proxy-read-timeout', '"120"'],
  ['nginx.ingress.kubernetes.io/enable-cors', '"true"'],
  ['cert-manager.io/cluster-issuer', 'letsencrypt'],
  ['external-dns.alpha.kubernetes.io/hostname', 'placeholder'],
];

/** @returns {{ text: string, ingresses: number, services: number, documents: number }} */
export function generateInput(n = 10000, namespaces = 100, seed = 20260101) {
  const rnd = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const docs = [];
  let services = 0;
  for (let i = 0; i < n; i++) {
    const ns = `team-${i % namespaces}`;
    const app = `${pick(WORDS)}-${i}`;
    const hostCount = int(1, 3);
    const hosts = [];
    for (let h = 0; h < hostCount; h++) hosts.push(`${h === 0 ? app : `${pick(WORDS)}-${h}`}.${ns}.example.com`);
    const svcPorts = new Map(); // service name -> { name, port, targetPort }
    const rules = [];
    for (const host of hosts) {
      const pathCount = int(1, 4);
      const seen = new Set();
      const paths = [];
      for (let p = 0; p < pathCount; p++) {
        const typeRoll = rnd();
        const pathType = typeRoll < 0.55 ? 'Prefix' : typeRoll < 0.8 ? 'ImplementationSpecific' : 'Exact';
        let path = p === 0 && rnd() < 0.6 ? '/' : '/' + Array.from({ length: int(1, 3) }, () => pick(SEGMENTS)).join('/');
        if (path !== '/' && rnd() < 0.15) path += '/';
        if (seen.has(path)) continue;
        seen.add(path);
        const svc = `${app}-${pick(['api', 'web', 'worker', 'frontend'])}`;
        let info = svcPorts.get(svc);
        if (!info) svcPorts.set(svc, (info = { name: pick(PORT_NAMES), port: pick([80, 8080, 3000, 9090]), targetPort: int(8000, 8999) }));
        const port = rnd() < 0.35 ? `              name: ${info.name}` : `              number: ${info.port}`;
        paths.push(`      - path: ${path}
        pathType: ${pathType}
        backend:
          service:
            name: ${svc}
            port:
${port}`);
      }
      rules.push(`  - host: ${host}
    http:
      paths:
${paths.join('\n')}`);
    }
    const annotations = [];
    if (rnd() < 0.4) {
      const k = int(1, 3);
      const chosen = new Set();
      for (let a = 0; a < k; a++) chosen.add(int(0, ANNOTATIONS.length - 1));
      for (const a of [...chosen].sort()) {
        const [key, value] = ANNOTATIONS[a];
        annotations.push(`    ${key}: ${value === 'placeholder' ? hosts[0] : value}`);
      }
    }
    let tls = '';
    if (rnd() < 0.35) {
      const tlsHosts = hosts.filter(() => rnd() < 0.8);
      if (tlsHosts.length === 0) tlsHosts.push(hosts[0]);
      tls = `  tls:
  - hosts:
${tlsHosts.map((h) => `    - ${h}`).join('\n')}
    secretName: ${app}-tls
`;
    }
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
    app.kubernetes.io/part-of: ${ns}
${annotations.length ? `  annotations:\n${annotations.join('\n')}\n` : ''}spec:
  ingressClassName: nginx
${tls}  rules:
${rules.join('\n')}
`);
    for (const [svc, info] of svcPorts) {
      services++;
      docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${svc}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  selector:
    app.kubernetes.io/name: ${app}
  ports:
  - name: ${info.name}
    port: ${info.port}
    targetPort: ${info.targetPort}
    protocol: TCP
  - name: metrics
    port: 9100
    targetPort: 9100
`);
    }
  }
  return { text: docs.join('---\n'), ingresses: n, services, documents: docs.length };
}

// ---------------------------------------------------------------------------------------------
// measurement helpers

function gc() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn) {
  gc();
  const t0 = performance.now();
  const out = fn();
  return { ms: performance.now() - t0, out };
}

function baseline(text) {
  const docs = parseAllDocuments(text);
  const list = 'empty' in docs ? [] : docs;
  let bytes = 0;
  for (const d of list) bytes += stringify(d.toJS()).length;
  return { documents: list.length, bytes };
}

function makeConverter() {
  const validator = createValidator(loadSchemas(), 'standard');
  const opts = buildConvertOptions({}, 'bench');
  return (text) => {
    const parsed = parseSource(text, 'bench.yaml');
    const result = convert(parsed.documents, opts, validator);
    const out = serializeObjects(result.objects, 'yaml');
    return { documents: parsed.documents.length, objects: result.objects.length, findings: result.findings.length, invalid: result.stats.invalidObjects, bytes: out.length };
  };
}

function run(args, extra = {}) {
  return spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'], ...extra });
}

/** Peak RSS in KiB of `node bin/gateway-shift.js convert <file>`, and how it was measured. */
function childPeakRss(file, dir) {
  const out = join(dir, 'maxrss.txt');
  const gnuTime = '/usr/bin/time';
  if (existsSync(gnuTime)) {
    const probe = spawnSync(gnuTime, ['-f', '%M', '-o', out, process.execPath, '-e', '0'], { stdio: 'ignore' });
    if (probe.status === 0 && /^\d+\s*$/.test(readFileSync(out, 'utf8'))) {
      const r = spawnSync(gnuTime, ['-f', '%M', '-o', out, process.execPath, BIN, 'convert', file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'] });
      const kib = Number(/(\d+)\s*$/.exec(readFileSync(out, 'utf8'))?.[1]);
      return { kib, status: r.status, method: '/usr/bin/time -f %M' };
    }
  }
  const hook = `import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(out)},String(process.resourceUsage().maxRSS)));`;
  const r = run(['--import', `data:text/javascript,${encodeURIComponent(hook)}`, BIN, 'convert', file]);
  return { kib: Number(readFileSync(out, 'utf8')), status: r.status, method: 'process.resourceUsage().maxRSS via --import' };
}

/** Runs the CLI without blocking this process (which serves the test API server). */
function runAsync(args, nodeArgs = []) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (tail = (tail + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, ms: performance.now() - t0, lastLine: tail.trim().split('\n').at(-1) ?? '' }));
  });
}

/** The input's objects served by the test API server, read and converted by the CLI. */
async function clusterBench(text) {
  const { startKubeApiServer, writeKubeconfig } = await import('../test/cluster/kube-api-server.mjs');
  const objects = parseAllDocuments(text).map((d) => d.toJS());
  const server = await startKubeApiServer({ objects });
  const dir = mkdtempSync(join(tmpdir(), 'gateway-shift-bench-cluster-'));
  try {
    const file = join(dir, 'input.yaml');
    writeFileSync(file, text);
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), [server.kubeconfigEntry({ context: 'bench' })]);
    const args = ['convert', '--from-cluster', '-A', '--kubeconfig', kubeconfig];
    // Warm-up (also checks it works), measuring the peak RSS of the child at its exit.
    const rssFile = join(dir, 'maxrss.txt');
    const hook = `import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)));`;
    const first = await runAsync(args, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`]);
    if (first.status !== 0 && first.status !== 1) throw new Error(`convert --from-cluster exited with ${first.status}: ${first.lastLine}`);
    const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    const pages = server.requests.filter((q) => q.query.limit === '500').length;
    const runs = [];
    const fileRuns = [];
    for (let i = 0; i < CLUSTER_RUNS; i++) {
      fileRuns.push((await runAsync(['convert', file])).ms);
      runs.push((await runAsync(args)).ms);
    }
    return { ms: median(runs), runs, fileMs: median(fileRuns), fileRuns, pages, rssMb, summary: first.lastLine };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const n = Number(arg('--ingresses', '10000'));
  const input = generateInput(n);
  const writeTo = arg('--write', undefined);
  if (writeTo) {
    writeFileSync(writeTo, input.text);
    console.log(`wrote ${writeTo}: ${input.ingresses} Ingresses, ${input.services} Services, ${(input.text.length / 1e6).toFixed(1)} MB`);
    return 0;
  }
  if (typeof globalThis.gc !== 'function') console.warn('(run with node --expose-gc for steadier figures)');
  console.log(`input: ${input.ingresses} Ingresses, ${input.services} Services, ${input.documents} documents, ${(input.text.length / 1e6).toFixed(1)} MB`);
  if (process.argv.includes('--cluster-only')) {
    const c = await clusterBench(input.text);
    console.log(`from cluster: ${c.summary}`);
    console.log(`CLI on the file (ms):   ${c.fileRuns.map((x) => x.toFixed(0)).join(' ')}`);
    console.log(`CLI from cluster (ms): ${c.runs.map((x) => x.toFixed(0)).join(' ')} (${c.pages} pages of 500 per run)`);
    console.log(`\nconvert FILE ${(c.fileMs / 1000).toFixed(1)} s; convert --from-cluster -A ${(c.ms / 1000).toFixed(1)} s, peak RSS ${c.rssMb.toFixed(0)} MB`);
    return 0;
  }

  const conv = makeConverter();
  // Warm-up (also compiles the schemas, which the CLI pays for too).
  const b0 = time(() => baseline(input.text));
  const c0 = time(() => conv(input.text));
  console.log(`warm-up: baseline ${b0.ms.toFixed(0)} ms, convert ${c0.ms.toFixed(0)} ms -> ${c0.out.objects} objects (${(c0.out.bytes / 1e6).toFixed(1)} MB), ${c0.out.findings} findings, ${c0.out.invalid} invalid`);
  const bt = [];
  const ct = [];
  for (let i = 0; i < RUNS; i++) {
    bt.push(time(() => baseline(input.text)).ms);
    ct.push(time(() => conv(input.text)).ms);
  }
  const bm = median(bt);
  const cm = median(ct);
  const ratio = cm / bm;
  console.log(`baseline runs (ms): ${bt.map((x) => x.toFixed(0)).join(' ')}`);
  console.log(`convert runs (ms):  ${ct.map((x) => x.toFixed(0)).join(' ')}`);

  const dir = mkdtempSync(join(tmpdir(), 'gateway-shift-bench-'));
  let rss;
  try {
    const file = join(dir, 'input.yaml');
    writeFileSync(file, input.text);
    rss = childPeakRss(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rssMb = rss.kib / 1024;
  // Exit 0 (clean) or 1 (findings at --fail-on) are both a completed run; anything else is not.
  const cliOk = rss.status === 0 || rss.status === 1;

  const vt = [];
  const nt = [];
  run([BIN, '--version']);
  run(['-e', '0']);
  for (let i = 0; i < STARTUP_RUNS; i++) {
    let t0 = performance.now();
    const v = run([BIN, '--version']);
    vt.push(performance.now() - t0);
    if (v.status !== 0) throw new Error(`gateway-shift --version exited with ${v.status}`);
    t0 = performance.now();
    run(['-e', '0']);
    nt.push(performance.now() - t0);
  }
  const vm = median(vt);
  const nm = median(nt);
  const startup = vm / nm;

  let cluster;
  if (!process.argv.includes('--no-cluster')) {
    cluster = await clusterBench(input.text);
    console.log(`from cluster: ${cluster.summary}`);
    console.log(`CLI on the file (ms):   ${cluster.fileRuns.map((x) => x.toFixed(0)).join(' ')}`);
    console.log(`CLI from cluster (ms): ${cluster.runs.map((x) => x.toFixed(0)).join(' ')} (${cluster.pages} pages of 500 per run)`);
  }

  const rows = [
    ['baseline (yaml parse+toJS+stringify)', `${bm.toFixed(0)} ms`, ''],
    ['convert (parse+convert+serialize)', `${cm.toFixed(0)} ms`, ''],
    ['convert / baseline', ratio.toFixed(2), `<= ${TARGET_RATIO}`, ratio <= TARGET_RATIO],
    [`CLI peak RSS (${rss.method}, exit ${rss.status})`, `${rssMb.toFixed(0)} MB`, `< ${TARGET_RSS_MB} MB`, rssMb < TARGET_RSS_MB && cliOk],
    ['node bin/gateway-shift.js --version', `${vm.toFixed(0)} ms`, ''],
    ['node -e 0', `${nm.toFixed(0)} ms`, ''],
    ['start-up ratio', startup.toFixed(2), `<= ${TARGET_STARTUP_RATIO}`, startup <= TARGET_STARTUP_RATIO],
    ...(cluster
      ? [
          ['CLI convert FILE', `${(cluster.fileMs / 1000).toFixed(1)} s`, ''],
          ['CLI convert --from-cluster -A (test API server)', `${(cluster.ms / 1000).toFixed(1)} s`, ''],
          ['peak RSS of convert --from-cluster -A', `${cluster.rssMb.toFixed(0)} MB`, ''],
        ]
      : []),
  ];
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['measure', 'value', 'target'][c].length));
  const line = (cells) => cells.map((c, i) => (i === 1 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ');
  console.log('');
  console.log(line(['measure', 'value', 'target']) + '  result');
  console.log(line(w.map((x) => '-'.repeat(x))) + '  ------');
  for (const r of rows) console.log(line(r.slice(0, 3)) + (r.length > 3 ? (r[3] ? '  ok' : '  MISSED') : ''));
  const missed = rows.filter((r) => r.length > 3 && !r[3]).length;
  if (c0.out.invalid > 0) console.log(`\nnote: ${c0.out.invalid} generated objects failed validation (core/invalid-output)`);
  console.log(missed ? `\n${missed} target(s) missed` : '\nall targets met');
  return missed ? 1 : 0;
}

// Importable (generateInput) without running the benchmark.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
