// 风险地区: the risk areas the command grades arrivals by (GB/T 2260 codes,
// a grade or risk level, the dates it applies; add, edit and delete with
// areas.write), and the arrivals: a table of arrivals by grade for a unit's
// children with drill-down (GET /api/v1/arrivals/by-grade?unit_id=) and the
// arrivals list filtered by unit, grade, handling and dates, under a chart
// of arrivals per day by grade (its table a click away). Also exports
// the labels and tags of grades, handling and travel modes, the division
// picker and the unit trail that other pages use.
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import { drawChart } from '../chart.js';
import {
	h, loading, errorBox, field, input, select, form, values, qs, pagedTable, exportLink, disclosure,
	toast, confirmDialog, errText, searchPicker, tabLinks, button, unitPicker,
	districtDay,
} from '../dom.js';

export const GRADES = ['severe', 'heavy', 'high', 'medium', 'other_province', 'local', 'low'];
export const HANDLING = ['centralized', 'home', 'monitor'];
export const MODES = ['car', 'train', 'plane', 'other'];

const GRADE_TONE = { severe: 'severe', heavy: 'danger', high: 'danger', medium: 'warn', other_province: 'warn', local: 'ok', low: 'ok' };
const HANDLING_TONE = { centralized: 'danger', home: 'warn', monitor: 'info' };

export function gradeTag(g) {
	if (!g) return '';
	return h('span.tag.tag-' + (GRADE_TONE[g] || 'plain'), { dataset: { grade: g } }, t('grades.' + g));
}

export function handlingTag(x) {
	if (!x) return '';
	return h('span.tag.tag-' + (HANDLING_TONE[x] || 'plain'), { dataset: { handling: x } }, t('handling.' + x));
}

export function modeLabel(m) {
	return m ? t('modes.' + m) : '';
}

// A picker of GB/T 2260 divisions (GET /api/v1/divisions?q=); the chosen
// code goes into the hidden input `name`.
export function divisionPicker(name, initial, opts = {}) {
	return searchPicker(name, {
		url: (q) => '/api/v1/divisions' + qs({ q }),
		value: (d) => d.code,
		label: (d) => h('span', d.level ? h('span.badge', t('divisions.level_' + d.level)) : null, ' ', d.name || '', h('span.muted.mono', ' ' + d.code)),
		initial,
		placeholder: t('divisions.placeholder'),
		none: t('divisions.none'),
		...opts,
	});
}

// A breadcrumb of a unit's ancestors from the user's scope unit down to it
// (GET /api/v1/units/ID), each linked by hrefOf(unit). Filled in when the
// answer comes; stays empty on an error.
export function unitTrail(unitId, scopeId, hrefOf) {
	const nav = h('nav.breadcrumb', { 'aria-label': t('units.breadcrumb') });
	if (!unitId) return nav;
	api('GET', `/api/v1/units/${encodeURIComponent(unitId)}`).then((u) => {
		let anc = u.ancestors || [];
		const i = anc.findIndex((a) => String(a.id) === String(scopeId));
		anc = i >= 0 ? anc.slice(i) : String(u.id) === String(scopeId) ? [] : anc;
		nav.replaceChildren(h('ol',
			anc.map((a) => h('li', h('a', { href: hrefOf(a) }, a.name))),
			h('li', { 'aria-current': 'page' }, u.name)));
	}).catch(() => {});
	return nav;
}

export async function render(ctx) {
	const tab = ctx.params[0] === 'arrivals' ? 'arrivals' : 'areas';
	const tabs = tabLinks([
		['areas', '#/areas', t('areas.tab_areas')],
		['arrivals', '#/areas/arrivals', t('areas.tab_arrivals')],
	], tab);
	const body = h('div.tab-body');
	ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.areas'))), tabs, body);
	if (tab === 'arrivals') arrivalsTab(ctx, body);
	else areasTab(ctx, body);
}

function dateSpan(a) {
	return h('span.nowrap', a.valid_from || '', ' – ', a.valid_to || t('areas.open_ended'));
}

function areasTab(ctx, body) {
	const canWrite = ctx.hasPerm('areas.write');
	let on = ctx.query.on || '';
	const url = () => '/api/v1/risk-areas' + qs({ on });
	const editBox = h('div.edit-box');
	const columns = [
		{ label: t('areas.name'), cell: (a) => h('strong', a.name || a.code) },
		{ label: t('areas.code'), cell: (a) => h('span.mono', a.code) },
		{ label: t('areas.grade'), cell: (a) => gradeTag(a.grade) },
		{ label: t('areas.handling'), cell: (a) => handlingTag(HANDLING_OF[a.grade]) },
		{ label: t('areas.dates'), cell: dateSpan },
		{ label: t('areas.note'), cell: (a) => a.note || '' },
	];
	if (canWrite) {
		columns.push({
			label: t('common.actions'), class: 'actions',
			cell: (a) => h('span.row-actions',
				button(t('common.edit'), { class: 'btn btn-small', 'data-act': 'edit', onclick: () => showEdit(a) }),
				button(t('common.delete'), {
					class: 'btn btn-small btn-danger', 'data-act': 'delete',
					onclick: async (e) => {
						const row = e.target.closest('tr');
						// Before: how many arrivals the delete regrades (a dry
						// run); after: how many it did.
						let n = null;
						try {
							n = (await api('DELETE', `/api/v1/risk-areas/${a.id}?dry_run=1`)).regraded;
						} catch (err) {
							if (!err.handled) toast(errText(err), 'error');
							return;
						}
						if (!(await confirmDialog(t('areas.confirm_delete', { name: a.name || a.code, n }), { okLabel: t('common.delete') }))) return;
						try {
							const res = await api('DELETE', `/api/v1/risk-areas/${a.id}`);
							toast(t('areas.deleted_regraded', { n: res && res.regraded != null ? res.regraded : n }));
							row.remove();
						} catch (err) {
							if (!err.handled) toast(errText(err), 'error');
						}
					},
				})),
		});
	}
	const list = pagedTable({ url, columns, rowAttrs: (a) => ({ dataset: { code: a.code } }), emptyText: t('areas.none') });
	const exp = exportLink(url());
	const filter = h('form.search-bar.filters', { role: 'search' },
		h('label.filter-label', { for: 'areas-on' }, t('areas.on')),
		h('input#areas-on', { type: 'date', name: 'on', value: on }),
		h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.filter')),
		h('button', { type: 'button', class: 'btn', onclick: () => { filter.elements.on.value = ''; filter.requestSubmit(); } }, t('common.clear')));
	filter.addEventListener('submit', (e) => {
		e.preventDefault();
		on = filter.elements.on.value;
		ctx.setQuery({ on });
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	});

	function showEdit(a) {
		const f = form([
			h('p', h('strong', a.name || a.code), ' ', h('span.mono.muted', a.code)),
			h('div.grid3',
				field(t('areas.grade'), select('grade', GRADES.map((g) => [g, t('grades.' + g)]), a.grade)),
				field(t('areas.valid_from'), input('valid_from', { type: 'date', value: a.valid_from || '' })),
				field(t('areas.valid_to'), input('valid_to', { type: 'date', value: a.valid_to || '' }), t('areas.valid_to_hint'))),
			field(t('areas.note'), input('note', { value: a.note || '' })),
			h('div.form-actions',
				h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save')),
				button(t('common.cancel'), { onclick: () => editBox.replaceChildren() })),
		], async (fm) => {
			const v = values(fm);
			if (!v.valid_from) return showError(fm, { field: 'valid_from' }, t('errors.required'));
			const patch = {};
			if (v.grade !== a.grade) patch.grade = v.grade;
			if (v.valid_from !== (a.valid_from || '')) patch.valid_from = v.valid_from;
			if (v.valid_to !== (a.valid_to || '')) patch.valid_to = v.valid_to || null;
			if (v.note !== (a.note || '')) patch.note = v.note || null;
			if (!Object.keys(patch).length) { toast(t('common.no_changes')); return; }
			const dry = await api('PATCH', `/api/v1/risk-areas/${a.id}?dry_run=1`, patch);
			if (dry.regraded > 0 && !(await confirmDialog(t('areas.confirm_change', { name: a.name || a.code, n: dry.regraded }), { okLabel: t('common.save'), danger: false }))) return;
			const res = await api('PATCH', `/api/v1/risk-areas/${a.id}`, patch);
			toast(t('areas.saved_regraded', { n: res.regraded ?? 0 }));
			editBox.replaceChildren();
			list.reload();
		}, { 'aria-label': t('areas.edit') });
		editBox.replaceChildren(h('section.card.edit-card', h('h2', t('areas.edit')), f));
		editBox.scrollIntoView({ block: 'nearest' });
	}

	const add = canWrite ? disclosure(t('areas.add'), form([
		field(t('areas.division'), divisionPicker('code', null)),
		h('div.grid3',
			field(t('areas.grade'), select('grade', GRADES.map((g) => [g, t('grades.' + g)]), 'heavy')),
			field(t('areas.valid_from'), input('valid_from', { type: 'date', value: today() })),
			field(t('areas.valid_to'), input('valid_to', { type: 'date' }), t('areas.valid_to_hint'))),
		field(t('areas.note'), input('note')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (f) => {
		const v = values(f);
		if (!v.code) return showError(f, { field: 'code' }, t('divisions.required'));
		if (!v.valid_from) return showError(f, { field: 'valid_from' }, t('errors.required'));
		const body = { code: v.code, grade: v.grade, valid_from: v.valid_from };
		if (v.valid_to) body.valid_to = v.valid_to;
		if (v.note) body.note = v.note;
		const res = await api('POST', '/api/v1/risk-areas', body);
		toast(t('areas.added_regraded', { n: res.regraded ?? 0 }));
		f.querySelector('.picker').clear();
		f.elements.note.value = '';
		list.reload();
	}, { 'aria-label': t('areas.add') })) : null;

	body.replaceChildren(
		h('p.hint', t('areas.intro')),
		h('div.section-head', filter, exp),
		add,
		editBox,
		list.el);
}

// The handling each grade calls for (DOMAIN.md rules; the server decides
// for real arrivals, this is the legend shown beside a listed area).
const HANDLING_OF = { severe: 'centralized', heavy: 'centralized', high: 'centralized', other_province: 'home', medium: 'home', local: 'monitor', low: 'monitor' };

// Today in the district, whatever the browser's zone.
export function today() {
	return districtDay();
}

function arrivalsTab(ctx, body) {
	const scope = ctx.me.scope_unit || {};
	const unitId = ctx.query.unit_id || '';
	const f = {
		unit_id: unitId, grade: ctx.query.grade || '', handling: ctx.query.handling || '',
		since: ctx.query.since || '', until: ctx.query.until || '',
	};
	const hrefFor = (q) => '#/areas/arrivals' + qs(q);

	// Arrivals by grade for the unit's children.
	const byGrade = h('div.by-grade', loading());
	loadByGrade();
	async function loadByGrade() {
		try {
			const res = await api('GET', '/api/v1/arrivals/by-grade' + qs({ unit_id: unitId, since: f.since, until: f.until }));
			byGrade.replaceChildren(byGradeTable(res.items || [], unitId || scope.id, hrefFor, { since: f.since, until: f.until }));
		} catch (err) {
			if (!err.handled) byGrade.replaceChildren(errorBox(err));
		}
	}

	const url = () => '/api/v1/arrivals' + qs(f);
	const list = pagedTable({
		url,
		columns: [
			{ label: t('arrivals.person'), cell: (a) => h('a', { href: `#/persons/${a.person_id}` }, a.person_name || '#' + a.person_id) },
			{ label: t('arrivals.origin'), cell: (a) => h('span', a.origin_name || '', ' ', h('span.mono.muted', a.origin_code || '')) },
			{ label: t('arrivals.date'), cell: (a) => h('span.nowrap', a.arrival_date || '') },
			{ label: t('arrivals.mode'), cell: (a) => modeLabel(a.mode) },
			{ label: t('arrivals.grade'), cell: (a) => gradeTag(a.grade) },
			{ label: t('arrivals.handling'), cell: (a) => handlingTag(a.handling) },
			{ label: t('arrivals.unit'), cell: (a) => a.unit_name || '' },
		],
		emptyText: t('arrivals.none'),
	});
	const exp = exportLink(url());
	const filters = h('form.filters', { 'aria-label': t('common.filter') },
		h('div.grid3',
			field(t('arrivals.grade'), select('grade', [['', t('arrivals.all_grades')], ...GRADES.map((g) => [g, t('grades.' + g)])], f.grade)),
			field(t('arrivals.handling'), select('handling', [['', t('arrivals.all_handling')], ...HANDLING.map((x) => [x, t('handling.' + x)])], f.handling)),
			h('div'),
			field(t('arrivals.since'), input('since', { type: 'date', value: f.since })),
			field(t('arrivals.until'), input('until', { type: 'date', value: f.until }))),
		h('div.form-actions',
			h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.filter')),
			h('button', { type: 'reset', class: 'btn' }, t('common.clear'))));
	filters.addEventListener('submit', (e) => {
		e.preventDefault();
		const el = filters.elements;
		Object.assign(f, { grade: el.grade.value, handling: el.handling.value, since: el.since.value, until: el.until.value });
		ctx.setQuery(f);
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	});
	filters.addEventListener('reset', () => setTimeout(() => {
		for (const el of filters.elements) if (el.name) el.value = '';
		filters.requestSubmit();
	}));
	const pick = unitPicker('unit_filter', null, { onPick: (u) => ctx.go(hrefFor({ ...f, unit_id: u.id })) });

	// Arrivals by grade per day: a stacked bar chart over its table.
	const byDayQ = { unit_id: unitId, since: f.since, until: f.until, by: 'day' };
	const byDay = h('div.by-day', loading());
	(async () => {
		try {
			const res = await api('GET', '/api/v1/arrivals/by-grade' + qs(byDayQ));
			byDay.replaceChildren(...byDayChart(res.items || []));
		} catch (err) {
			if (!err.handled) byDay.replaceChildren(errorBox(err));
		}
	})();

	body.replaceChildren(
		h('section.card.arrivals-by-day',
			h('div.section-head', h('h2', t('arrivals.by_day')), exportLink('/api/v1/arrivals/by-grade' + qs(byDayQ))),
			byDay),
		h('section.card',
			h('div.section-head', h('h2', t('arrivals.by_grade')), exportLink('/api/v1/arrivals/by-grade' + qs({ unit_id: unitId }))),
			unitTrail(unitId || scope.id, scope.id, (a) => hrefFor({ unit_id: a.id })),
			byGrade,
			h('p.hint', t('arrivals.by_grade_hint'))),
		h('div.section-head', h('h2', t('arrivals.list')), exp),
		h('div.filter-row', h('span.filter-label', t('arrivals.unit')), pick),
		disclosure(t('common.filter'), filters, !!(f.grade || f.handling || f.since || f.until) || window.innerWidth > 760),
		list.el);
}

// Arrivals per day stacked by grade (ECharts), with the day's table one
// click away (the button shows it; the section's export is the same rows).
function byDayChart(items) {
	if (!items.length) return [h('div.empty', t('arrivals.none'))];
	const shown = GRADES.filter((g) => items.some((x) => x[g]));
	const box = h('div.chart-box', { style: 'width:100%;height:300px', role: 'img', 'aria-label': t('arrivals.by_day') });
	drawChart(box, {
		tooltip: { trigger: 'axis' },
		legend: { top: 0 },
		grid: { left: 44, right: 16, top: 56, bottom: 56 },
		xAxis: { type: 'category', data: items.map((x) => x.day.slice(5)) },
		yAxis: { type: 'value', minInterval: 1 },
		dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
		color: shown.map((g) => GRADE_COLOUR[g] || '#888'),
		series: shown.map((g) => ({ name: t('grades.' + g), type: 'bar', stack: 'grade', data: items.map((x) => x[g] || 0) })),
	});
	const table = h('div.table-wrap.by-day-table', { hidden: true }, h('table.table.responsive.day-grade-table',
		h('thead', h('tr', h('th', t('arrivals.date')), shown.map((g) => h('th.num', gradeTag(g))), h('th.num', t('arrivals.total')))),
		h('tbody', items.map((x) => h('tr', { dataset: { day: x.day } },
			h('td', { 'data-label': t('arrivals.date') }, h('span.nowrap', x.day)),
			shown.map((g) => h('td.num', { 'data-label': t('grades.' + g) }, String(x[g] || 0))),
			h('td.num', { 'data-label': t('arrivals.total') }, String(x.total || 0)))))));
	const toggle = h('button', {
		type: 'button', class: 'btn btn-small', 'data-act': 'show-table',
		onclick: () => {
			table.hidden = !table.hidden;
			toggle.textContent = table.hidden ? t('arrivals.show_table') : t('arrivals.hide_table');
		},
	}, t('arrivals.show_table'));
	return [box, h('div.chart-actions', toggle), table];
}

const GRADE_COLOUR = { severe: '#7a1010', heavy: '#c0392b', other_province: '#d68910', local: '#2e86c1', high: '#a93226', medium: '#e67e22', low: '#27ae60' };

// The by-grade answer: a row per child unit and the unit's own total row
// (is_total). Each count links to the arrivals list filtered by unit and
// grade (or handling); a unit name drills down to its children.
function byGradeTable(items, unitId, hrefFor, dates) {
	const isTotal = (r) => r.is_total === true || r.unit_id == null || String(r.unit_id) === String(unitId);
	const rows = items.filter((r) => !isTotal(r));
	const total = items.find(isTotal);
	const cols = [...GRADES.map((g) => ['grade', g]), ['total', 'total'], ...HANDLING.map((x) => ['handling', x])];
	const label = ([kind, k]) => (kind === 'grade' ? t('grades.' + k) : kind === 'handling' ? t('handling.' + k) : t('arrivals.total'));
	const num = (r, [kind, k]) => {
		const n = r[k] ?? 0;
		if (!n) return h('span.zero', '0');
		const q = { unit_id: r.unit_id ?? unitId, ...dates };
		if (kind !== 'total') q[kind] = k;
		return h('a', { href: hrefFor(q) }, String(n));
	};
	const leaf = (r) => r.kind === 'compound' || r.kind === 'building';
	const line = (r, tot) => h('tr', { class: tot ? 'total-row' : null, dataset: { unit: r.unit_id ?? '' } },
		h('td', { 'data-label': t('arrivals.unit') }, tot ? h('strong', t('arrivals.total_row', { name: r.unit_name || '' }))
			: leaf(r) ? r.unit_name : h('a.drill', { href: hrefFor({ unit_id: r.unit_id, ...dates }) }, r.unit_name || String(r.unit_id))),
		cols.map((c) => h('td.num', { class: c[0] === 'handling' ? 'col-handling' : c[0] === 'total' ? 'col-total' : null, 'data-label': label(c), dataset: { col: c[1] } }, num(r, c))));
	if (!rows.length && !total) return h('div.empty', t('arrivals.none'));
	return h('div.table-wrap', h('table.table.responsive.grade-table',
		h('thead', h('tr', h('th', t('arrivals.unit')), cols.map((c) => h('th.num', { class: c[0] === 'handling' ? 'col-handling' : c[0] === 'total' ? 'col-total' : null },
			c[0] === 'grade' ? gradeTag(c[1]) : c[0] === 'handling' ? handlingTag(c[1]) : label(c))))),
		h('tbody', rows.map((r) => line(r, false)), total ? line(total, true) : null)));
}
