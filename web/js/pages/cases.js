// 病例 (cases.read): #/cases shows the case figures of a day, the epidemic
// curve (ECharts, its table one click away) and the case list (filters in
// the URL, xlsx), with the form to report a case for cases.write;
// #/cases/ID is one case: its history and next status, its trajectory
// (stays typed or taken from the gate and checkpoint logs) and its contact
// candidates, each decided close (isolated at once), general or not a
// contact; #/cases/contacts lists the decided contacts; #/cases/network
// draws cases and contacts as a graph (ECharts) with a table fallback.
import { api, errText, showError } from '../api.js';
import { t } from '../i18n.js';
import {
	h, field, input, select, form, values, qs, pagedTable, exportLink, toast, searchPicker, unitPicker,
	fmtTime, tabLinks, button, stat, section, empty, loading, confirmDialog, districtDay, errorBox,
} from '../dom.js';
import { drawChart } from '../chart.js';

// replaceChildren without the null a hidden part leaves (it would print "null").
const fill = (el, ...kids) => el.replaceChildren(...kids.flat().filter((x) => x != null && x !== false));

const STATUSES = ['suspected', 'confirmed', 'asymptomatic', 'excluded', 'cured', 'died'];
const FIRST = ['confirmed', 'suspected', 'asymptomatic'];
const SEVERITIES = ['mild', 'severe', 'critical'];
const FOUND_BY = ['fever_clinic', 'checkpoint', 'screening', 'contact_tracing', 'self', 'other'];
const PLACE_KINDS = ['unit', 'venue', 'address', 'vehicle', 'train'];
// The moves cases.c allows (cases_transition_ok), to offer only legal ones.
const NEXT = {
	suspected: ['confirmed', 'asymptomatic', 'excluded', 'died'],
	asymptomatic: ['confirmed', 'excluded', 'died'],
	confirmed: ['cured', 'died'],
	excluded: ['suspected'],
	cured: [], died: [],
};
const TONE = { suspected: 'warn', confirmed: 'danger', asymptomatic: 'warn', excluded: 'plain', cured: 'ok', died: 'severe' };

const statusTag = (s) => h('span.tag.tag-' + (TONE[s] || 'plain'), { dataset: { status: s } }, t('case.status_' + s));
const decisionTag = (d) => h('span.tag.tag-' + (d === 'close' ? 'danger' : d === 'general' ? 'warn' : 'plain'), { dataset: { decision: d } }, t('case.decision_' + d));
const personLink = (ctx, id, name) => (ctx.canOpen('persons') ? h('a', { href: `#/persons/${id}` }, name) : name);
const addDays = (day, n) => new Date(Date.parse(day + 'T00:00:00Z') + n * 864e5).toISOString().slice(0, 10);
const dayDiff = (a, b) => Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 864e5);

export async function render(ctx) {
	const p0 = ctx.params[0] || '';
	const tab = /^\d+$/.test(p0) ? 'case' : (p0 || 'list');
	const tabs = [
		['list', '#/cases', t('case.tab_list')],
		['contacts', '#/cases/contacts', t('case.tab_contacts')],
		['network', '#/cases/network', t('case.tab_network')],
	];
	const body = h('div.tab-body');
	fill(ctx.root, h('div.page-head', h('h1', t('nav.cases'))), tabLinks(tabs, tab === 'case' ? 'list' : tab), body);
	const fn = { list, contacts, network, case: oneCase }[tab] || list;
	return fn(ctx, body);
}

export const update = render;

// ---------- figures, curve and list ----------

async function list(ctx, body) {
	const q = ctx.query;
	const day = /^\d{4}-\d{2}-\d{2}$/.test(q.day || '') ? q.day : districtDay();
	const figs = h('div.case-figures', loading());
	const curveBox = h('div.case-curve');
	const f = { status: q.status || '', q: q.q || '', day: q.day || '' };
	const url = () => '/api/v1/cases' + qs({ status: f.status, q: f.q });
	const filters = form([
		field(t('case.status'), select('status', [['', t('case.all')], ...STATUSES.map((s) => [s, t('case.status_' + s)])], f.status)),
		field(t('case.name'), input('q', { value: f.q, type: 'search' })),
		h('button.btn', { type: 'submit' }, t('common.search')),
	], async (fm) => {
		Object.assign(f, values(fm));
		ctx.setQuery(f);
		tbl.reload();
		exp.replaceWith((exp = exportLink(url())));
	}, { class: 'form form-inline case-inline filters case-filters' });
	const tbl = pagedTable({
		url,
		emptyText: t('case.none'),
		rowAttrs: (c) => ({ dataset: { case: c.id, person: c.person_id } }),
		columns: [
			{ label: t('case.number'), cell: (c) => h('a.mono', { href: `#/cases/${c.id}` }, '#' + c.id) },
			{ label: t('case.person'), cell: (c) => h('a', { href: `#/cases/${c.id}` }, c.person_name) },
			{ label: t('case.unit'), cell: (c) => c.unit_name },
			{ label: t('case.status'), cell: (c) => statusTag(c.status) },
			{ label: t('case.severity'), cell: (c) => (c.severity ? t('case.severity_' + c.severity) : '—') },
			{ label: t('case.onset_day'), cell: (c) => h('span.nowrap', c.onset_day || '—') },
			{ label: t('case.report_day'), cell: (c) => h('span.nowrap', c.report_day) },
			{ label: t('case.hospital'), cell: (c) => c.hospital || '—' },
			{ label: t('case.medical_worker'), cell: (c) => (c.medical_worker ? h('span.tag.tag-warn', t('case.yes')) : t('case.no')) },
		],
	});
	let exp = exportLink(url());
	const dayForm = form([
		field(t('case.as_of'), input('day', { type: 'date', value: day, max: districtDay() })),
		h('button.btn', { type: 'submit' }, t('case.show')),
	], async (fm) => {
		f.day = values(fm).day;
		ctx.setQuery(f);
		ctx.query = { ...ctx.query, day: f.day };
		render(ctx);
	}, { class: 'form form-inline case-inline day-picker' });
	fill(body,
		h('section.card', h('div.section-head', h('h2', t('case.figures')), dayForm), figs),
		curveBox,
		ctx.hasPerm('cases.write') ? h('details.disclosure.case-new', { open: ctx.query.new === '1' }, h('summary', t('case.new')), h('div.disclosure-body', newCaseForm(ctx))) : null,
		section(t('case.tab_list'), filters, h('div.page-actions', exp), tbl.el));
	let fig;
	try {
		fig = await api('GET', '/api/v1/cases/figures' + qs({ day }));
	} catch (err) {
		fill(figs, errorBox(err));
		return;
	}
	const link = (k, n, href, kind) => h('a.stat-link', { href, dataset: { fig: k } }, stat(t('case.fig_' + k), n, kind));
	fill(figs,
		h('div.stats',
			link('confirmed_total', fig.confirmed_total, '#/cases?status=confirmed'),
			link('new_confirmed', fig.new_confirmed, '#/cases?status=confirmed', fig.new_confirmed ? 'danger' : null),
			link('cured_total', fig.cured_total, '#/cases?status=cured', 'ok'),
			link('deaths_total', fig.deaths_total, '#/cases?status=died'),
			link('critical_now', fig.critical_now, '#/cases?status=confirmed', fig.critical_now ? 'danger' : null),
			link('medical_workers_infected', fig.medical_workers_infected, '#/cases'),
			link('days_without_new_confirmed', fig.days_without_new_confirmed, '#/cases')),
		h('p.muted.case-figures-note', fig.since_records_start
			? t('case.since_start', { day: fig.day, n: fig.days_without_new_confirmed })
			: t('case.since_last', { day: fig.day, last: fig.last_confirmed_day || '—', n: fig.days_without_new_confirmed })));
	fill(curveBox, await curveCard(day, fig));
}

// The epidemic curve up to day: new confirmed cases by the day they were
// confirmed and by onset day, and the running total. When the last case is
// long past (the demo's records are of 2020) the curve ends four weeks
// after it rather than on the day asked, so it stays readable.
async function curveCard(day, fig) {
	let to = day;
	let cut = false;
	if (fig.last_confirmed_day && dayDiff(fig.last_confirmed_day, day) > 60) {
		to = addDays(fig.last_confirmed_day, 28);
		cut = true;
	}
	let c;
	try {
		c = await api('GET', '/api/v1/cases/curve' + qs({ to }));
	} catch (err) {
		if (err.field !== 'from') return section(t('case.curve'), errorBox(err));
		// Cases over more than a year: the last year of them.
		try {
			c = await api('GET', '/api/v1/cases/curve' + qs({ from: addDays(to, -365), to }));
		} catch (err2) {
			return section(t('case.curve'), errorBox(err2));
		}
	}
	const days = c.days || [];
	let total = 0;
	const rows = days.map((d) => [d.day, d.by_report, d.by_onset, (total += d.by_report)]);
	const cols = [t('case.day'), t('case.curve_report'), t('case.curve_onset'), t('case.curve_total')];
	const table = h('table.table.responsive.curve-table',
		h('thead', h('tr', cols.map((x, i) => h('th', { class: i ? 'num' : null }, x)))),
		h('tbody', rows.map((r) => h('tr', { dataset: { day: r[0] } }, r.map((v, i) => h('td', { class: i ? 'num' : null, 'data-label': cols[i] }, String(v)))))));
	const tableBox = h('div.chart-table.table-wrap', { hidden: true }, table);
	const chartEl = h('div.chart', { style: 'width:100%;height:300px', role: 'img', 'aria-label': t('case.curve') });
	const toggle = button(t('case.show_table'), {
		class: 'btn btn-small chart-toggle', 'data-act': 'curve-table',
		onclick: () => {
			const showTable = tableBox.hidden;
			tableBox.hidden = !showTable;
			chartEl.hidden = showTable;
			toggle.textContent = showTable ? t('case.show_chart') : t('case.show_table');
		},
	});
	const card = h('section.card.chart-card.case-curve-card',
		h('div.chart-head', h('h2', t('case.curve')), toggle),
		cut ? h('p.muted', t('case.curve_cut', { to, last: fig.last_confirmed_day })) : null,
		rows.length && total ? chartEl : h('p.muted', t('case.no_curve')),
		tableBox);
	if (rows.length && total) {
		drawChart(chartEl, {
			tooltip: { trigger: 'axis' },
			legend: { top: 0 },
			grid: { left: 48, right: 48, top: 40, bottom: 56 },
			xAxis: { type: 'category', data: rows.map((r) => r[0].slice(5)) },
			yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', minInterval: 1, splitLine: { show: false } }],
			dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
			series: [
				{ name: cols[1], type: 'bar', data: rows.map((r) => r[1]), itemStyle: { color: '#c62828' } },
				{ name: cols[2], type: 'bar', data: rows.map((r) => r[2]), itemStyle: { color: '#ef9a9a' } },
				{ name: cols[3], type: 'line', yAxisIndex: 1, data: rows.map((r) => r[3]), itemStyle: { color: '#37474f' } },
			],
		});
	}
	return card;
}

// Reporting a case: the person (searched in the registry), the status it is
// reported with, its days and how it was found.
function newCaseForm(ctx) {
	const today = districtDay();
	const picker = searchPicker('person_id', {
		url: (q) => '/api/v1/persons' + qs({ q }),
		label: (p) => h('span', h('strong', p.name), ' ', h('span.muted', p.unit_name || '')),
		placeholder: t('case.find_person'),
	});
	return form([
		field(t('case.person'), picker),
		h('div.case-grid',
			field(t('case.status'), select('status', FIRST.map((s) => [s, t('case.status_' + s)]), 'confirmed')),
			field(t('case.onset_day'), input('onset_day', { type: 'date', max: today })),
			field(t('case.report_day'), input('report_day', { type: 'date', value: today, max: today })),
			field(t('case.severity'), select('severity', [['', t('case.unknown')], ...SEVERITIES.map((s) => [s, t('case.severity_' + s)])], 'mild')),
			field(t('case.found_by'), select('found_by', [['', t('case.unknown')], ...FOUND_BY.map((s) => [s, t('case.found_' + s)])], '')),
			field(t('case.hospital'), input('hospital', { maxlength: 100 })),
			field(t('case.isolated_at'), input('isolated_at', { type: 'datetime-local' }), t('case.isolated_at_hint'))),
		h('label.check', h('input', { type: 'checkbox', name: 'medical_worker' }), ' ', t('case.medical_worker')),
		h('div.form-actions', h('button.btn.btn-primary', { type: 'submit' }, t('case.report'))),
	], async (fm) => {
		const v = values(fm);
		if (!v.person_id) return showError(fm, { field: 'person_id' }, t('case.pick_person'));
		const body = { person_id: Number(v.person_id), status: v.status, report_day: v.report_day, medical_worker: !!v.medical_worker };
		for (const k of ['onset_day', 'severity', 'found_by', 'hospital', 'isolated_at']) if (v[k]) body[k] = v[k];
		const c = await api('POST', '/api/v1/cases', body, { headers: { 'Idempotency-Key': 'case-' + Date.now() + '-' + Math.random().toString(36).slice(2) } });
		toast(t('case.reported', { name: c.person_name }));
		ctx.go(`#/cases/${c.id}`);
	}, { class: 'form case-form' });
}

// ---------- one case ----------

async function oneCase(ctx, body) {
	const id = ctx.params[0];
	fill(body, loading());
	let c;
	try {
		c = await api('GET', `/api/v1/cases/${id}`);
	} catch (err) {
		fill(body, h('a.back-link', { href: '#/cases' }, '← ' + t('case.back')), errorBox(err));
		return;
	}
	const write = ctx.hasPerm('cases.write');
	const facts = h('dl.facts.case-facts',
		h('dt', t('case.person')), h('dd', personLink(ctx, c.person_id, c.person_name), ' ', h('span.muted.mono', c.doc_number || '')),
		h('dt', t('case.unit')), h('dd', c.unit_name),
		h('dt', t('case.status')), h('dd', statusTag(c.status), c.last_change_day ? h('span.muted', ' ' + t('case.since', { day: c.last_change_day })) : null),
		h('dt', t('case.severity')), h('dd', c.severity ? t('case.severity_' + c.severity) : '—'),
		h('dt', t('case.onset_day')), h('dd', c.onset_day || '—'),
		h('dt', t('case.report_day')), h('dd', c.report_day),
		h('dt', t('case.confirmed_day')), h('dd', c.confirmed_day || '—'),
		h('dt', t('case.hospital')), h('dd', c.hospital || '—'),
		h('dt', t('case.found_by')), h('dd', c.found_by ? t('case.found_' + c.found_by) : '—'),
		h('dt', t('case.medical_worker')), h('dd', c.medical_worker ? t('case.yes') : t('case.no')),
		h('dt', t('case.isolated_at')), h('dd', c.isolated_at ? fmtTime(c.isolated_at) : '—'));
	const history = h('table.table.responsive.case-history',
		h('thead', h('tr', h('th', t('case.day')), h('th', t('case.status')), h('th', t('case.severity')), h('th', t('case.note')), h('th', t('case.by')))),
		h('tbody', (c.history || []).map((e) => h('tr',
			h('td', { 'data-label': t('case.day') }, h('span.nowrap', e.day)),
			h('td', { 'data-label': t('case.status') }, statusTag(e.status)),
			h('td', { 'data-label': t('case.severity') }, e.severity ? t('case.severity_' + e.severity) : '—'),
			h('td', { 'data-label': t('case.note') }, e.note || ''),
			h('td', { 'data-label': t('case.by') }, e.by_name || '')))));
	const traj = h('div.case-trajectory', loading());
	const cands = h('div.case-candidates', loading());
	fill(body,
		h('a.back-link', { href: '#/cases' }, '← ' + t('case.back')),
		h('div.detail-head', h('h2', t('case.title', { id: c.id, name: c.person_name }))),
		facts,
		section(t('case.history'), history, write ? transitionForm(ctx, c) : null),
		h('section.card#trajectory', h('h2', t('case.trajectory')), traj),
		h('section.card#candidates', h('h2', t('case.candidates')), cands));
	loadTrajectory(ctx, c, traj, cands);
	loadCandidates(ctx, c, cands);
}

function transitionForm(ctx, c) {
	const next = NEXT[c.status] || [];
	const opts = [...next.map((s) => [s, t('case.status_' + s)])];
	// Only the severity changes: the same status with a new severity.
	if (['confirmed', 'suspected', 'asymptomatic'].includes(c.status)) opts.push([c.status, t('case.same_status', { s: t('case.status_' + c.status) })]);
	if (!opts.length) return h('p.muted', t('case.final', { s: t('case.status_' + c.status) }));
	return form([
		h('div.case-grid',
			field(t('case.next_status'), select('status', opts, opts[0][0])),
			field(t('case.day'), input('day', { type: 'date', value: districtDay(), max: districtDay() })),
			field(t('case.severity'), select('severity', [['', t('case.unchanged')], ...SEVERITIES.map((s) => [s, t('case.severity_' + s)])], '')),
			field(t('case.note'), input('note', { maxlength: 200 }))),
		h('div.form-actions', h('button.btn.btn-primary', { type: 'submit' }, t('case.record_change'))),
	], async (fm) => {
		const v = values(fm);
		const b = { status: v.status, day: v.day };
		if (v.severity) b.severity = v.severity;
		if (v.note) b.note = v.note;
		if (v.status === 'died' && !(await confirmDialog(t('case.confirm_died', { name: c.person_name }), { okLabel: t('case.record_change') }))) return;
		await api('POST', `/api/v1/cases/${c.id}/transitions`, b, { headers: { 'Idempotency-Key': `tr-${c.id}-${Date.now()}` } });
		toast(t('common.saved'));
		render(ctx);
	}, { class: 'form transition-form' });
}

async function loadTrajectory(ctx, c, box, cands) {
	let tr;
	try {
		tr = await api('GET', `/api/v1/cases/${c.id}/trajectory`);
	} catch (err) {
		fill(box, errorBox(err));
		return;
	}
	const write = ctx.hasPerm('cases.write');
	const stays = tr.items || [];
	const proposed = tr.proposed || [];
	const reload = () => { loadTrajectory(ctx, c, box, cands); loadCandidates(ctx, c, cands); };
	const stayRow = (s, act) => h('tr', { dataset: { source: s.source, sourceId: s.source_id || '' } },
		h('td', { 'data-label': t('case.place') }, h('span.tag.tag-info', t('case.kind_' + s.place_kind)), ' ', s.place),
		h('td', { 'data-label': t('case.from') }, h('span.nowrap', fmtTime(s.from))),
		h('td', { 'data-label': t('case.to') }, h('span.nowrap', fmtTime(s.to))),
		h('td', { 'data-label': t('case.source') }, t('case.source_' + s.source)),
		act ? h('td', act) : null);
	const head = (extra) => h('thead', h('tr', h('th', t('case.place')), h('th', t('case.from')), h('th', t('case.to')), h('th', t('case.source')), extra ? h('th', '') : null));
	fill(box,
		h('p.muted', t('case.window', { from: fmtTime(tr.window_from), to: fmtTime(tr.window_to), m: tr.window_minutes })),
		stays.length ? h('table.table.responsive.stays-table', head(false), h('tbody', stays.map((s) => stayRow(s)))) : empty(t('case.no_stays')),
		proposed.length ? h('div.proposed',
			h('h3', t('case.proposed', { n: proposed.length })),
			h('p.hint', t('case.proposed_hint')),
			h('table.table.responsive.proposed-table', head(write), h('tbody', proposed.map((p) => stayRow(p, write ? button(t('case.take'), {
				class: 'btn btn-small', 'data-act': 'take',
				onclick: async (e) => {
					e.target.disabled = true;
					try {
						await api('POST', `/api/v1/cases/${c.id}/stays`, { source: p.source, source_id: p.source_id });
						toast(t('case.taken'));
						reload();
					} catch (err) {
						e.target.disabled = false;
						if (!err.handled) toast(errText(err), 'error');
					}
				},
			}) : null))))) : null,
		write ? stayForm(c, reload) : null);
}

// A typed stay, from an interview or a big-data list.
function stayForm(c, reload) {
	const kind = select('place_kind', PLACE_KINDS.map((k) => [k, t('case.kind_' + k)]), 'unit');
	const picker = unitPicker('place_unit_id', null);
	const unitField = field(t('case.unit'), picker);
	kind.addEventListener('change', () => { unitField.hidden = kind.value !== 'unit'; });
	const f = form([
		h('div.case-grid',
			field(t('case.source'), select('source', [['interview', t('case.source_interview')], ['bigdata', t('case.source_bigdata')]], 'interview')),
			field(t('case.place_kind'), kind),
			unitField,
			field(t('case.place'), input('place', { maxlength: 200 }), t('case.place_hint')),
			field(t('case.from'), input('from', { type: 'datetime-local' })),
			field(t('case.to'), input('to', { type: 'datetime-local' }))),
		h('div.form-actions', h('button.btn', { type: 'submit' }, t('case.add_stay'))),
	], async (fm) => {
		const v = values(fm);
		const b = { source: v.source, place_kind: v.place_kind, from: v.from, to: v.to };
		if (v.place) b.place = v.place;
		if (v.place_kind === 'unit' && v.place_unit_id) b.place_unit_id = Number(v.place_unit_id);
		await api('POST', `/api/v1/cases/${c.id}/stays`, b, { headers: { 'Idempotency-Key': `stay-${c.id}-${Date.now()}` } });
		toast(t('case.stay_added'));
		reload();
	}, { class: 'form stay-form' });
	return h('details.disclosure', h('summary', t('case.add_stay')), h('div.disclosure-body', f));
}

function reasonText(r) {
	const k = t('case.reason_' + r.kind);
	const when = r.from ? (r.to && r.to !== r.from ? `${fmtTime(r.from)} – ${fmtTime(r.to)}` : fmtTime(r.from)) : '';
	return h('li', { dataset: { kind: r.kind } }, h('strong', k), r.place ? ' ' + r.place : '', when ? h('span.muted', ' ' + when) : null);
}

async function loadCandidates(ctx, c, box) {
	let res;
	try {
		res = await api('GET', `/api/v1/cases/${c.id}/contact-candidates`);
	} catch (err) {
		fill(box, errorBox(err));
		return;
	}
	const items = res.items || [];
	const write = ctx.hasPerm('cases.write');
	const open = items.filter((x) => !x.decision).length;
	const rows = items.map((x) => {
		const cell = x.decision ? decided(ctx, x.decision) : write ? decideForm(ctx, c, x, () => loadCandidates(ctx, c, box)) : h('span.muted', t('case.undecided'));
		return h('tr', { dataset: { person: x.person_id, decided: x.decision ? x.decision.decision : '' } },
			h('td', { 'data-label': t('case.person') }, x.in_scope ? personLink(ctx, x.person_id, x.name) : x.name, h('div.muted', x.unit_name),
				x.case_id ? h('div', h('a.tag.tag-danger', { href: `#/cases/${x.case_id}` }, t('case.is_case'))) : null),
			h('td', { 'data-label': t('case.reasons') }, h('ul.reasons', x.reasons.map(reasonText))),
			h('td', { 'data-label': t('case.decision') }, cell));
	});
	fill(box,
		h('p.muted', t('case.candidates_count', { n: items.length, open })),
		items.length ? h('table.table.responsive.candidates-table',
			h('thead', h('tr', h('th', t('case.person')), h('th', t('case.reasons')), h('th', t('case.decision')))),
			h('tbody', rows)) : empty(t('case.no_candidates')));
}

function decided(ctx, d) {
	return h('div.decided',
		decisionTag(d.decision),
		d.last_exposure_day ? h('div.small', t('case.last_exposure', { day: d.last_exposure_day })) : null,
		d.observation_end_day ? h('div.small', t('case.observation_end', { day: d.observation_end_day })) : null,
		d.isolation_id ? h('div.small', ctx.canOpen('isolation')
			? h('a', { href: `#/isolation/order/${d.isolation_id}`, dataset: { isolation: d.isolation_id } }, t('case.isolation_order', { id: d.isolation_id }))
			: t('case.isolation_order', { id: d.isolation_id })) : null,
		h('div.small.muted', [d.decided_by_name, fmtTime(d.decided_at)].filter(Boolean).join(' · ')));
}

// Deciding one candidate: close (isolated now, after a confirmation),
// general (home observation) or not a contact, with the last exposure day.
function decideForm(ctx, c, x, reload) {
	const day = x.suggested_last_exposure_day || districtDay();
	const f = form([
		select('decision', [['close', t('case.decision_close')], ['general', t('case.decision_general')], ['none', t('case.decision_none')]], 'close', { 'aria-label': t('case.decision') }),
		input('last_exposure_day', { type: 'date', value: day, max: districtDay(), 'aria-label': t('case.last_exposure_day') }),
		h('button.btn.btn-small.btn-primary', { type: 'submit', 'data-act': 'decide' }, t('case.decide')),
	], async (fm) => {
		const v = values(fm);
		if (v.decision === 'close' && !(await confirmDialog(t('case.confirm_close', { name: x.name }), { okLabel: t('case.decision_close'), danger: false }))) return;
		const b = { person_id: x.person_id, decision: v.decision };
		if (v.decision !== 'none' || v.last_exposure_day) b.last_exposure_day = v.last_exposure_day;
		const res = await api('POST', `/api/v1/cases/${c.id}/contacts`, b, { headers: { 'Idempotency-Key': `ct-${c.id}-${x.person_id}` } });
		toast(res.isolation_id ? t('case.isolated', { name: x.name, id: res.isolation_id }) : t('case.decided', { name: x.name }));
		reload();
	}, { class: 'form form-inline case-inline decide-form' });
	return f;
}

// ---------- decided contacts ----------

async function contacts(ctx, body) {
	const q = ctx.query;
	const f = { decision: q.decision || '', case_id: q.case_id || '' };
	const url = () => '/api/v1/contacts' + qs(f);
	const filters = form([
		field(t('case.decision'), select('decision', [['', t('case.all')], ...['close', 'general', 'none'].map((d) => [d, t('case.decision_' + d)])], f.decision)),
		field(t('case.case_number'), input('case_id', { value: f.case_id, inputmode: 'numeric' })),
		h('button.btn', { type: 'submit' }, t('common.search')),
	], async (fm) => {
		Object.assign(f, values(fm));
		ctx.setQuery(f);
		tbl.reload();
		exp.replaceWith((exp = exportLink(url())));
	}, { class: 'form form-inline case-inline filters' });
	const tbl = pagedTable({
		url,
		emptyText: t('case.no_contacts'),
		rowAttrs: (x) => ({ dataset: { person: x.person_id, decision: x.decision } }),
		columns: [
			{ label: t('case.person'), cell: (x) => personLink(ctx, x.person_id, x.person_name) },
			{ label: t('case.unit'), cell: (x) => x.unit_name },
			{ label: t('case.of_case'), cell: (x) => h('a', { href: `#/cases/${x.case_id}` }, `#${x.case_id} ${x.case_name}`) },
			{ label: t('case.decision'), cell: (x) => decisionTag(x.decision) },
			{ label: t('case.last_exposure_day'), cell: (x) => h('span.nowrap', x.last_exposure_day || '—') },
			{ label: t('case.observation_end_day'), cell: (x) => h('span.nowrap', x.observation_end_day || '—') },
			{ label: t('case.isolation'), cell: (x) => (x.isolation_id ? (ctx.canOpen('isolation') ? h('a', { href: `#/isolation/order/${x.isolation_id}` }, '#' + x.isolation_id) : '#' + x.isolation_id) : '—') },
			{ label: t('case.by'), cell: (x) => x.decided_by_name || '' },
		],
	});
	let exp = exportLink(url());
	fill(body, section(t('case.tab_contacts'), filters, h('div.page-actions', exp), tbl.el));
}

// ---------- the network ----------

async function network(ctx, body) {
	fill(body, loading());
	let g;
	try {
		g = await api('GET', '/api/v1/cases/network');
	} catch (err) {
		fill(body, errorBox(err));
		return;
	}
	const nodes = g.nodes || [];
	const links = g.links || [];
	if (!nodes.length) {
		fill(body, section(t('case.tab_network'), empty(t('case.no_network'))));
		return;
	}
	const byId = new Map(nodes.map((n) => [n.id, n]));
	const chains = links.filter((l) => l.became_case).length;
	const cats = [t('case.net_case'), t('case.net_close'), t('case.net_general')];
	const cat = (n) => (n.kind === 'case' ? 0 : n.decision === 'close' ? 1 : 2);
	const chartEl = h('div.chart.network-chart', { style: 'width:100%;height:520px', role: 'img', 'aria-label': t('case.tab_network') });
	const cols = [t('case.net_from'), t('case.net_to'), t('case.decision'), t('case.last_exposure_day'), t('case.became_case')];
	const nameOf = (id) => {
		const n = byId.get(id);
		if (!n) return id;
		const label = n.kind === 'case' ? `${n.name} (#${n.case_id})` : n.name;
		return n.kind === 'case' ? h('a', { href: `#/cases/${n.case_id}` }, label) : personLink(ctx, n.person_id, label);
	};
	const table = h('table.table.responsive.network-table',
		h('thead', h('tr', cols.map((c) => h('th', c)))),
		h('tbody', links.map((l) => h('tr', { dataset: { source: l.source, target: l.target } },
			h('td', { 'data-label': cols[0] }, nameOf(l.source)),
			h('td', { 'data-label': cols[1] }, nameOf(l.target)),
			h('td', { 'data-label': cols[2] }, decisionTag(l.decision)),
			h('td', { 'data-label': cols[3] }, l.last_exposure_day || '—'),
			h('td', { 'data-label': cols[4] }, l.became_case ? h('span.tag.tag-danger', t('case.yes')) : t('case.no'))))));
	const tableBox = h('div.chart-table.table-wrap', { hidden: true }, links.length ? table : empty(t('case.no_links')));
	const toggle = button(t('case.show_table'), {
		class: 'btn btn-small chart-toggle', 'data-act': 'network-table',
		onclick: () => {
			const showTable = tableBox.hidden;
			tableBox.hidden = !showTable;
			chartEl.hidden = showTable;
			toggle.textContent = showTable ? t('case.show_chart') : t('case.show_table');
		},
	});
	fill(body, h('section.card.chart-card.network-card',
		h('div.chart-head', h('h2', t('case.tab_network')), toggle),
		h('p.muted', t('case.network_counts', { cases: nodes.filter((n) => n.kind === 'case').length, contacts: nodes.filter((n) => n.kind !== 'case').length, chains })),
		h('p.hint', t('case.network_hint')),
		chartEl, tableBox));
	const large = nodes.length > 400;
	drawChart(chartEl, {
		tooltip: { formatter: (p) => (p.dataType === 'node' ? p.data.tip : p.data.tip || '') },
		legend: [{ data: cats, top: 0 }],
		series: [{
			type: 'graph', layout: 'force', roam: true, draggable: !large,
			categories: cats.map((name, i) => ({ name, itemStyle: { color: ['#c62828', '#ef6c00', '#f9a825'][i] } })),
			force: { repulsion: 120, edgeLength: [40, 90], gravity: 0.08 },
			label: { show: !large, position: 'right', fontSize: 11 },
			lineStyle: { color: 'source', opacity: 0.6 },
			edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 6,
			data: nodes.map((n) => ({
				id: n.id, name: n.name, category: cat(n), symbolSize: n.kind === 'case' ? 22 : 10,
				tip: n.kind === 'case' ? `${n.name} · ${t('case.status_' + n.status)} · ${n.report_day || ''}` : `${n.name} · ${t('case.decision_' + n.decision)}`,
				href: n.kind === 'case' ? `#/cases/${n.case_id}` : ctx.canOpen('persons') ? `#/persons/${n.person_id}` : null,
			})),
			links: links.map((l) => ({
				source: l.source, target: l.target,
				lineStyle: l.became_case ? { width: 2.5, color: '#c62828', opacity: 1 } : undefined,
				tip: `${t('case.decision_' + l.decision)}${l.last_exposure_day ? ' · ' + l.last_exposure_day : ''}`,
			})),
		}],
	});
	// Clicking a node opens the person (a case opens its case page).
	const bind = () => {
		const inst = window.echarts && window.echarts.getInstanceByDom(chartEl);
		if (!inst) return setTimeout(bind, 100);
		inst.on('click', (p) => { if (p.dataType === 'node' && p.data.href) ctx.go(p.data.href); });
		chartEl.dataset.ready = '1';
	};
	bind();
}
