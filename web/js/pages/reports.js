// 日报告: the daily and zero reports of a day. The command sees who
// reported, who was late and who is missing, with the reporting rate and
// timeliness (GET /api/v1/reports/status); a unit's officer files a zero
// report in one action, phone-first (POST /api/v1/reports). Above the
// units, the reporting rate and timeliness of the 14 days to the day
// (ECharts), its table one click away and exported with by=day. Export one
// click away.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, loading, errorBox, empty, toast, exportLink, districtDay, errText } from '../dom.js';
import { drawChart } from '../chart.js';

const SPAN = 14; // days the chart shows, ending on the chosen day

function dayBefore(day, n) {
	return new Date(Date.parse(day + 'T00:00:00Z') - n * 86400000).toISOString().slice(0, 10);
}

// Rate and timeliness per day: a line chart, or its table (one click).
function trendCard(day, extra) {
	const from = dayBefore(day, SPAN - 1);
	const url = `/api/v1/reports/status?from=${from}&to=${day}&by=day${extra}`;
	const chartEl = h('div.chart.reports-chart', { style: 'height:240px' });
	const tableEl = h('div.chart-table', { hidden: true });
	const toggle = h('button.btn.btn-small.chart-toggle', {
		type: 'button', 'data-act': 'toggle-table',
		onclick: () => {
			const show = tableEl.hidden;
			tableEl.hidden = !show;
			chartEl.hidden = show;
			toggle.textContent = show ? t('reports.show_chart') : t('reports.show_table');
		},
	}, t('reports.show_table'));
	const card = h('section.card.chart-card.reports-trend',
		h('div.chart-head', h('h2', t('reports.trend', { from, to: day })), h('div.page-actions', toggle, exportLink(url))),
		chartEl, tableEl);
	api('GET', url).then((st) => {
		const days = st.days || [];
		tableEl.replaceChildren(h('div.table-wrap', h('table.table',
			h('thead', h('tr', ['day', 'expected', 'filed', 'on_time', 'late', 'missing', 'rate', 'timeliness'].map((k) => h('th', t('reports.' + k))))),
			h('tbody', days.map((d) => h('tr', [d.day, d.expected, d.filed, d.on_time, d.late, d.missing_n, d.rate + '%', d.timeliness + '%'].map((x) => h('td', String(x)))))))));
		if (!days.some((d) => d.expected)) {
			chartEl.replaceChildren(empty(t('reports.no_trend')));
			return;
		}
		drawChart(chartEl, {
			tooltip: { trigger: 'axis', valueFormatter: (v) => (v == null ? '—' : `${v}%`) },
			legend: { top: 0 },
			grid: { left: 44, right: 16, top: 32, bottom: 28 },
			xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
			yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
			// A day nobody owed a report has no rate: a gap, not a zero.
			series: [
				{ name: t('reports.rate'), type: 'line', data: days.map((d) => (d.expected ? d.rate : null)), itemStyle: { color: '#1565c0' } },
				{ name: t('reports.timeliness'), type: 'line', data: days.map((d) => (d.expected ? d.timeliness : null)), itemStyle: { color: '#2e7d32' } },
			],
		});
	}, (err) => { if (!err.handled) chartEl.replaceChildren(errorBox(err)); });
	return card;
}

export async function render(ctx) {
	let day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.day || '') ? ctx.query.day : districtDay();
	// A leader (包抓) narrows the list to the units of their assignments.
	let mine = ctx.query.mine === '1';
	const sel = () => (mine ? '&mine=1' : '');
	const picker = h('input', { type: 'date', name: 'day', value: day, 'aria-label': t('reports.day'),
		onchange: (e) => { day = e.target.value; ctx.setQuery({ day, mine: mine ? 1 : '' }); draw(day); } });
	const mineBox = h('label.check', h('input', { type: 'checkbox', name: 'mine', checked: mine,
		onchange: (e) => { mine = e.target.checked; ctx.setQuery({ day, mine: mine ? 1 : '' }); draw(day); } }), ' ', t('reports.mine'));
	const body = h('div', loading());
	ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.reports')), h('div.page-actions', picker, mineBox)), body);
	const canFile = ctx.hasPerm('reports.write');

	async function draw(d) {
		body.replaceChildren(loading());
		let st;
		try {
			st = await api('GET', '/api/v1/reports/status?day=' + encodeURIComponent(d) + sel());
		} catch (err) {
			if (!err.handled) body.replaceChildren(errorBox(err));
			return;
		}
		const stats = h('div.stats.summary',
			...[['expected', st.expected], ['filed', st.filed], ['on_time', st.on_time], ['late', st.late],
				['missing', st.missing.length], ['rate', st.rate + '%'], ['timeliness', st.timeliness + '%']]
				.map(([k, v]) => h('div.stat', h('div.stat-n', String(v)), h('div.stat-label', t('reports.' + k)))));
		if (!st.units.length) {
			body.replaceChildren(stats, empty(t(mine ? 'reports.none_mine' : 'reports.none')));
			return;
		}
		const rows = st.units.map((u) => {
			const state = u.state || 'not_expected';
			const act = canFile && state === 'missing'
				? h('button', { type: 'button', class: 'btn btn-primary btn-large', 'data-act': 'zero',
					onclick: async (e) => {
						e.target.disabled = true;
						try {
							await api('POST', '/api/v1/reports', { unit_id: u.unit_id, day: d, zero: true });
							toast(t('reports.zero_filed'));
							draw(d);
						} catch (err) {
							e.target.disabled = false;
							if (!err.handled) toast(errText(err), 'error');
						}
					} }, t('reports.file_zero'))
				: null;
			return h('tr', { class: 'state-' + state, dataset: { unit: u.unit_id } },
				h('td', h('strong', u.name)),
				h('td', h('span', { class: 'badge badge-' + state }, t('reports.state_' + state))),
				h('td', act));
		});
		body.replaceChildren(stats, trendCard(d, sel()),
			h('div.section-head', h('h2', t('reports.units')), exportLink('/api/v1/reports/status?day=' + d + sel())),
			h('div.table-wrap', h('table.table',
				h('thead', h('tr', h('th', t('reports.unit')), h('th', t('reports.state')), h('th', ''))),
				h('tbody', rows))));
	}
	draw(day);
}
