/**
 * @kubernetes/client-node costs about half a second to load: only --from-cluster may load it,
 * through a dynamic import. Checked on the built files' static import graph.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from './helpers.js';

const dist = join(repoRoot, 'dist');

/** Static imports (import ... from / export ... from / bare import) of a built module. */
function staticImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"()]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) out.push((m[1] ?? m[2])!);
  return out;
}

/** Every module reachable from `entry` through static imports (bare specifiers as they are). */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (!f.startsWith('/')) continue;
    for (const spec of staticImports(f)) todo.push(spec.startsWith('.') ? resolve(dirname(f), spec) : spec);
  }
  return seen;
}

describe('lazy loading of @kubernetes/client-node', () => {
  it('is not in the static import graph of the CLI or of the file conversion', () => {
    for (const entry of ['cli/main.js', 'cli/convert-command.js', 'cli/scan-command.js', 'cli/convert-cluster.js', 'inputs/cluster/index.js']) {
      const mods = closure(join(dist, entry));
      expect({ entry, clientNode: [...mods].filter((m) => m.startsWith('@kubernetes/')) }).toEqual({ entry, clientNode: [] });
    }
    expect(closure(join(dist, 'cli/convert-command.js'))).toContain('chalk'); // the graph is really walked
    // File-only runs do not even load the cluster input.
    for (const entry of ['cli/convert-command.js', 'cli/scan-command.js']) {
      const mods = [...closure(join(dist, entry))];
      expect({ entry, cluster: mods.filter((m) => m.includes('/inputs/cluster/') || m.endsWith('/convert-cluster.js')) }).toEqual({ entry, cluster: [] });
    }
  });

  it('is imported dynamically by the kubeconfig module only', () => {
    const src = readFileSync(join(dist, 'inputs/cluster/kubeconfig.js'), 'utf8');
    expect(src).toContain("import('@kubernetes/client-node')");
    expect(staticImports(join(dist, 'inputs/cluster/kubeconfig.js')).filter((s) => s.startsWith('@kubernetes/'))).toEqual([]);
  });

  it('stays out of the core, which imports neither fs, process nor the client', () => {
    const core = ['convert.js', 'existing-gateways.js'].map((f) => join(dist, f));
    for (const entry of core) {
      const mods = [...closure(entry)].filter((m) => !m.startsWith('/'));
      expect({ entry, mods: mods.filter((m) => /^(node:)?(fs|process|child_process)$|^@kubernetes\//.test(m)) }).toEqual({ entry, mods: [] });
    }
  });
});
