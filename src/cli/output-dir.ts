/** `convert --output-dir DIR [--layout mirror|namespace|kind] [--force]`. */
import { basename, posix, resolve } from 'node:path';
import type { ConvertResult } from '../convert.js';
import type { InputSet } from '../inputs/read.js';
import { planOutputTree, type IngressPlace, type Layout } from '../writers/output-tree.js';
import { EXIT_OK, EXIT_USAGE } from './errors.js';
import { applyWrites, checkWrites, inputRoots, relativeToRoots, staleFiles, writeSummary, yamlName } from './output-files.js';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml']);

/** Plans, checks and writes the output folder; the text is the summary (or why nothing was written). */
export function writeOutputDir(
  dirArg: string,
  layout: Layout,
  paths: readonly string[],
  input: InputSet,
  result: Pick<ConvertResult, 'objects' | 'ingresses'> & Partial<Pick<ConvertResult, 'resources'>>,
  opts: { force: boolean; cwd: string },
): { code: number; text: string } {
  const dir = resolve(opts.cwd, dirArg);
  const roots = inputRoots(paths, opts.cwd);

  // Where each input file goes (mirror), refusing two inputs that would share an output file.
  const outOf = new Map<string, string>();
  const byOut = new Map<string, string>();
  const problems: string[] = [];
  for (const name of input.files) {
    const rel = relativeToRoots(name, opts.cwd, roots);
    if (rel === undefined) continue;
    const out = yamlName(rel);
    const other = byOut.get(out);
    if (other !== undefined && other !== name) problems.push(`${other} and ${name} would both be written to ${out} under ${dirArg}; convert them separately`);
    byOut.set(out, name);
    outOf.set(name, out);
  }
  const ingresses = new Map<string, IngressPlace>();
  for (const i of result.ingresses) {
    const file = outOf.get(i.doc.position.file);
    if (file !== undefined) ingresses.set(`Ingress/${i.ref.namespace ?? ''}/${i.ref.name ?? ''}`, { file, namespace: i.namespace });
  }
  // Istio Gateways and VirtualServices place their objects the same way.
  for (const r of result.resources ?? []) {
    const file = outOf.get(r.doc.position.file);
    if (file !== undefined) ingresses.set(`${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name ?? ''}`, { file, namespace: r.ref.namespace ?? 'default' });
  }
  // Input folders with a kustomization get one in the output, listing the new files.
  const kustomized = new Set<string>();
  for (const name of input.files) {
    if (!KUSTOMIZATION_NAMES.has(basename(name))) continue;
    const rel = outOf.get(name);
    if (rel === undefined) continue;
    const folder = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
    if (layout === 'mirror' || folder === '') kustomized.add(folder);
  }
  const files = planOutputTree({ objects: result.objects, layout, ingresses, kustomized });

  const inputs = new Set(input.files.map((f) => resolve(opts.cwd, f)));
  const plan = problems.length ? { problems } : checkWrites(dir, files, { force: opts.force, inputs });
  if ('problems' in plan) {
    return { code: EXIT_USAGE, text: `gateway-shift: nothing was written to ${dirArg}:\n${plan.problems.map((p) => `  ${p}`).join('\n')}\n` };
  }
  applyWrites(plan.writes);
  const stale = staleFiles(dir, new Set(plan.writes.map((w) => w.abs)));
  if (files.length === 0) return { code: EXIT_OK, text: `nothing to write to ${dirArg}: no input held objects to convert\n` };
  return { code: EXIT_OK, text: writeSummary(plan.writes, stale, opts.cwd) };
}
