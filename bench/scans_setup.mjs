// Setup for bench/scans.sh: through the API of a running cordon, a compound
// with a gate, a gate tablet (device token) and N residents with passes.
// Usage: node bench/scans_setup.mjs BASE ADMIN_PASSWORD N OUTDIR
// Writes OUTDIR/tokens.txt (one pass token a line), OUTDIR/device.txt and
// OUTDIR/path.txt (the scan route of the gate).
import fs from 'node:fs/promises';
import path from 'node:path';
import { setCookies } from '../tests/api/lib.mjs';

const [base, password, nArg, out] = process.argv.slice(2);
const N = Number(nArg || 2000);
let cookie = '';
let csrf = '';

async function call(method, p, body) {
  const res = await fetch(base + p, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  if (!cookie) {
    const sc = setCookies(res.headers).find((c) => c.startsWith('cordon_session='));
    if (sc) cookie = sc.split(';')[0];
  }
  return JSON.parse(text);
}

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}

const login = await call('POST', '/api/v1/session', { username: 'admin', password });
csrf = login.csrf_token;
const me = await call('GET', '/api/v1/me');
const tag = Date.now().toString(36);
const sd = await call('POST', '/api/v1/units', { parent_id: me.scope_unit.id, kind: 'subdistrict', code: `BS-${tag}`, name: '压测街道' });
const cm = await call('POST', '/api/v1/units', { parent_id: sd.id, kind: 'community', code: `BC-${tag}`, name: '压测社区' });
const k = await call('POST', '/api/v1/units', { parent_id: cm.id, kind: 'compound', code: `BK-${tag}`, name: '压测小区' });
const gate = await call('POST', '/api/v1/gates', { unit_id: k.id, name: '正门' });
const dev = await call('POST', '/api/v1/devices', { name: '压测门岗平板', role: 'grid_worker', scope_unit_id: k.id });

const tokens = new Array(N);
let next = 0;
async function worker() {
  for (;;) {
    const i = next++;
    if (i >= N) return;
    const doc = rid(`640106${1950 + Math.floor(i / 1000)}0101${String(i % 1000).padStart(3, '0')}`);
    const p = await call('POST', '/api/v1/persons', { doc_number: doc, name: `住户${i}`, unit_id: k.id });
    const pass = await call('POST', '/api/v1/passes', { person_id: p.id });
    tokens[i] = pass.token;
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
await fs.writeFile(path.join(out, 'tokens.txt'), tokens.join('\n') + '\n');
await fs.writeFile(path.join(out, 'device.txt'), dev.token);
await fs.writeFile(path.join(out, 'path.txt'), `/api/v1/gates/${gate.id}/scans`);
console.error(`setup: ${N} residents with passes at gate ${gate.id}`);
