/**
 * `verify` on the shared corpus of real manifests (../shared/corpus), one file at a time (each
 * file is one project's configuration), and each folder as one input (as a user converting a
 * whole repository at once: hosts, catch-alls and canaries meet across files and namespaces),
 * for both targets and both Gateway modes: no unexplained difference. Objects of controllers
 * verify has no model of yet are listed as not verified, never compared.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { parseSource } from '../../src/inputs/parse.js';
import { createValidator } from '../../src/validate/validator.js';
import { verify } from '../../src/verify/verify.js';

const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
const validator = createValidator(loadSchemas(), 'standard');
const folders = ['ingress-nginx', 'alb', 'traefik', 'istio'];

describe.each(['standard', 'envoy-gateway'] as const)('verify on the corpus, --target %s', (target) => {
  it.each(folders)('%s: every file verifies with no unexplained difference', (folder) => {
    expect(existsSync(join(corpus, folder))).toBe(true);
    const files = readdirSync(join(corpus, folder)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThan(0);
    let probes = 0;
    const unexplained: string[] = [];
    for (const f of files) {
      const docs = parseSource(readFileSync(join(corpus, folder, f)), f).documents;
      const r = verify(docs, { convert: { toolVersion: 'test', gatewayMode: 'shared', ...(target === 'standard' ? {} : { target }) } }, validator);
      probes += r.stats.probes;
      for (const d of r.differences) {
        if (d.explainedBy.length === 0) unexplained.push(`${f}: ${d.probe.scheme}://${d.probe.host}${d.probe.path} [${d.aspects.join(',')}] ${d.source.via} / ${d.gateway.via}`);
      }
    }
    expect(unexplained).toEqual([]);
    // The ingress-nginx folder is where the model has work to do.
    if (folder === 'ingress-nginx') expect(probes).toBeGreaterThan(1000);
    if (folder === 'traefik') expect(probes).toBeGreaterThan(300);
    if (folder === 'alb') expect(probes).toBeGreaterThan(300);
    // Istio: gateway and mesh requests of the VirtualServices whose Gateway is in the same file.
    if (folder === 'istio') expect(probes).toBeGreaterThan(250);
  });
});

describe.each(['standard', 'envoy-gateway'] as const)('verify on each corpus folder as one input, --target %s', (target) => {
  it.each(folders.flatMap((f) => (['shared', 'per-namespace'] as const).map((mode) => [f, mode] as const)))('%s, --gateway-mode %s: no unexplained difference', (folder, mode) => {
    const files = readdirSync(join(corpus, folder)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThan(0);
    const docs = files.flatMap((f) => parseSource(readFileSync(join(corpus, folder, f)), f).documents);
    const r = verify(docs, { convert: { toolVersion: 'test', gatewayMode: mode, ...(target === 'standard' ? {} : { target }) } }, validator);
    const unexplained = r.differences
      .filter((d) => d.explainedBy.length === 0)
      .map((d) => `${d.probe.scheme}://${d.probe.host}${d.probe.path} [${d.aspects.join(',')}] ${d.source.via} / ${d.gateway.via}`);
    expect(unexplained).toEqual([]);
    expect(r.stats.unexplained).toBe(0);
    if (folder === 'ingress-nginx') {
      expect(r.stats.probes).toBeGreaterThan(1000);
      // The folder's catch-all routes (rules without host, default backends) are accepted: a
      // request for a host no rule names reaches the backend nginx's catch-all server used.
      const unnamed = r.differences.filter((d) => d.probe.host === 'unknown-host.gateway-shift.invalid' && d.probe.path === '/');
      if (mode === 'shared') expect(unnamed).toEqual([]);
    }
  });
});
