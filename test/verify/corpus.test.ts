/**
 * `verify` on the shared corpus of real manifests (../shared/corpus), one file at a time (each
 * file is one project's configuration), for both targets: no unexplained difference. Ingresses
 * of controllers verify has no model of yet are listed as not verified, never compared.
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
    // Istio: gateway and mesh requests of the VirtualServices whose Gateway is in the same file.
    if (folder === 'istio') expect(probes).toBeGreaterThan(250);
  });
});
