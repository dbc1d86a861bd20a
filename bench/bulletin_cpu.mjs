// bench/bulletin_cpu.mjs BASE SERVER_PID [POSTMASTER_PID] [N]: the CPU time
// a bulletin and the dashboard cost, which the load of a shared machine
// does not inflate as it does wall time: the server's utime + stime (and,
// on PostgreSQL, that of every backend under POSTMASTER_PID) read from
// /proc around each of N requests. "bulletin afresh" asks 20 days in turn,
// back to the rounds' first days (more than the server keeps); "dashboard
// after a commit" signs in (a commit, not counted) before its 8 queries.
// Run it against an old and a new binary on the same data, side by side.
import { readFileSync, readdirSync } from 'node:fs';

const [base, spid, ppid, nArg] = process.argv.slice(2);
const N = Number(nArg || 50);
const ticks = (pid) => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: f[1], ms: (Number(f[11]) + Number(f[12])) * 10 }; // USER_HZ 100
  } catch { return null; }
};
const cpu = () => {
  let t = ticks(spid).ms;
  if (ppid) {
    for (const d of readdirSync('/proc')) {
      const s = /^\d+$/.test(d) && ticks(d);
      if (s && s.ppid === ppid) t += s.ms;
    }
  }
  return t;
};
async function signIn(username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo2020' }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
  return (res.headers.get('set-cookie') || '').split(';')[0];
}
const cookie = await signIn('commander');
const get = async (p) => {
  const r = await fetch(base + p, { headers: { Cookie: cookie } });
  if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
  await r.arrayBuffer();
};
const rounds = await (await fetch(`${base}/api/v1/rounds?limit=100`, { headers: { Cookie: cookie } })).json();
const last = (rounds.items || []).slice().sort((a, b) => String(b.start_date).localeCompare(String(a.start_date)))[0];
const dashboard = ['/api/v1/bulletin?day=2020-02-15', '/api/v1/bulletin?day=2020-02-14',
  '/api/v1/checkpoints/counts?from=2020-01-17&to=2020-02-15',
  last ? `/api/v1/rounds/${last.id}/coverage` : '/healthz',
  '/api/v1/cases/curve?from=2020-01-01&to=2020-02-15',
  '/api/v1/isolation-sites?kind=hotel&limit=50', '/api/v1/stock', '/healthz'];
const days = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2020, 1, 15 - i)).toISOString().slice(0, 10));

async function measure(name, paths, pre) {
  for (let i = 0; i < 5; i++) { if (pre) await pre(); for (const p of paths(i)) await get(p); }
  const wall = [];
  let used = 0;
  for (let i = 0; i < N; i++) {
    if (pre) await pre();
    const c0 = cpu();
    const t0 = performance.now();
    for (const p of paths(i)) await get(p);
    wall.push(performance.now() - t0);
    used += cpu() - c0;
  }
  wall.sort((a, b) => a - b);
  const pct = (p) => wall[Math.min(N - 1, Math.floor((N * p) / 100))].toFixed(1);
  console.log(`${name.padEnd(36)} CPU ${(used / N).toFixed(1).padStart(6)} ms  wall p50 ${pct(50).padStart(7)} p99 ${pct(99).padStart(7)} ms  (n=${N})`);
}
await measure('bulletin afresh (a new day each)', (i) => [`/api/v1/bulletin?day=${days[i % 20]}`]);
await measure('dashboard after a commit', () => dashboard, () => signIn('officer'));
