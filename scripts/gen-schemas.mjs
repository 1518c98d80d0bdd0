#!/usr/bin/env node
/**
 * Generates JSON Schemas for the Gateway API kinds from the upstream CRDs.
 *
 *   node scripts/gen-schemas.mjs [--out <dir>]      (default <dir>: <repo>/schemas)
 *
 * Reads   ../shared/gateway-api/v1.6.1/{standard,experimental}/*.yaml (relative to the repo root)
 * Writes  <dir>/gateway-api/<channel>/<group>_<version>_<kind>.json   one per served version
 *         <dir>/gateway-api/cel-rules.txt                             every x-kubernetes-validations rule
 *
 * The schemas keep structure only (type, properties, required, items, enum, pattern, length/number/
 * item bounds, additionalProperties, oneOf/anyOf/allOf/not). Kubernetes semantics are translated:
 *   - objects with `properties` get `additionalProperties: false` (the API server's strict field
 *     validation rejects unknown fields; this is also how experimental-only fields are detected);
 *   - `x-kubernetes-list-type: set` becomes `uniqueItems: true`;
 *   - `x-kubernetes-list-type: map` becomes the custom keyword `listMapKeys: [...]`, which
 *     src/validate/validator.ts registers with ajv (uniqueness of the key tuple);
 *   - `format`: ipv4, ipv6 and date-time are kept (the validator registers them with ajv);
 *     int32 becomes minimum/maximum bounds; every other format is dropped;
 *   - `oneOf`/`anyOf` branches that test a property with a `default` are rewritten so that an
 *     absent property counts as its default (the API server defaults before validating);
 *   - Go RE2 patterns are translated to JavaScript `u`-flag regexes (fails loudly when it cannot).
 * Output is byte-stable: sorted keys, 2-space indent, trailing newline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

export const GATEWAY_API_VERSION = 'v1.6.1';
export const CHANNELS = ['standard', 'experimental'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Formats the validator registers with ajv. */
const KEPT_FORMATS = new Set(['ipv4', 'ipv6', 'date-time']);
const INT32 = { min: -2147483648, max: 2147483647 };

/** Keywords copied as-is (after recursion where they hold schemas). */
const COPIED = new Set([
  'type', 'required', 'enum', 'minLength', 'maxLength', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties',
  'multipleOf', 'uniqueItems',
]);
/** Keywords dropped on purpose. */
const DROPPED = new Set([
  'description', 'default', 'example', 'title',
  'x-kubernetes-validations', 'x-kubernetes-map-type',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', // translated, see above
]);

// ---------------------------------------------------------------------------------------------
// RE2 -> JavaScript (u flag)

const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const POSIX_CLASSES = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const RE2_SPACE = '\\t\\n\\f\\r ';

function hexEscape(ch) {
  const cp = ch.codePointAt(0);
  return cp <= 0xff ? '\\x' + cp.toString(16).padStart(2, '0') : '\\u{' + cp.toString(16) + '}';
}

function isLetter(ch) {
  return /^[A-Za-z]$/.test(ch);
}

function otherCase(ch) {
  const lo = ch.toLowerCase();
  return lo === ch ? ch.toUpperCase() : lo;
}

/**
 * Translates a Go RE2 pattern to a JavaScript regex source for use with the `u` flag.
 * Throws on anything it cannot translate faithfully.
 */
export function translateRe2(src) {
  let out = '';
  let i = 0;
  // Case-insensitivity is scoped to groups: one entry per open group, the top one is current.
  const ci = [false];
  const fail = (why) => {
    throw new Error(`cannot translate RE2 pattern ${JSON.stringify(src)} at offset ${i}: ${why}`);
  };
  const cur = () => ci[ci.length - 1];

  /** Reads one escape at src[i] === '\\'; returns { js, cls } where cls is its class form. */
  const readEscape = (inClass) => {
    const c = src[i + 1];
    if (c === undefined) fail('trailing backslash');
    i += 2;
    switch (c) {
      case 'A':
        if (inClass) fail('\\A in a class');
        return '^';
      case 'z':
        if (inClass) fail('\\z in a class');
        return '$';
      case 'Q': {
        const end = src.indexOf('\\E', i);
        const lit = end < 0 ? src.slice(i) : src.slice(i, end);
        i = end < 0 ? src.length : end + 2;
        return [...lit].map((ch) => literal(ch, inClass)).join('');
      }
      case 'a': return '\\x07';
      case 'f': case 't': case 'n': case 'r': case 'v': return '\\' + c;
      case 'd': case 'D': case 'w': case 'W': case 'b': case 'B':
        if (inClass && (c === 'b' || c === 'B')) fail('\\b in a class');
        return '\\' + c;
      case 's':
        return inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
      case 'S':
        if (inClass) fail('\\S in a class');
        return `[^${RE2_SPACE}]`;
      case 'x': {
        if (src[i] === '{') {
          const end = src.indexOf('}', i);
          if (end < 0) fail('unterminated \\x{');
          const hex = src.slice(i + 1, end);
          if (!/^[0-9A-Fa-f]{1,6}$/.test(hex)) fail('bad \\x{}');
          i = end + 1;
          return '\\u{' + hex + '}';
        }
        const hex = src.slice(i, i + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail('bad \\x');
        i += 2;
        return '\\x' + hex;
      }
      case 'p': case 'P': {
        let name;
        if (src[i] === '{') {
          const end = src.indexOf('}', i);
          if (end < 0) fail('unterminated \\p{');
          name = src.slice(i + 1, end);
          i = end + 1;
        } else {
          name = src[i] ?? '';
          i += 1;
        }
        let neg = c === 'P';
        if (name.startsWith('^')) {
          neg = !neg;
          name = name.slice(1);
        }
        if (!/^[A-Za-z_]+$/.test(name)) fail(`bad unicode class ${name}`);
        const prop = name === 'Any' ? 'Any' : /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
        return `\\${neg ? 'P' : 'p'}{${prop}}`;
      }
      default:
        if (/[0-9]/.test(c)) fail('octal escapes and backreferences are not supported');
        if (/[A-Za-z]/.test(c)) fail(`unknown escape \\${c}`);
        // Escaped punctuation: keep it if the u flag allows the identity escape, else use \xHH.
        if (JS_SYNTAX.has(c) || (inClass && c === '-')) return '\\' + c;
        return hexEscape(c);
    }
  };

  /** A literal character, escaped for JS when needed, with case folding applied. */
  const literal = (ch, inClass) => {
    const esc = JS_SYNTAX.has(ch) || (inClass && ch === '-') ? '\\' + ch : ch;
    if (!cur() || !isLetter(ch)) return esc;
    return inClass ? ch + otherCase(ch) : `[${ch}${otherCase(ch)}]`;
  };

  const readClass = () => {
    // src[i] === '['
    i += 1;
    let body = '';
    if (src[i] === '^') {
      body += '^';
      i += 1;
    }
    let first = true;
    for (;;) {
      const ch = src[i];
      if (ch === undefined) fail('unterminated character class');
      if (ch === ']' && !first) {
        i += 1;
        break;
      }
      const atStart = first;
      first = false;
      if (ch === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        if (end < 0) fail('unterminated POSIX class');
        const name = src.slice(i + 2, end);
        const set = POSIX_CLASSES[name];
        if (set === undefined) fail(`unsupported POSIX class [:${name}:]`);
        body += cur() && (name === 'lower' || name === 'upper') ? 'A-Za-z' : set;
        i = end + 2;
        continue;
      }
      let atom;
      let atomChar; // the single literal character, when the atom is one
      if (ch === '\\') {
        const next = src[i + 1];
        atom = readEscape(true);
        if (next !== undefined && !/[A-Za-z0-9]/.test(next)) atomChar = next;
      } else {
        // A '-' first or last in the class is literal in both dialects and needs no escape.
        const plainDash = ch === '-' && (atStart || src[i + 1] === ']');
        atom = ch === '[' || ch === ']' || (ch === '-' && !plainDash) ? '\\' + ch : ch;
        atomChar = ch;
        i += 1;
      }
      // A range a-b?
      if (src[i] === '-' && src[i + 1] !== ']' && src[i + 1] !== undefined && atomChar !== undefined) {
        i += 1;
        let hi;
        let hiChar;
        if (src[i] === '\\') {
          const next = src[i + 1];
          hi = readEscape(true);
          if (next !== undefined && !/[A-Za-z0-9]/.test(next)) hiChar = next;
          else fail('class range ending in an escape');
        } else {
          hiChar = src[i];
          hi = hiChar === '[' || hiChar === ']' || hiChar === '-' ? '\\' + hiChar : hiChar;
          i += 1;
        }
        body += `${atom}-${hi}`;
        if (cur()) {
          if (isLetter(atomChar) && isLetter(hiChar) && (atomChar === atomChar.toLowerCase()) === (hiChar === hiChar.toLowerCase())) {
            body += `${otherCase(atomChar)}-${otherCase(hiChar)}`;
          } else if (isLetter(atomChar) || isLetter(hiChar) || (atomChar <= 'Z' && hiChar >= 'a')) {
            fail('case-insensitive range mixing letters and non-letters');
          }
        }
        continue;
      }
      body += atomChar !== undefined && ch !== '\\' && cur() && isLetter(atomChar) ? atomChar + otherCase(atomChar) : atom;
    }
    return `[${body}]`;
  };

  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\') {
      out += readEscape(false);
    } else if (ch === '[') {
      out += readClass();
    } else if (ch === '(') {
      if (src[i + 1] === '?') {
        const rest = src.slice(i + 2);
        let m;
        if (rest.startsWith(':')) {
          out += '(?:';
          ci.push(cur());
          i += 3;
        } else if ((m = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest))) {
          out += `(?<${m[1]}>`;
          ci.push(cur());
          i += 2 + m[0].length;
        } else if ((m = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest))) {
          const on = m[1] ?? '';
          const off = m[2] ?? '';
          for (const f of on + off) if (f !== 'i') fail(`unsupported flag (?${f})`);
          const value = on.includes('i') ? true : off.includes('i') ? false : cur();
          i += 2 + m[0].length;
          if (m[3] === ':') {
            out += '(?:';
            ci.push(value);
          } else {
            ci[ci.length - 1] = value; // applies to the rest of the current group
          }
        } else {
          fail('unsupported group syntax');
        }
      } else {
        out += '(';
        ci.push(cur());
        i += 1;
      }
    } else if (ch === ')') {
      if (ci.length <= 1) fail('unbalanced )');
      ci.pop();
      out += ')';
      i += 1;
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
      } else {
        out += '\\{'; // RE2 treats a brace that is not a repetition as a literal
        i += 1;
      }
    } else if (ch === '}' || ch === ']') {
      out += '\\' + ch;
      i += 1;
    } else {
      const cp = src.codePointAt(i);
      const full = String.fromCodePoint(cp);
      out += isLetter(full) ? literal(full, false) : full;
      i += full.length;
    }
  }
  if (ci.length !== 1) fail('unbalanced (');
  try {
    new RegExp(out, 'u');
  } catch (e) {
    throw new Error(`RE2 pattern ${JSON.stringify(src)} translated to ${JSON.stringify(out)} does not compile with the u flag: ${e.message}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schema conversion

function isObj(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Does `schema` (an enum / not-enum subschema) accept `value`? Only the shapes the CRDs use. */
function acceptsValue(schema, value, where) {
  const keys = Object.keys(schema).filter((k) => k !== 'type');
  if (keys.length === 1 && Array.isArray(schema.enum)) return schema.enum.includes(value);
  if (keys.length === 1 && isObj(schema.not)) return !acceptsValue(schema.not, value, where);
  if (keys.length === 0) return true;
  throw new Error(`${where}: cannot decide whether a ${keys.join('/')} branch accepts the default ${JSON.stringify(value)}`);
}

/**
 * Converts one CRD schema node. `where` is a JSON path used in error messages; `parent` is the
 * enclosing object schema for oneOf/anyOf branches (to read defaults and types of properties).
 */
function convert(node, where, parent) {
  if (!isObj(node)) throw new Error(`${where}: schema is not an object`);
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (COPIED.has(key)) {
      out[key] = value;
    } else if (key === 'properties') {
      out.properties = {};
      for (const [name, sub] of Object.entries(value)) out.properties[name] = convert(sub, `${where}.${name}`, undefined);
    } else if (key === 'items') {
      out.items = convert(value, `${where}[*]`, undefined);
    } else if (key === 'additionalProperties') {
      out.additionalProperties = typeof value === 'boolean' ? value : convert(value, `${where}{*}`, undefined);
    } else if (key === 'oneOf' || key === 'anyOf' || key === 'allOf') {
      out[key] = value.map((b, n) => convertBranch(b, `${where}<${key}[${n}]>`, node));
    } else if (key === 'not') {
      out.not = convertBranch(value, `${where}<not>`, parent ?? node);
    } else if (key === 'pattern') {
      out.pattern = translateRe2(value);
    } else if (key === 'format') {
      if (KEPT_FORMATS.has(value)) out.format = value;
      else if (value === 'int32') {
        if (node.minimum === undefined) out.minimum = INT32.min;
        if (node.maximum === undefined) out.maximum = INT32.max;
      }
    } else {
      throw new Error(`${where}: unsupported schema keyword ${JSON.stringify(key)}`);
    }
  }
  const listType = node['x-kubernetes-list-type'];
  if (listType === 'set') out.uniqueItems = true;
  else if (listType === 'map') {
    const keys = node['x-kubernetes-list-map-keys'];
    if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${where}: list-type map without keys`);
    out.listMapKeys = keys;
  } else if (listType !== undefined && listType !== 'atomic') {
    throw new Error(`${where}: unknown x-kubernetes-list-type ${listType}`);
  }
  if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (out.type === 'object' && Array.isArray(out.required) && out.properties !== undefined) {
    for (const r of out.required) if (!(r in out.properties)) throw new Error(`${where}: required ${r} is not a property`);
  }
  return out;
}

/**
 * A oneOf/anyOf/allOf branch of `owner`. Branches constrain properties of the owner; the API
 * server applies defaults first, so a branch that rejects a property's default must require it.
 * Branch property schemas inherit the owner's property type (keeps ajv strictTypes happy).
 */
function convertBranch(branch, where, owner) {
  const out = convert(branch, where, owner);
  if (isObj(branch.properties) && isObj(owner.properties)) {
    const required = new Set(out.required ?? []);
    for (const [name, sub] of Object.entries(branch.properties)) {
      const ownerProp = owner.properties[name];
      if (!isObj(ownerProp)) throw new Error(`${where}: branch property ${name} is not declared by its object`);
      const conv = out.properties[name];
      if (conv.type === undefined && ownerProp.type !== undefined) out.properties[name] = { type: ownerProp.type, ...conv };
      if ('default' in ownerProp && !acceptsValue(sub, ownerProp.default, `${where}.${name}`)) required.add(name);
    }
    if (required.size > 0) out.required = [...required];
    // Branches only constrain the listed properties; they must not forbid the others.
    delete out.additionalProperties;
  }
  return out;
}

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

function topLevel(schema, group, version, kind, where) {
  const conv = convert(schema, where, undefined);
  if (conv.type !== 'object' || !isObj(conv.properties)) throw new Error(`${where}: top level is not an object schema`);
  conv.properties.apiVersion = { type: 'string', const: `${group}/${version}` };
  conv.properties.kind = { type: 'string', const: kind };
  conv.properties.metadata = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      namespace: { type: 'string' },
      labels: STRING_MAP,
      annotations: STRING_MAP,
    },
    required: ['name'],
  };
  conv.required = [...new Set(['apiVersion', 'kind', 'metadata', ...(conv.required ?? [])])];
  conv.additionalProperties = false;
  return conv;
}

// ---------------------------------------------------------------------------------------------
// CEL rules

function collectRules(node, jsonPath, sink) {
  if (!isObj(node)) return;
  for (const v of node['x-kubernetes-validations'] ?? []) {
    sink.push({ path: jsonPath, rule: String(v.rule).replace(/\s+/g, ' ').trim(), message: v.message ?? v.messageExpression ?? '' });
  }
  if (isObj(node.properties)) {
    for (const [name, sub] of Object.entries(node.properties)) collectRules(sub, jsonPath === '' ? name : `${jsonPath}.${name}`, sink);
  }
  if (isObj(node.items)) collectRules(node.items, `${jsonPath}[*]`, sink);
  if (isObj(node.additionalProperties)) collectRules(node.additionalProperties, `${jsonPath}{*}`, sink);
}

// ---------------------------------------------------------------------------------------------
// Output

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v)) {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

export function stableJson(v) {
  return JSON.stringify(sortKeys(v), null, 2) + '\n';
}

/** Generates everything in memory: Map<relative path, content>. */
export function generate(crdRoot) {
  const files = new Map();
  const rules = new Map(); // key -> { kind, path, rule, message, in: Set }
  let patterns = 0;
  for (const channel of CHANNELS) {
    const dir = path.join(crdRoot, channel);
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.includes('vap_safeupgrades')).sort();
    if (names.length === 0) throw new Error(`no CRDs in ${dir}`);
    for (const name of names) {
      const crd = YAML.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      if (crd?.kind !== 'CustomResourceDefinition') throw new Error(`${name}: not a CustomResourceDefinition`);
      const { group, names: crdNames, versions } = crd.spec;
      const kind = crdNames.kind;
      for (const v of versions) {
        if (!v.served) continue;
        const where = `${channel}/${group}/${v.name}/${kind}`;
        const schema = v.schema?.openAPIV3Schema;
        if (!isObj(schema)) throw new Error(`${where}: no openAPIV3Schema`);
        const conv = topLevel(schema, group, v.name, kind, where);
        patterns += JSON.stringify(conv).split('"pattern":').length - 1;
        files.set(`gateway-api/${channel}/${group}_${v.name}_${kind}.json`, stableJson(conv));
        const sink = [];
        collectRules(schema, '', sink);
        for (const r of sink) {
          const key = JSON.stringify([`${group}/${kind}`, r.path, r.message, r.rule]);
          const entry = rules.get(key) ?? { kind: `${group}/${kind}`, ...r, in: new Set() };
          entry.in.add(`${channel}/${v.name}`);
          rules.set(key, entry);
        }
      }
    }
  }
  const sorted = [...rules.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  let txt =
    `# Generated by scripts/gen-schemas.mjs from the Gateway API ${GATEWAY_API_VERSION} CRDs; do not edit.\n` +
    '# Every x-kubernetes-validations (CEL) rule, one block per distinct (kind, path, message, rule),\n' +
    '# with the channel/version schemas it appears in. Checklist for src/validate/cel.ts.\n' +
    `# ${sorted.length} distinct rules.\n`;
  for (const r of sorted) {
    txt += `\n${r.kind} ${r.path === '' ? '.' : r.path}\n  in: ${[...r.in].sort().join(', ')}\n  message: ${r.message}\n  rule: ${r.rule}\n`;
  }
  files.set('gateway-api/cel-rules.txt', txt);
  return { files, patterns, rules: sorted.length };
}

/** Writes the generated files under `outDir`, replacing `outDir/gateway-api` entirely. */
export function writeAll(crdRoot, outDir) {
  const { files, patterns, rules } = generate(crdRoot);
  fs.rmSync(path.join(outDir, 'gateway-api'), { recursive: true, force: true });
  for (const [rel, content] of files) {
    const file = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return { count: files.size, patterns, rules };
}

function main(argv) {
  let outDir = path.join(repoRoot, 'schemas');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1] !== undefined) outDir = path.resolve(argv[++i]);
    else throw new Error(`usage: gen-schemas.mjs [--out <dir>] (unexpected ${argv[i]})`);
  }
  const crdRoot = path.resolve(repoRoot, '..', 'shared', 'gateway-api', GATEWAY_API_VERSION);
  const { count, patterns, rules } = writeAll(crdRoot, outDir);
  process.stdout.write(`gen-schemas: wrote ${count} files (${patterns} patterns, ${rules} CEL rules) to ${path.join(outDir, 'gateway-api')}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`gen-schemas: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
