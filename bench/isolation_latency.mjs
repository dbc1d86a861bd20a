// Latency of the monitoring page's figures and the missed-check list through
// the API (bench/isolation.sh): N sequential requests each, p50/p99 in ms.
// Usage: node bench/isolation_latency.mjs BASE DEVICE_TOKEN UNIT N
const [base, token, unit, n] = process.argv.slice(2);
const H = { Authorization: `Bearer ${token}` };
const day = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
const urls = {
  'GET /isolation-summary (unit of 50,000 orders)': `/api/v1/isolation-summary?unit_id=${unit}`,
  'GET /isolations/missed-checks?day=yesterday': `/api/v1/isolations/missed-checks?day=${day}`,
  'GET /isolations/missed-checks?day=yesterday&after=(page 20)': null,
  'GET /isolations?status=active': '/api/v1/isolations?status=active',
};
async function time(u) {
  const t = performance.now();
  const r = await fetch(base + u, { headers: H });
  const b = await r.text();
  if (!r.ok) throw new Error(`${u}: ${r.status} ${b}`);
  return [performance.now() - t, b];
}
const first = JSON.parse((await time(urls['GET /isolations/missed-checks?day=yesterday']))[1]);
let cursor = first.next;
for (let i = 0; i < 19 && cursor; i++) cursor = JSON.parse((await time(`/api/v1/isolations/missed-checks?day=${day}&after=${cursor}`))[1]).next;
urls['GET /isolations/missed-checks?day=yesterday&after=(page 20)'] = `/api/v1/isolations/missed-checks?day=${day}&after=${cursor || 0}`;
const s = JSON.parse((await time(urls['GET /isolation-summary (unit of 50,000 orders)']))[1]);
console.error(`summary: ${s.active.total} active, ${s.missed_checks} missed today, ${s.releases_due} due`);
for (const [label, u] of Object.entries(urls)) {
  const ts = [];
  for (let i = 0; i < 5; i++) await time(u);
  for (let i = 0; i < Number(n); i++) ts.push((await time(u))[0]);
  ts.sort((a, b) => a - b);
  const p = (q) => ts[Math.min(ts.length - 1, Math.floor(q * ts.length))].toFixed(2);
  console.log(`${label.padEnd(62)} p50 ${p(0.5).padStart(7)} ms   p99 ${p(0.99).padStart(7)} ms`);
}
