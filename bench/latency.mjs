// bench/latency.mjs: p50/p99 latency through the API of person search (by
// whole ID number, by its last 4 characters, by name, by surname) and of coverage by
// unit (district, sub-district, community), for an officer (scope: one
// sub-district) and the admin (the district), against a running cordon
// serving the full demo. Each query: N requests (default 2,000) from C
// concurrent clients (default 8) cycling through sampled targets, after a
// warm-up. The client's own cost is measured the same way on GET /healthz
// (the baseline), so the figures read against what an empty request costs.
// Usage: node bench/latency.mjs BASE_URL [N] [C]
import { performance } from 'node:perf_hooks';
import { setCookies } from '../tests/api/lib.mjs';

const base = process.argv[2];
const N = Number(process.argv[3] || 2000);
const C = Number(process.argv[4] || 8);
const PASSWORD = 'demo2020';
if (!base) {
  console.error('usage: node bench/latency.mjs BASE_URL [N] [C]');
  process.exit(2);
}

async function signIn(username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status} ${await res.text()}`);
  const cookie = setCookies(res.headers).map((c) => c.split(';')[0]).join('; ');
  await res.arrayBuffer();
  return { username, cookie };
}

async function get(who, path) {
  const res = await fetch(base + path, { headers: who ? { cookie: who.cookie } : {} });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} as ${who?.username}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

function shuffle(a, seed = 7) {
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// Persons to look for: a few from each of many compounds in the user's
// scope, their numbers read whole by the admin (audited reads).
async function samplePersons(who, admin, count) {
  const units = (await get(who, '/api/v1/units?kind=compound&limit=500')).items;
  const picked = shuffle(units.slice()).slice(0, Math.ceil(count / 2));
  const persons = [];
  for (const u of picked) {
    const list = (await get(who, `/api/v1/persons?unit_id=${u.id}&limit=20`)).items;
    for (const p of shuffle(list.slice(), u.id).slice(0, 2)) {
      const whole = await get(admin, `/api/v1/persons/${p.id}?reveal=1`);
      persons.push({ id: p.id, doc: whole.doc_number, name: whole.name });
    }
  }
  return persons.slice(0, count);
}

function pct(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// N requests over the paths (cycled), C at a time; each answer must be 200
// and pass check (when given).
async function measure(who, paths, check) {
  const times = [];
  let next = 0;
  let bad = 0;
  async function worker(n) {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const path = paths[i % paths.length];
      const t0 = performance.now();
      const res = await fetch(base + path, { headers: who ? { cookie: who.cookie } : {} });
      const text = await res.text();
      const dt = performance.now() - t0;
      if (n === N) times.push(dt);
      if (res.status !== 200 || (check && !check(JSON.parse(text), i % paths.length))) bad++;
    }
  }
  // warm-up (not counted), then the measured run
  const warm = Math.min(200, N);
  await Promise.all(Array.from({ length: C }, () => worker(warm)));
  next = 0;
  bad = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, () => worker(N)));
  const wall = performance.now() - t0;
  times.sort((a, b) => a - b);
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), max: times[times.length - 1], rps: (N * 1000) / wall, bad };
}

function report(label, who, r) {
  const flag = r.p99 > 50 ? '  OVER 50 ms' : '';
  const bad = r.bad ? `  ${r.bad} WRONG ANSWERS` : '';
  console.log(
    `${label.padEnd(44)} ${(who || '-').padEnd(8)} p50 ${r.p50.toFixed(2).padStart(7)} ms` +
      `  p99 ${r.p99.toFixed(2).padStart(7)} ms  max ${r.max.toFixed(1).padStart(6)} ms` +
      `  ${r.rps.toFixed(0).padStart(5)} req/s${flag}${bad}`
  );
  return r;
}

const admin = await signIn('admin');
const officer = await signIn('officer');
const results = [];
console.log(`bench/latency: ${N} requests per query, concurrency ${C}, client: node ${process.version} fetch`);
results.push(report('GET /healthz (baseline)', null, await measure(null, ['/healthz'])));

const rounds = (await get(admin, '/api/v1/rounds')).items;
const round = rounds[rounds.length - 1] ? rounds.reduce((a, b) => (a.id > b.id ? a : b)) : null;
for (const who of [officer, admin]) {
  const persons = await samplePersons(who, admin, 200);
  if (!persons.length) throw new Error(`no persons in ${who.username}'s scope`);
  const byId = persons.map((p) => `/api/v1/persons?q=${p.doc}`);
  const byLast4 = persons.map((p) => `/api/v1/persons?q=${p.doc.slice(-4)}`);
  const byName = persons.map((p) => `/api/v1/persons?q=${encodeURIComponent(p.name)}`);
  const found = (body, k) => body.items.some((it) => it.id === persons[k].id);
  results.push(report('persons?q=<whole ID number>', who.username, await measure(who, byId, found)));
  results.push(report('persons?q=<last 4>', who.username, await measure(who, byLast4, (b) => b.items.length > 0)));
  results.push(report('persons?q=<name>', who.username, await measure(who, byName, (b) => b.items.length > 0)));
  // A surname alone: tens of thousands of matches for the common ones.
  const bySurname = persons.map((p) => `/api/v1/persons?q=${encodeURIComponent([...p.name][0])}`);
  results.push(report('persons?q=<surname>', who.username, await measure(who, bySurname, (b) => b.items.length > 0)));
}

if (!round) {
  console.log('no screening round: coverage not measured');
} else {
  const me = await get(admin, '/api/v1/me');
  const district = me.scope_unit.id;
  const ome = await get(officer, '/api/v1/me');
  const sub = ome.scope_unit.id;
  const comms = (await get(officer, `/api/v1/units?parent=${sub}&limit=100`)).items.map((u) => u.id);
  const cov = (u) => `/api/v1/rounds/${round.id}/coverage?unit_id=${u}`;
  const hasRows = (b) => Array.isArray(b.items) && b.items.length > 0;
  results.push(report(`rounds/${round.id}/coverage?unit_id=<district>`, 'admin', await measure(admin, [cov(district)], hasRows)));
  results.push(report(`rounds/${round.id}/coverage?unit_id=<sub-district>`, 'admin', await measure(admin, [cov(sub)], hasRows)));
  results.push(report(`rounds/${round.id}/coverage?unit_id=<community>`, 'admin', await measure(admin, comms.map(cov), hasRows)));
  results.push(report(`rounds/${round.id}/coverage?unit_id=<sub-district>`, 'officer', await measure(officer, [cov(sub)], hasRows)));
  results.push(report(`rounds/${round.id}/coverage?unit_id=<community>`, 'officer', await measure(officer, comms.map(cov), hasRows)));
}
const over = results.filter((r) => r.p99 > 50).length;
const wrong = results.reduce((n, r) => n + r.bad, 0);
console.log(over ? `${over} queries over the 50 ms p99 target` : 'every query within the 50 ms p99 target');
if (wrong) {
  console.log(`${wrong} wrong answers`);
  process.exit(1);
}
