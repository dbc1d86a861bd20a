// 日报告: the daily and zero reports of a day. The command sees who
// reported, who was late and who is missing, with the reporting rate and
// timeliness (GET /api/v1/reports/status); a unit's officer files a zero
// report in one action, phone-first (POST /api/v1/reports). Export one
// click away.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, loading, errorBox, empty, toast, exportLink, districtDay, errText } from '../dom.js';

export async function render(ctx) {
	const day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.day || '') ? ctx.query.day : districtDay();
	const picker = h('input', { type: 'date', name: 'day', value: day, 'aria-label': t('reports.day'),
		onchange: (e) => { ctx.setQuery({ day: e.target.value }); draw(e.target.value); } });
	const body = h('div', loading());
	ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.reports')), picker), body);
	const canFile = ctx.hasPerm('reports.write');

	async function draw(d) {
		body.replaceChildren(loading());
		let st;
		try {
			st = await api('GET', '/api/v1/reports/status?day=' + encodeURIComponent(d));
		} catch (err) {
			if (!err.handled) body.replaceChildren(errorBox(err));
			return;
		}
		const stats = h('div.stats.summary',
			...[['expected', st.expected], ['filed', st.filed], ['on_time', st.on_time], ['late', st.late],
				['missing', st.missing.length], ['rate', st.rate + '%'], ['timeliness', st.timeliness + '%']]
				.map(([k, v]) => h('div.stat', h('div.stat-n', String(v)), h('div.stat-label', t('reports.' + k)))));
		if (!st.units.length) {
			body.replaceChildren(stats, empty(t('reports.none')));
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
		body.replaceChildren(stats,
			h('div.section-head', h('h2', t('reports.units')), exportLink('/api/v1/reports/status?day=' + d)),
			h('div.table-wrap', h('table.table',
				h('thead', h('tr', h('th', t('reports.unit')), h('th', t('reports.state')), h('th', ''))),
				h('tbody', rows))));
	}
	draw(day);
}
