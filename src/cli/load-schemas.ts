/**
 * Reads the generated Gateway API JSON Schemas (schemas/gateway-api/<channel>/<group>_<version>_<kind>.json,
 * written by scripts/gen-schemas.mjs) into the SchemaSet the validator takes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Channel, SchemaSet } from '../validate/validator.js';

/** The package's schemas/ directory: ../../schemas from both src/cli and dist/cli. */
export const DEFAULT_SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

const CHANNELS: Channel[] = ['standard', 'experimental'];

/** Hand-written schemas of the implementation targets' own kinds (--target). */
const IMPLEMENTATION_DIRS = ['envoy-gateway', 'aws-lbc'];

/**
 * @param dir the schemas/ directory (holding gateway-api/); defaults to the package's own.
 * Keys are `${group}/${version}/${kind}`, e.g. 'gateway.networking.k8s.io/v1/HTTPRoute'.
 */
export function loadSchemas(dir: string = DEFAULT_SCHEMA_DIR): SchemaSet {
  const set: SchemaSet = { standard: {}, experimental: {} };
  for (const channel of CHANNELS) {
    const chDir = path.join(dir, 'gateway-api', channel);
    let names: string[];
    try {
      names = fs.readdirSync(chDir);
    } catch (e) {
      throw new Error(`cannot read Gateway API schemas from ${chDir} (run \`npm run schemas\`): ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const name of names.sort()) {
      const m = /^([^_]+)_([^_]+)_([^_]+)\.json$/.exec(name);
      if (m === null) continue;
      const [, group, version, kind] = m;
      const schema: unknown = JSON.parse(fs.readFileSync(path.join(chDir, name), 'utf8'));
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error(`${path.join(chDir, name)}: not a JSON object`);
      set[channel][`${group}/${version}/${kind}`] = schema;
    }
    if (Object.keys(set[channel]).length === 0) throw new Error(`no Gateway API schemas in ${chDir} (run \`npm run schemas\`)`);
  }
  // Implementation policy and configuration kinds (hand-written subsets, see their $comment):
  // the same in both channels.
  for (const impl of IMPLEMENTATION_DIRS) {
    const implDir = path.join(dir, impl);
    for (const name of fs.readdirSync(implDir).sort()) {
      const m = /^([^_]+)_([^_]+)_([^_]+)\.json$/.exec(name);
      if (m === null) continue;
      const schema: unknown = JSON.parse(fs.readFileSync(path.join(implDir, name), 'utf8'));
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error(`${path.join(implDir, name)}: not a JSON object`);
      for (const channel of CHANNELS) set[channel][`${m[1]}/${m[2]}/${m[3]}`] = schema;
    }
  }
  return set;
}
