/**
 * `gateway-shift convert --from-cluster`: read each context's cluster, convert each on its own
 * (a cluster is its own set of load balancers), and print per cluster: on stdout with a
 * `# context: NAME` header, or into DIR/<context>/ with --output-dir. One report for the whole
 * run, grouped per cluster with a fleet summary. A cluster that cannot be read fails alone.
 * `scan --from-cluster` reads and converts through convertClusters too, adding its inventory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { convert } from '../convert.js';
import { countBySeverity, normalizeFindings, type Finding } from '../findings/finding.js';
import { clusterPosition } from '../inputs/cluster/document.js';
import type { ClusterInput, ClusterInputOptions } from '../inputs/cluster/index.js';
import type { KubeObject } from '../inputs/document.js';
import type { ClusterSummary } from '../reporters/types.js';
import type { Validator } from '../validate/validator.js';
import type { ConvertOptions, ConvertResult } from '../convert.js';
import { clusterInputOptions, type ClusterCliOptions } from './cluster-options.js';
import { UsageError } from './errors.js';
import { createProgress, type ProgressStream } from './progress.js';

export interface ClusterConversion {
  context: string;
  input: ClusterInput;
  objects: KubeObject[];
  findings: Finding[];
  ingresses: number;
}

export interface ClusterRun {
  conversions: ClusterConversion[];
  findings: Finding[];
  clusters: ClusterSummary[];
}

/** A folder name for a context: its name with anything but [A-Za-z0-9._@-] as "_", unique. */
export function contextFolder(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9._@-]/g, '_');
  if (base === '' || base === '.' || base === '..') base = `_${base}`;
  let folder = base;
  for (let i = 2; taken.has(folder.toLowerCase()); i++) folder = `${base}-${i}`;
  taken.add(folder.toLowerCase());
  return folder;
}

/**
 * The findings of one cluster: what reading it found, then the conversion's (none when it could
 * not be read). `scan` adds its inventory here.
 */
export type ClusterFindings = (input: ClusterInput, result: ConvertResult | undefined) => Finding[];

const conversionFindings: ClusterFindings = (input, result) => [...input.findings, ...(result?.findings ?? [])];

export async function convertClusters(
  o: ClusterCliOptions & { outputDir?: string; output?: string },
  opts: ConvertOptions,
  validator: () => Validator,
  env: {
    version: string;
    stderr?: ProgressStream;
    loadKubeconfig?: ClusterInputOptions['loadKubeconfig'];
    /** Without -n or -A: the context's namespace (convert, as kubectl) or all namespaces (scan). */
    defaultScope?: ClusterInputOptions['defaultScope'];
    findings?: ClusterFindings;
  },
): Promise<ClusterRun> {
  const input = clusterInputOptions(o, {
    defaultScope: env.defaultScope ?? 'context-namespace',
    userAgent: `gateway-shift/${env.version}`,
    ...(opts.parentRef ? { parentRef: { namespace: opts.parentRef.namespace, name: opts.parentRef.name } } : {}),
  });
  if (env.loadKubeconfig) input.loadKubeconfig = env.loadKubeconfig;
  const { planClusters, readClusters, KubeconfigError } = await import('../inputs/cluster/index.js');
  let plan;
  try {
    plan = await planClusters(input);
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UsageError(e.message);
    throw e;
  }
  if (plan.targets.length > 1 && (o.output ?? 'yaml') === 'json' && o.outputDir === undefined) {
    throw new UsageError(`-o json prints one List; with ${plan.targets.length} contexts give --output-dir DIR (a List per context), or use -o yaml`);
  }
  const progress = createProgress(env.stderr ?? process.stderr);
  let inputs: ClusterInput[];
  try {
    inputs = await readClusters(plan, { ...input, onProgress: (c, n) => progress.update(c, n), onClusterDone: (c, failed) => progress.finish(c, failed) });
  } finally {
    progress.done();
  }

  const conversions: ClusterConversion[] = [];
  const all: Finding[] = [];
  for (const inp of inputs) {
    const result = inp.status === 'failed' ? undefined : convert(inp.documents, { ...opts, parentRefResolved: inp.parentRefResolved }, validator());
    const objects: KubeObject[] = result?.objects ?? [];
    const ingresses = result?.stats.ingresses ?? 0;
    // Findings about the topology (no object) still belong to this cluster.
    const findings = (env.findings ?? conversionFindings)(inp, result).map((f) => (f.position ? f : { ...f, position: clusterPosition(inp.context) }));
    const normalized = normalizeFindings(findings);
    conversions.push({ context: inp.context, input: inp, objects, findings: normalized, ingresses });
    all.push(...normalized);
  }
  const clusters = conversions.map((c): ClusterSummary => {
    const k: ClusterSummary = {
      context: c.context,
      scope: c.input.scopeText,
      status: c.input.status === 'ok' ? 'read' : c.input.status,
      objectsRead: c.input.objectsRead,
      ingresses: c.ingresses,
      objects: c.objects.length,
      findings: countBySeverity(c.findings),
    };
    if (c.input.server !== undefined) k.server = c.input.server;
    return k;
  });
  return { conversions, findings: normalizeFindings(all), clusters };
}

/** Writes DIR/<context>/gateway-api.<yaml|json> for every cluster that was read. */
export function writeClusterOutputs(
  run: ClusterRun,
  dir: string,
  format: string,
  serialize: (objects: readonly KubeObject[], format: string) => string,
  write: (path: string, content: string) => void,
): void {
  const taken = new Set<string>();
  run.conversions.forEach((c, i) => {
    const folder = contextFolder(c.context, taken);
    if (c.input.status === 'failed') return; // nothing read: nothing written, not even an empty file
    const path = join(dir, folder, `gateway-api.${format === 'json' ? 'json' : 'yaml'}`);
    mkdirSync(join(dir, folder), { recursive: true });
    write(path, serialize(c.objects, format));
    run.clusters[i]!.output = path.split('\\').join('/');
  });
}

/** stdout for a --from-cluster run: per cluster read, `# context: NAME` and its objects. */
export function clusterStdout(run: ClusterRun, format: string, serialize: (objects: readonly KubeObject[], format: string) => string): string {
  const read = run.conversions.filter((c) => c.input.status !== 'failed');
  if (format === 'json') return read.length === 1 ? serialize(read[0]!.objects, 'json') : '';
  return read.map((c) => `# context: ${c.context}\n${serialize(c.objects, 'yaml')}`).join('---\n');
}
