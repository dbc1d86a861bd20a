// Every message a person can see has a Chinese translation: finds each
// err_set(..., CODE, field, "format", ...) in src/base, src/http and
// src/feature whose code is a 4xx one (5xx messages never reach a person:
// the server answers "internal error" instead) and checks that a catalog in
// src/i18n/ translates its format. Prints the missing ones by file and
// exits 1 when any is missing; --list prints them as catalog lines to fill.
// Run by `make unit`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['src/base', 'src/http', 'src/feature'];
const serverSide = new Set(['ERR_INTERNAL', 'ERR_NOMEM', 'ERR_DB', 'ERR_BUSY', 'ERR_OK']);

// The C string literals at the start of s (adjacent ones joined), as their
// source text between the quotes; null when s does not start with one.
function literals(s) {
  let i = 0;
  let out = null;
  for (;;) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (s[i] !== '"') return out === null ? null : { text: out, end: i };
    let j = i + 1;
    let t = '';
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\') { t += s[j] + s[j + 1]; j += 2; } else t += s[j++];
    }
    out = (out ?? '') + t;
    i = j + 1;
  }
}

// Splits the arguments of a call starting after its '(' (top level commas).
function args(s, start) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '\'') {
      let j = i + 1;
      while (j < s.length && s[j] !== '\'') j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') {
      if (depth === 0) { out.push(cur); return out; }
      depth--;
    }
    if (c === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  return out;
}

function stripComments(s) {
  return s.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
}

export function formatsIn(text) {
  const s = stripComments(text);
  const found = [];
  const re = /\berr_set\s*\(/g;
  let m;
  while ((m = re.exec(s))) {
    const a = args(s, m.index + m[0].length);
    if (a.length < 4) continue;
    const code = a[1].trim();
    if (serverSide.has(code)) continue;
    const lit = literals(a[3]);
    if (!lit) continue;
    // nothing to translate: only conversions and punctuation
    if (!/[A-Za-z]{2}/.test(lit.text.replace(/%[-+ #0-9.*]*[hlqjzt]*[a-zA-Z]/g, ''))) continue;
    const line = s.slice(0, m.index).split('\n').length;
    found.push({ fmt: lit.text, line });
  }
  // Text translated where it is used (err_fmt("...", lang), err_tr(...))
  // and the record names scope_check puts into its messages.
  const re2 = /\b(err_fmt|err_tr|scope_check)\s*\(/g;
  while ((m = re2.exec(s))) {
    const a = args(s, m.index + m[0].length);
    const lit = literals(m[1] === 'scope_check' ? (a[3] ?? '') : a[0]);
    if (!lit) continue;
    const line = s.slice(0, m.index).split('\n').length;
    found.push({ fmt: lit.text, line });
  }
  return found;
}

export function catalogEntries() {
  const dir = join(root, 'src/i18n');
  const map = new Map();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.c'))) {
    const s = stripComments(readFileSync(join(dir, f), 'utf8'));
    const re = /\{\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)\s*,\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)\s*\}/g;
    let m;
    while ((m = re.exec(s))) map.set(literals(m[1]).text, { zh: literals(m[2]).text, file: f });
  }
  return map;
}

function cFiles(dir) {
  return readdirSync(join(root, dir)).filter((f) => f.endsWith('.c')).map((f) => join(dir, f));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cat = catalogEntries();
  const missing = new Map();
  const used = new Set();
  for (const d of dirs) for (const f of cFiles(d)) {
    for (const { fmt, line } of formatsIn(readFileSync(join(root, f), 'utf8'))) {
      used.add(fmt);
      if (cat.has(fmt)) continue;
      if (!missing.has(f)) missing.set(f, []);
      if (!missing.get(f).some((x) => x.fmt === fmt)) missing.get(f).push({ fmt, line });
    }
  }
  const stale = [...cat.keys()].filter((k) => !used.has(k));
  if (process.argv.includes('--list')) {
    for (const [f, list] of missing) {
      console.log(`/* ${f} */`);
      for (const { fmt } of list) console.log(`\t{"${fmt}", ""},`);
    }
  } else {
    let n = 0;
    for (const [f, list] of missing) for (const { fmt, line } of list) {
      console.error(`${f}:${line}: no Chinese translation for "${fmt}"`);
      n++;
    }
    for (const k of stale) console.error(`src/i18n/${cat.get(k).file}: "${k}" is translated but no code uses it`);
    if (n || stale.length) {
      console.error(`msgcheck: ${n} message(s) without a translation, ${stale.length} unused; see src/i18n/`);
      process.exit(1);
    }
    console.log(`msgcheck: ${used.size} messages, all translated`);
  }
}
