/**
 * Validates SARIF logs against the OASIS SARIF 2.1.0 schema kept in schemas/sarif (draft-07,
 * Ajv's default). Two options the schema needs: some anyOf branches require properties defined
 * beside them (strictRequired off), and one pattern is not valid in Unicode mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { repoRoot } from './helpers.js';

let validate: ValidateFunction | undefined;

export function sarifValidator(): ValidateFunction {
  if (validate) return validate;
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
  const ajv = new Ajv({ strict: true, strictRequired: false, unicodeRegExp: false, allErrors: true });
  ajv.addFormat('uri', {
    validate: (s: string) => {
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) || /\s/.test(s)) return false;
      try {
        new URL(s);
        return true;
      } catch {
        return false;
      }
    },
  });
  // A relative reference: no scheme needed, but no spaces or characters a URI cannot hold.
  ajv.addFormat('uri-reference', { validate: (s: string) => /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(s) && !/%(?![0-9A-Fa-f]{2})/.test(s) });
  ajv.addFormat('date-time', { validate: (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) });
  validate = ajv.compile(schema);
  return validate;
}
