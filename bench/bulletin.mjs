// bench/bulletin.mjs BASE N: p50/p99 through the API of the bulletin
// (GET /api/v1/bulletin for the demo day, as the commander, the whole
// district) and of the dashboard's queries (the day and the day before,
// checkpoint traffic of 30 days, coverage of the latest round, the
// epidemic curve, hotel beds and stock), N sequential requests each after
// 3 of warm-up; GET /healthz measured the same way as the baseline of what
// the client and HTTP cost. A bulletin is kept only while nothing is
// committed, so the first one after any commit is counted afresh: the
// "after a commit" lines sign in (a session row committed, not timed)
// before each request; the "a new day each" lines ask 20 days in turn
// (more than the server keeps), back to the rounds' first days (the
// screening and checkpoint figures are day counters summed up to the day,
// so a day long past costs what the demo day does).
// Then person search by surname (the commander: the district; the officer:
// a sub-district) and each round's coverage. Prints one line per query.
const [base, nArg] = process.argv.slice(2);
const N = Number(nArg || 200);

async function signIn(username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo2020' }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
  const raw = res.headers.get('set-cookie') || '';
  return raw.split(/,(?=\s*[^;,=\s]+=)/).map((c) => c.split(';')[0].trim()).join('; ');
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function measure(cookie, name, paths, warm = 3, pre = null) {
  const get = async (p) => {
    const r = await fetch(base + p, { headers: { Cookie: cookie } });
    if (r.status !== 200) throw new Error(`${p}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  };
  const at = (p, i) => (typeof p === 'function' ? p(i) : p);
  for (let i = 0; i < warm; i++) for (const p of paths) await get(at(p, -1 - i));
  const ms = [];
  for (let i = 0; i < N; i++) {
    if (pre) await pre();
    const t0 = performance.now();
    for (const p of paths) await get(at(p, i));
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} p50 ${pct(ms, 50).toFixed(1).padStart(7)} ms  p99 ${pct(ms, 99).toFixed(1).padStart(7)} ms  (n=${N})`);
}

const cookie = await signIn('commander');
const day = '2020-02-15';
const rounds = await (await fetch(`${base}/api/v1/rounds?limit=100`, { headers: { Cookie: cookie } })).json();
const last = (rounds.items || []).slice().sort((a, b) => String(b.start_date).localeCompare(String(a.start_date)))[0];
await measure(cookie, 'GET /healthz (baseline)', ['/healthz']);
await measure(cookie, 'bulletin (district, 2020-02-15)', [`/api/v1/bulletin?day=${day}`]);
const officer = await signIn('officer');
await measure(officer, 'bulletin (a sub-district officer)', [`/api/v1/bulletin?day=${day}`]);
await measure(cookie, 'dashboard: its 8 queries, one after another', [
  `/api/v1/bulletin?day=${day}`, '/api/v1/bulletin?day=2020-02-14',
  '/api/v1/checkpoints/counts?from=2020-01-17&to=2020-02-15',
  last ? `/api/v1/rounds/${last.id}/coverage` : '/healthz',
  `/api/v1/cases/curve?from=2020-01-01&to=${day}`,
  '/api/v1/isolation-sites?kind=hotel&limit=50', '/api/v1/stock', '/healthz',
]);

await measure(cookie, 'bulletin after a commit (district)', [`/api/v1/bulletin?day=${day}`], 0, () => signIn('officer'));
await measure(officer, 'bulletin after a commit (officer)', [`/api/v1/bulletin?day=${day}`], 0, () => signIn('officer'));
await measure(cookie, 'dashboard after a commit (its 8 queries)', [
  `/api/v1/bulletin?day=${day}`, '/api/v1/bulletin?day=2020-02-14',
  '/api/v1/checkpoints/counts?from=2020-01-17&to=2020-02-15',
  last ? `/api/v1/rounds/${last.id}/coverage` : '/healthz',
  `/api/v1/cases/curve?from=2020-01-01&to=${day}`,
  '/api/v1/isolation-sites?kind=hotel&limit=50', '/api/v1/stock', '/healthz',
], 0, () => signIn('officer'));
// 20 days before the demo day, one a request: none kept (16 are)
const days = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2020, 1, 15 - i)).toISOString().slice(0, 10));
await measure(cookie, 'bulletin afresh (district, a new day each)', [(i) => `/api/v1/bulletin?day=${days[(i + 20) % 20]}`], 0);
await measure(officer, 'bulletin afresh (officer, a new day each)', [(i) => `/api/v1/bulletin?day=${days[(i + 20) % 20]}`], 0);
await measure(cookie, 'persons?q=王 (commander, the district)', ['/api/v1/persons?q=%E7%8E%8B']);
await measure(officer, 'persons?q=王 (officer, a sub-district)', ['/api/v1/persons?q=%E7%8E%8B']);
for (const r of (rounds.items || [])) {
  await measure(cookie, `rounds/${r.id}/coverage (commander)`, [`/api/v1/rounds/${r.id}/coverage`]);
}
