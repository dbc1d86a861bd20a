// Merges the browser app's strings: web/i18n/<lang>/*.json (one file per
// feature, so features add strings without touching each other's files)
// into one <outdir>/<lang>.json per language, which the binary serves as
// /i18n/<lang>.json. Fails, naming the key and files, when a key is in two
// files of one language or in one language and not the other.
//   node tools/i18n.mjs OUTDIR
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../web/i18n/', import.meta.url).pathname;
const out = process.argv[2];
if (!out) {
  console.error('usage: node tools/i18n.mjs OUTDIR');
  process.exit(2);
}
const langs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const merged = {};
const where = {};
let bad = 0;
for (const lang of langs) {
  merged[lang] = {};
  where[lang] = {};
  for (const f of readdirSync(join(root, lang)).filter((f) => f.endsWith('.json')).sort()) {
    let d;
    try {
      d = JSON.parse(readFileSync(join(root, lang, f), 'utf8'));
    } catch (e) {
      console.error(`web/i18n/${lang}/${f}: ${e.message}`);
      bad++;
      continue;
    }
    for (const [k, v] of Object.entries(d)) {
      if (k in merged[lang]) {
        console.error(`web/i18n/${lang}: "${k}" is in ${where[lang][k]} and ${f}`);
        bad++;
      }
      if (typeof v !== 'string') {
        console.error(`web/i18n/${lang}/${f}: "${k}" is not a string`);
        bad++;
      }
      merged[lang][k] = v;
      where[lang][k] = f;
    }
  }
}
for (const a of langs) for (const b of langs) {
  if (a === b) continue;
  for (const k of Object.keys(merged[a])) if (!(k in merged[b])) {
    console.error(`web/i18n/${b}: "${k}" is missing (web/i18n/${a}/${where[a][k]} has it)`);
    bad++;
  }
}
if (bad) {
  console.error(`i18n: ${bad} problem(s)`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
for (const lang of langs) writeFileSync(join(out, `${lang}.json`), JSON.stringify(merged[lang], null, 1) + '\n');
