// bench/supplies.sh's client: p50/p99 of the warehouse's reads, then
// approvals per second on one hot item with 16 clients (see supplies.sh).
const [base, nArg, cArg, password] = process.argv.slice(2);
const N = Number(nArg || 2000);
const C = Number(cArg || 8);

async function signIn() {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  if (r.status !== 200) throw new Error(`sign-in: ${r.status} ${await r.text()}`);
  const cookie = /cordon_session=[^;]+/.exec(r.headers.get('set-cookie'))[0];
  const { csrf_token: csrf } = await r.json();
  return async (method, p, body) => {
    const res = await fetch(base + p, { method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

function pct(a, p) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

async function measure(api, path) {
  const times = [];
  let i = 0;
  let bad = 0;
  async function worker() {
    while (i < N) {
      i++;
      const t = performance.now();
      const r = await api('GET', path);
      times.push(performance.now() - t);
      if (r.status !== 200) bad++;
    }
  }
  await Promise.all(Array.from({ length: C }, worker));
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), bad };
}

const api = await signIn();
const chk = await api('GET', '/api/v1/stock/check');
console.log(`check: ${JSON.stringify(chk.body)}`);
const rows = (await api('GET', '/api/v1/stock')).body.items.length;
const q = (await api('GET', '/api/v1/supply-requests?status=open')).body.items;
console.log(`stock rows ${rows}; queue first page ${q.length}, first ${q[0].kind}, last ${q[q.length - 1].kind}`);
const base0 = await measure(api, '/healthz');
for (const [name, p] of [['GET /api/v1/stock', '/api/v1/stock'], ['GET /api/v1/supply-requests?status=open', '/api/v1/supply-requests?status=open']]) {
  const m = await measure(api, p);
  console.log(`${name}: p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms (healthz p50 ${base0.p50.toFixed(2)} / p99 ${base0.p99.toFixed(2)} ms; p99 ratio ${(m.p99 / base0.p99).toFixed(1)}x)${m.bad ? `, ${m.bad} errors` : ''}`);
}

// The hot item: a fresh item with 1,000 units, 2,000 requests of 1.
const item = (await api('POST', '/api/v1/items', { name: '热点物资', unit: '件' })).body;
const wh = (await api('GET', '/api/v1/warehouses')).body.items[0];
await api('POST', '/api/v1/stock/receipts', { warehouse_id: wh.id, item_id: item.id, quantity: 1000, source: 'purchase' });
const unit = (await api('GET', '/api/v1/units?q=B-C')).body.items[0];
const reqs = [];
for (let i = 0; i < 2000; i++) {
  const r = await api('POST', '/api/v1/supply-requests', { unit_id: unit.id, kind: 'checkpoint', lines: [{ item_id: item.id, quantity: 1 }] });
  reqs.push(r.body.id);
}
const clients = await Promise.all(Array.from({ length: 16 }, signIn));
let next = 0;
const counts = { 200: 0, 422: 0, other: 0 };
const t0 = performance.now();
await Promise.all(clients.map(async (c) => {
  while (next < reqs.length) {
    const id = reqs[next++];
    const r = await c('POST', `/api/v1/supply-requests/${id}/approve`, { warehouse_id: wh.id, lines: [{ item_id: item.id, quantity: 1 }] });
    if (r.status === 200 || r.status === 422) counts[r.status]++;
    else counts.other++;
  }
}));
const secs = (performance.now() - t0) / 1000;
const left = (await api('GET', `/api/v1/stock?warehouse_id=${wh.id}&item_id=${item.id}`)).body.items[0].quantity;
const led = [];
for (let after = null; ;) {
  const r = (await api('GET', `/api/v1/stock/ledger?item_id=${item.id}&limit=500${after ? `&after=${after}` : ''}`)).body;
  led.push(...r.items);
  if (!r.next) break;
  after = r.next;
}
const minBalance = Math.min(...led.map((e) => e.balance));
const chk2 = (await api('GET', '/api/v1/stock/check')).body;
console.log(`approvals, one hot item, 16 clients: ${reqs.length} in ${secs.toFixed(2)} s = ${(reqs.length / secs).toFixed(0)} approvals/s (${counts[200]} issued, ${counts[422]} refused 422, ${counts.other} other); on hand after ${left}, lowest running balance ${minBalance}, check ${chk2.ok ? 'ok' : 'MISMATCH'}`);
if (counts[200] !== 1000 || left !== 0 || minBalance < 0 || !chk2.ok || counts.other) process.exit(1);
