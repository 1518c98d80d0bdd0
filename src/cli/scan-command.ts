/**
 * `gateway-shift scan`: what is still to migrate and what will (not) translate, as reports for
 * people (text, Markdown) and machines (JSON, SARIF). Prints no Gateway API objects. Reads files,
 * or with --from-cluster live clusters (all namespaces unless -n), each scanned on its own.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import chalk from 'chalk';
import { convert } from '../convert.js';
import type { Finding, SourcePosition } from '../findings/finding.js';
import { readInputs } from '../inputs/read.js';
import { newFindings, parseBaseline } from '../reporters/baseline.js';
import { REPORTERS } from '../reporters/index.js';
import { scanFindings } from '../reporters/scan.js';
import { PLAIN, type ReportFinding, type ReportInput, type ReportSummary, type Style } from '../reporters/types.js';
import { createValidator } from '../validate/validator.js';
import type { ConvertOptions } from '../convert.js';
import { clusterOnlyOptions } from './cluster-options.js';
import { buildConvertOptions, exitCodeFor, readStdin, type ConvertCliOptions } from './convert-command.js';
import { UsageError } from './errors.js';
import { reportTargets, type ReportTarget } from './report-targets.js';
import { loadSchemas } from './load-schemas.js';
import { withoutFiles, writeFileAtomic } from './output-files.js';

export interface ScanCliOptions extends ConvertCliOptions {
  /** Filled in command-line order by the --format and --output-file parsers (see main.ts). */
  reports?: ReportTarget[];
  baseline?: string;
  repoRoot?: string;
}

/** The repository root SARIF paths are relative to: the git work tree holding `dir`, else `dir`. */
export function findRepoRoot(dir: string): string {
  let d = resolve(dir);
  for (;;) {
    if (existsSync(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return resolve(dir);
    d = up;
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

export async function runScan(paths: string[], o: ScanCliOptions, env: { version: string }): Promise<number> {
  const opts = buildConvertOptions(o, env.version);
  const cwd = process.cwd();
  const targets = reportTargets(o.reports, cwd);
  let root: string;
  if (o.repoRoot !== undefined) {
    root = resolve(o.repoRoot);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--repo-root ${o.repoRoot}: not a directory`);
  } else {
    root = findRepoRoot(cwd);
  }
  let baseline;
  if (o.baseline !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.baseline, 'utf8');
    } catch (e) {
      throw new UsageError(`--baseline ${o.baseline}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`);
    }
    const parsed = parseBaseline(text);
    if ('error' in parsed) throw new UsageError(`--baseline ${o.baseline}: ${parsed.error}`);
    baseline = parsed.baseline;
  }
  let scanned: Scanned;
  if (o.fromCluster) {
    if (paths.length > 0) throw new UsageError(`--from-cluster reads no files (got ${paths.join(' ')})`);
    if (o.repoRoot !== undefined) throw new UsageError('--repo-root locates files in SARIF reports; --from-cluster reads none');
    scanned = await scanClusters(o, opts, env);
  } else {
    const clusterOnly = clusterOnlyOptions(o);
    if (clusterOnly.length) throw new UsageError(`${clusterOnly.join(', ')} need${clusterOnly.length === 1 ? 's' : ''} --from-cluster`);
    if (paths.length === 0) {
      if (process.stdin.isTTY) throw new UsageError('no input: give files or directories, or - to read stdin');
      paths = ['-'];
    }
    // The baseline and the reports are not manifests, even when they lie in a scanned folder.
    const own = new Set([o.baseline, ...targets.map((t) => t.file)].filter((f): f is string => f !== undefined).map((f) => resolve(cwd, f)));
    const input = withoutFiles(await readInputs(paths, { cwd, stdin: readStdin }), (name) => own.has(resolve(cwd, name)));
    const validator = createValidator(loadSchemas(), opts.channel ?? 'standard');
    const result = convert(input.documents, opts, validator);
    const anchorFile = input.files[0] ?? paths.find((p) => p !== '-') ?? '<stdin>';
    scanned = {
      findings: scanFindings({ documents: input.documents, result, inputFindings: input.findings, target: opts.target ?? 'standard' }),
      summary: { ingresses: result.stats.ingresses, ...(result.resources.length ? { resources: result.resources.length } : {}), objects: result.objects.length, files: input.files.length },
      anchor: { file: anchorFile, line: 1, column: 1 },
    };
  }
  const { findings } = scanned;
  const fresh = baseline ? newFindings(findings, baseline) : undefined;

  const report: ReportInput = { toolVersion: env.version, findings, summary: scanned.summary, anchor: scanned.anchor };
  // SARIF locates files relative to the repository root; cluster objects are not files.
  if (!o.fromCluster) report.paths = { cwd: toPosix(cwd), root: toPosix(root) };
  if (fresh) report.newFindings = fresh;

  // Render everything first, then write: a failure leaves no report half-written.
  const rendered = targets.map((t) => {
    const toTty = t.file === undefined && process.stdout.isTTY === true;
    const style: Style =
      t.format === 'text' && o.color !== false && toTty ? { error: chalk.red, warning: chalk.yellow, info: chalk.cyan, dim: chalk.dim, bold: chalk.bold } : PLAIN;
    return { t, text: REPORTERS[t.format]!(report, style) };
  });
  for (const { t, text } of rendered) {
    if (t.file === undefined) continue;
    const file = isAbsolute(t.file) ? t.file : resolve(cwd, t.file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, text);
  }
  const stdout = rendered.find((r) => r.t.file === undefined);
  if (stdout) process.stdout.write(stdout.text);

  // Input errors count whatever the baseline says: the scan is incomplete without the file, or
  // without (part of) a cluster.
  const counted = fresh ? findings.filter((f) => fresh.has(f) || isUnreadInput(f)) : findings;
  return exitCodeFor(counted, o.failOn ?? 'error');
}

function isUnreadInput(f: Finding): boolean {
  return f.ruleId.startsWith('input/') || (f.ruleId.startsWith('cluster/') && f.severity === 'error');
}

interface Scanned {
  findings: ReportFinding[];
  summary: ReportSummary;
  anchor: SourcePosition;
}

/**
 * scan --from-cluster: each context's cluster read and scanned on its own, as convert does
 * (same reading, same conversion, same findings per cluster), with scan's inventory on top.
 */
async function scanClusters(o: ScanCliOptions, opts: ConvertOptions, env: { version: string }): Promise<Scanned> {
  const { convertClusters } = await import('./convert-cluster.js');
  let validator: ReturnType<typeof createValidator> | undefined;
  const target = opts.target ?? 'standard';
  const run = await convertClusters(o, opts, () => (validator ??= createValidator(loadSchemas(), opts.channel ?? 'standard')), {
    version: env.version,
    defaultScope: 'all-namespaces',
    findings: (inp, result) => scanFindings({ documents: inp.documents, result: result ?? { findings: [], ingresses: [] }, inputFindings: inp.findings, target }),
  });
  return {
    findings: run.findings as ReportFinding[],
    summary: {
      ingresses: run.conversions.reduce((n, c) => n + c.ingresses, 0),
      objects: run.conversions.reduce((n, c) => n + c.objects.length, 0),
      files: 0,
      clusters: run.clusters,
    },
    // Every finding of a cluster has its position; this is never used, but must name a cluster.
    anchor: { file: `cluster/${run.clusters[0]?.context ?? ''}` },
  };
}
