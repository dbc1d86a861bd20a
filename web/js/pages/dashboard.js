// 指挥长看板: the commander's first page. The day's bulletin (GET
// /api/v1/bulletin?day=) with each figure's change from the day before, and
// charts of the things the evening dispatch looks at — the epidemic curve,
// isolations by kind and hotel occupancy, screening coverage by town,
// checkpoint traffic per day, reporting completeness and timeliness, supply
// alerts, the resumption rate — each with its table one click away. Every
// number links to the list behind it (where the user may open that page);
// a day picker, the printable bulletin and its workbook. On the demo
// district (whose records are of early 2020) it opens at the demo day and
// says so.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, loading, errorBox } from '../dom.js';
import { drawChart } from '../charts.js';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

// Day arithmetic on YYYY-MM-DD strings, in UTC so no local zone moves it.
function addDays(day, n) {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

const fmt = (n) => (n == null ? '—' : Number(n).toLocaleString('en-US'));
const yuan = (fen) => (fen == null ? '—' : (fen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 }));

// The figures, each with its section, label, value and the page it opens.
function figures(b) {
	const rounds = b.screening || [];
	const out = [
		['cases', 'confirmed_total', b.cases.confirmed_total, 'cases'],
		['cases', 'cured_total', b.cases.cured_total, 'cases?status=cured'],
		['cases', 'deaths_total', b.cases.deaths_total, 'cases?status=died'],
		['cases', 'critical_now', b.cases.critical_now, 'cases'],
		['cases', 'medical_workers_infected', b.cases.medical_workers_infected, 'cases'],
		['cases', 'days_without_new_confirmed', b.cases.days_without_new_confirmed, 'cases'],
		['epidemic_points', 'total', b.epidemic_points.total, 'epipoints'],
		['epidemic_points', 'lifted', b.epidemic_points.lifted, 'epipoints'],
		['command', 'working_groups', b.command.working_groups, 'command'],
		['command', 'leaders', b.command.leaders, 'command?tab=leaders'],
		['command', 'responsible_units', b.command.responsible_units, 'command?tab=orgs'],
		['checkpoints', 'road', b.checkpoints.road, 'checkpoints'],
		['checkpoints', 'rail', b.checkpoints.rail, 'checkpoints'],
		['checkpoints', 'road_vehicles', b.checkpoints.road_vehicles, 'checkpoints'],
		['checkpoints', 'road_person_trips', b.checkpoints.road_person_trips, 'checkpoints'],
		['checkpoints', 'rail_trains', b.checkpoints.rail_trains, 'checkpoints'],
		['checkpoints', 'rail_person_trips', b.checkpoints.rail_person_trips, 'checkpoints'],
		['notices', 'notices', b.notices, 'notices'],
	];
	rounds.forEach((r, i) => {
		out.push(['screening', `households.${i}`, r.households, `rounds/${r.round_id}`, t('dashboard.round_households', { n: r.round })]);
		out.push(['screening', `persons.${i}`, r.persons, `rounds/${r.round_id}`, t('dashboard.round_persons', { n: r.round })]);
	});
	out.push(
		['isolation', 'centralized_active', b.isolation.centralized_active, 'isolation/orders?status=active'],
		['isolation', 'home_active', b.isolation.home_active, 'isolation/orders?status=active'],
		['isolation', 'released_total', b.isolation.released_total, 'isolation/orders?status=released'],
		['funds', 'allocated_fen', b.funds.allocated_fen, 'supplies?tab=funds'],
		['funds', 'donations_fen', b.funds.donations_fen, 'supplies?tab=donations'],
		['enterprises', 'above_scale', b.enterprises.above_scale, 'enterprises'],
		['enterprises', 'resumed', b.enterprises.resumed, 'enterprises'],
		['enterprises', 'seasonal', b.enterprises.seasonal, 'enterprises'],
		['supervision', 'inspection_groups', b.supervision.inspection_groups, 'supervision'],
		['supervision', 'support_groups', b.supervision.support_groups, 'supervision'],
		['reporting', 'expected', b.reporting.expected, 'reports'],
		['reporting', 'filed', b.reporting.filed, 'reports'],
		['reporting', 'on_time', b.reporting.on_time, 'reports'],
	);
	return out.map(([section, key, value, href, label]) => ({
		section, key, value, href, label: label || t(`dashboard.f.${section}.${key.replace(/\.\d+$/, '')}`),
		money: section === 'funds',
	}));
}

// A figure as a card: the number (a link to its list when the user may open
// that page), its label and the change from the day before.
function figureCard(ctx, f, prev, day) {
	const text = f.money ? yuan(f.value) : fmt(f.value);
	const key = f.href.split(/[/?]/)[0];
	const num = ctx.canOpen && ctx.canOpen(key)
		? h('a.stat-n.fig-link', { href: `#/${f.href}`, dataset: { fig: `${f.section}.${f.key}` } }, text)
		: h('div.stat-n', { dataset: { fig: `${f.section}.${f.key}` } }, text);
	let delta = null;
	if (prev != null && f.value != null) {
		const d = f.value - prev;
		const dt = f.money ? yuan(Math.abs(d)) : fmt(Math.abs(d));
		delta = h('div.fig-delta' + (d > 0 ? '.up' : d < 0 ? '.down' : ''), {
			title: t('dashboard.change_from', { day: addDays(day, -1) }),
		}, d > 0 ? `+${dt}` : d < 0 ? `−${dt}` : '±0');
	}
	return h('div.stat.fig', num, h('div.stat-label', f.label + (f.money ? t('dashboard.yuan') : '')), delta);
}

// A card with a chart and, one click away, the same data as a table.
function chartCard(title, { height = 260 } = {}) {
	const chartEl = h('div.chart', { style: `height:${height}px` });
	const tableEl = h('div.chart-table', { hidden: true });
	const toggle = h('button.btn.btn-small.chart-toggle', {
		type: 'button',
		onclick: () => {
			const showTable = tableEl.hidden;
			tableEl.hidden = !showTable;
			chartEl.hidden = showTable;
			toggle.textContent = showTable ? t('dashboard.show_chart') : t('dashboard.show_table');
		},
	}, t('dashboard.show_table'));
	const card = h('section.card.chart-card', h('div.chart-head', h('h2', title), toggle), chartEl, tableEl);
	return {
		card,
		async draw(option, head, rows) {
			tableEl.replaceChildren(h('div.table-wrap', h('table.table',
				h('thead', h('tr', head.map((x) => h('th', x)))),
				h('tbody', rows.map((r) => h('tr', r.map((x) => h('td', x == null ? '' : String(x)))))))));
			if (!rows.length) {
				chartEl.replaceChildren(h('p.muted', t('dashboard.no_data')));
				return;
			}
			try {
				await drawChart(chartEl, option);
			} catch (err) {
				chartEl.replaceChildren(errorBox(err));
			}
		},
		note(text) {
			chartEl.replaceChildren(h('p.muted', text));
			toggle.hidden = true;
		},
	};
}

export async function render(ctx) {
	const root = ctx.root;
	let day = DAY_RE.test(ctx.query.day || '') ? ctx.query.day : null;
	let b;
	try {
		b = await api('GET', `/api/v1/bulletin${day ? `?day=${day}` : ''}`);
	} catch (err) {
		if (!err.handled) root.replaceChildren(errorBox(err));
		return;
	}
	// The demo's records are of early 2020: without a chosen day it opens there.
	let demoNote = null;
	if (!day && b.demo_day && b.demo_day !== b.day) {
		day = b.demo_day;
		b = await api('GET', `/api/v1/bulletin?day=${day}`);
		demoNote = h('div.alert.alert-info.demo-note', t('dashboard.demo_note', { day }));
	}
	day = b.day;
	const prev = await api('GET', `/api/v1/bulletin?day=${addDays(day, -1)}`).catch(() => null);

	const picker = h('input.day-picker', {
		type: 'date', value: day, 'aria-label': t('dashboard.day'),
		onchange: (e) => { if (DAY_RE.test(e.target.value)) ctx.go(`#/dashboard?day=${e.target.value}`); },
	});
	const head = h('div.page-head.dash-head',
		h('h1', t('dashboard.title', { scope: b.scope_name || '' })),
		h('div.page-actions.no-print',
			h('button.btn.btn-small', { type: 'button', onclick: () => ctx.go(`#/dashboard?day=${addDays(day, -1)}`) }, t('dashboard.prev_day')),
			picker,
			h('button.btn.btn-small', { type: 'button', onclick: () => ctx.go(`#/dashboard?day=${addDays(day, 1)}`) }, t('dashboard.next_day')),
			h('a.btn.btn-small', { href: `/api/v1/bulletin?day=${day}&format=html`, target: '_blank', rel: 'noopener' }, t('dashboard.printable')),
			h('a.btn.btn-small.btn-export', { href: `/api/v1/bulletin?day=${day}&format=xlsx`, download: true }, t('common.export_xlsx')),
			h('button.btn.btn-small', { type: 'button', onclick: () => window.print() }, t('dashboard.print'))));
	const asOf = h('p.muted.as-of', t('dashboard.as_of', { day }));

	const figs = figures(b);
	const prevFigs = prev ? figures(prev) : [];
	const prevOf = (f) => {
		const p = prevFigs.find((x) => x.section === f.section && x.key === f.key);
		return p ? p.value : null;
	};
	const sections = [];
	for (const s of ['cases', 'epidemic_points', 'command', 'checkpoints', 'notices', 'screening', 'isolation', 'funds', 'enterprises', 'supervision', 'reporting']) {
		const mine = figs.filter((f) => f.section === s);
		if (!mine.length) continue;
		sections.push(h('section.fig-section', { dataset: { section: s } },
			h('h2', t(`dashboard.s.${s}`)),
			h('div.stats.figs', mine.map((f) => figureCard(ctx, f, prevOf(f), day)))));
	}
	const rate = b.enterprises.resumption_rate || 0;

	const charts = h('div.chart-grid');
	root.replaceChildren(...[demoNote, head, asOf, ...sections, charts].filter(Boolean));
	drawCharts(ctx, charts, b, day, rate);
}

export function update(ctx) {
	ctx.root.replaceChildren(loading());
	return render(ctx);
}

async function drawCharts(ctx, box, b, day, rate) {
	const curve = chartCard(t('dashboard.c.curve'));
	const traffic = chartCard(t('dashboard.c.traffic'));
	const coverage = chartCard(t('dashboard.c.coverage'));
	const isolation = chartCard(t('dashboard.c.isolation'));
	const reporting = chartCard(t('dashboard.c.reporting'), { height: 220 });
	const resumption = chartCard(t('dashboard.c.resumption'), { height: 220 });
	const supplies = chartCard(t('dashboard.c.supplies'));
	box.replaceChildren(curve.card, traffic.card, coverage.card, isolation.card, reporting.card, resumption.card, supplies.card);
	const from = addDays(day, -29);
	const days = [];
	for (let d = from; d <= day; d = addDays(d, 1)) days.push(d);

	// The epidemic curve: new confirmed cases by report day, and the total.
	if (ctx.hasPerm('cases.read')) {
		api('GET', `/api/v1/cases/curve?from=2020-01-01&to=${day}`).then((c) => {
			let total = 0;
			const rows = (c.days || []).map((x) => { total += x.by_report; return [x.day, x.by_report, x.by_onset, total]; });
			curve.draw({
				tooltip: { trigger: 'axis' }, legend: { top: 0 },
				grid: { left: 40, right: 40, top: 30, bottom: 30 },
				xAxis: { type: 'category', data: rows.map((r) => r[0].slice(5)) },
				yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', minInterval: 1 }],
				series: [
					{ name: t('dashboard.curve_new'), type: 'bar', data: rows.map((r) => r[1]), itemStyle: { color: '#c62828' } },
					{ name: t('dashboard.curve_total'), type: 'line', yAxisIndex: 1, data: rows.map((r) => r[3]) },
				],
			}, [t('dashboard.day'), t('dashboard.curve_new'), t('dashboard.curve_onset'), t('dashboard.curve_total')], rows);
		}).catch(() => curve.note(t('dashboard.no_data')));
	} else curve.note(t('dashboard.no_permission'));

	// Checkpoint traffic per day over the last 30 days.
	if (ctx.hasPerm('checkpoints.read')) {
		api('GET', `/api/v1/checkpoints/counts?from=${from}&to=${day}`).then((c) => {
			const per = new Map(days.map((d) => [d, [0, 0, 0]]));
			for (const it of c.items || []) {
				const row = per.get(it.day);
				if (!row) continue;
				if (it.kind === 'rail') row[2] += it.person_trips;
				else { row[0] += it.vehicles; row[1] += it.person_trips; }
			}
			const rows = days.map((d) => [d, ...per.get(d)]).filter((r) => r[1] || r[2] || r[3]);
			traffic.draw({
				tooltip: { trigger: 'axis' }, legend: { top: 0 },
				grid: { left: 50, right: 20, top: 30, bottom: 30 },
				xAxis: { type: 'category', data: rows.map((r) => r[0].slice(5)) },
				yAxis: { type: 'value' },
				series: [
					{ name: t('dashboard.f.checkpoints.road_vehicles'), type: 'line', data: rows.map((r) => r[1]) },
					{ name: t('dashboard.f.checkpoints.road_person_trips'), type: 'line', data: rows.map((r) => r[2]) },
					{ name: t('dashboard.f.checkpoints.rail_person_trips'), type: 'line', data: rows.map((r) => r[3]) },
				],
			}, [t('dashboard.day'), t('dashboard.f.checkpoints.road_vehicles'), t('dashboard.f.checkpoints.road_person_trips'),
				t('dashboard.f.checkpoints.rail_person_trips')], rows);
		}).catch(() => traffic.note(t('dashboard.no_data')));
	} else traffic.note(t('dashboard.no_permission'));

	// Screening coverage by town in the latest round.
	const round = (b.screening || [])[b.screening.length - 1];
	if (round && ctx.hasPerm('screening.read')) {
		api('GET', `/api/v1/rounds/${round.round_id}/coverage`).then((c) => {
			const rows = (c.items || []).map((x) => [x.unit_name, x.households_visited, x.households, Math.round(x.rate * 1000) / 10]);
			coverage.draw({
				tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
				grid: { left: 100, right: 30, top: 10, bottom: 30 },
				xAxis: { type: 'value', max: 100 },
				yAxis: { type: 'category', data: rows.map((r) => r[0]), inverse: true },
				series: [{ name: t('dashboard.coverage_rate'), type: 'bar', data: rows.map((r) => r[3]), itemStyle: { color: '#1565c0' },
					label: { show: true, position: 'right', formatter: '{c}%' } }],
			}, [t('dashboard.unit'), t('dashboard.households_visited'), t('dashboard.households'), t('dashboard.coverage_rate')], rows);
		}).catch(() => coverage.note(t('dashboard.no_data')));
	} else coverage.note(round ? t('dashboard.no_permission') : t('dashboard.no_data'));

	// Isolations under way by kind, and each hotel's beds in use.
	const isoRows = [[t('dashboard.f.isolation.centralized_active'), b.isolation.centralized_active],
		[t('dashboard.f.isolation.home_active'), b.isolation.home_active]];
	const sites = ctx.hasPerm('isolation.read')
		? await api('GET', '/api/v1/isolation-sites?kind=hotel&limit=50').then((r) => r.items || []).catch(() => [])
		: [];
	const siteRows = sites.map((s) => [s.name, s.occupied, s.beds]);
	isolation.draw({
		tooltip: {}, legend: { top: 0 },
		grid: [{ left: 40, right: '55%', top: 40, bottom: 30 }, { left: '55%', right: 20, top: 40, bottom: 30 }],
		xAxis: [{ type: 'category', data: isoRows.map((r) => r[0]), gridIndex: 0 },
			{ type: 'category', data: siteRows.map((r) => r[0]), gridIndex: 1, axisLabel: { interval: 0, rotate: 20 } }],
		yAxis: [{ type: 'value', minInterval: 1, gridIndex: 0 }, { type: 'value', minInterval: 1, gridIndex: 1 }],
		series: [
			{ name: t('dashboard.isolated'), type: 'bar', data: isoRows.map((r) => r[1]), xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: '#ef6c00' } },
			{ name: t('dashboard.beds_used'), type: 'bar', stack: 'beds', data: siteRows.map((r) => r[1]), xAxisIndex: 1, yAxisIndex: 1, itemStyle: { color: '#ef6c00' } },
			{ name: t('dashboard.beds_free'), type: 'bar', stack: 'beds', data: siteRows.map((r) => r[2] - r[1]), xAxisIndex: 1, yAxisIndex: 1, itemStyle: { color: '#c8e6c9' } },
		],
	}, [t('dashboard.what'), t('dashboard.count'), t('dashboard.beds')],
	[...isoRows.map((r) => [r[0], r[1], '']), ...siteRows]);

	// Reporting completeness and timeliness of the day.
	const r = b.reporting;
	const pct = (a, n) => (n ? Math.round((a * 1000) / n) / 10 : 0);
	const repRows = [[t('dashboard.completeness'), r.filed, r.expected, pct(r.filed, r.expected)],
		[t('dashboard.timeliness'), r.on_time, r.expected, pct(r.on_time, r.expected)]];
	reporting.draw({
		tooltip: { valueFormatter: (v) => `${v}%` },
		grid: { left: 80, right: 50, top: 10, bottom: 30 },
		xAxis: { type: 'value', max: 100 },
		yAxis: { type: 'category', data: repRows.map((x) => x[0]) },
		series: [{ type: 'bar', data: repRows.map((x) => x[3]), label: { show: true, position: 'right', formatter: '{c}%' }, itemStyle: { color: '#2e7d32' } }],
	}, [t('dashboard.what'), t('dashboard.f.reporting.filed'), t('dashboard.f.reporting.expected'), '%'], r.expected ? repRows : []);

	// The resumption rate: resumed / (above size − seasonal).
	const base = b.enterprises.above_scale - b.enterprises.seasonal;
	resumption.draw({
		series: [{ type: 'gauge', min: 0, max: 100, progress: { show: true, width: 14 }, axisLine: { lineStyle: { width: 14 } },
			detail: { formatter: '{value}%', fontSize: 22 }, data: [{ value: Math.round(rate * 1000) / 10, name: t('dashboard.resumption_rate') }] }],
	}, [t('dashboard.f.enterprises.resumed'), t('dashboard.base'), t('dashboard.resumption_rate')],
	base > 0 ? [[b.enterprises.resumed, base, `${Math.round(rate * 1000) / 10}%`]] : []);

	// Supply alerts: items at or below their low-stock threshold.
	if (ctx.hasPerm('supplies.read')) {
		api('GET', '/api/v1/stock').then((s) => {
			const low = (s.items || []).filter((x) => x.low);
			const rows = low.map((x) => [x.item, x.warehouse, x.quantity, x.unit]);
			if (!rows.length) { supplies.note(t('dashboard.no_alerts')); return; }
			supplies.draw({
				tooltip: {}, grid: { left: 110, right: 30, top: 10, bottom: 30 },
				xAxis: { type: 'value' }, yAxis: { type: 'category', data: rows.map((x) => `${x[0]}·${x[1]}`), inverse: true },
				series: [{ type: 'bar', data: rows.map((x) => x[2]), itemStyle: { color: '#c62828' } }],
			}, [t('dashboard.item'), t('dashboard.warehouse'), t('dashboard.quantity'), t('dashboard.unit_of')], rows);
		}).catch(() => supplies.note(t('dashboard.no_data')));
	} else supplies.note(t('dashboard.no_permission'));
}
