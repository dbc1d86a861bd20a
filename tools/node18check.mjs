// The tests, tools and benchmarks run on the Node that Debian 12 ships
// (18.19): this check names each use of what that Node lacks or does
// differently, so it is caught on any machine rather than on a district's
// server. Run by `make unit`; exits 1 when it finds one.
//  - Headers.getSetCookie: missing in Debian's Node 18 (tests/api/lib.mjs has
//    setCookies, which splits get('set-cookie')).
//  - Intl locale formats of dates ('en-CA', 'sv-SE' ...): Debian's Node 18
//    formats them with the system ICU, so 'YYYY-MM-DD' is not what comes out
//    (tests/api/lib.mjs has localDay and localTime).
//  - APIs from Node 20 and later used by this code base's habits.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['tests', 'tools', 'bench', 'scripts'];
const rules = [
  [/\.getSetCookie\s*\(/, 'Headers.getSetCookie is missing in Node 18: use setCookies() from tests/api/lib.mjs'],
  [/toLocale(Date|Time)?String\s*\(\s*['"][a-z]{2}-[A-Z]{2}['"]\s*,\s*\{[^}]*timeZone/, 'a locale date format for a day or time: use localDay()/localTime() from tests/api/lib.mjs'],
  [/Intl\.DateTimeFormat\s*\(/, 'Intl.DateTimeFormat differs with Debian\'s ICU: use localDay()/localTime() from tests/api/lib.mjs'],
  [/import\.meta\.(dirname|filename)\b/, 'import.meta.dirname/filename need Node 20.11: use fileURLToPath(import.meta.url)'],
  [/\bObject\.groupBy\b|\bPromise\.withResolvers\b|\bArray\.fromAsync\b/, 'needs Node 21 or later'],
  [/\.(toSorted|toReversed|toSpliced)\s*\(/, 'needs Node 20: copy then sort/reverse'],
];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(mjs|js|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

const self = new URL(import.meta.url).pathname;
let bad = 0;
for (const d of dirs) {
  for (const f of walk(join(root, d), [])) {
    if (f === self) continue;
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      for (const [re, why] of rules) {
        if (re.test(line)) {
          console.error(`${relative(root, f)}:${i + 1}: ${why}`);
          bad++;
        }
      }
    });
  }
}
if (bad) {
  console.error(`node18check: ${bad} use(s) of what Debian 12's Node 18 lacks`);
  process.exit(1);
}
