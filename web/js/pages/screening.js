// 走访摸排: screening rounds. #/rounds lists the rounds (and creates one);
// #/rounds/ID is a round with its totals and tabs: live coverage of a unit's
// children with drill-down (refreshed every 10 s), the 一托三 teams with
// their compounds, the re-check queue of empty homes (confirm-empty), and
// the visits. #/visit is the visit form for a grid worker on a phone: one
// column, big targets; it keeps its data in a draft (also across a reload)
// and sends each visit with a client-made id, made before the first send and
// kept on retries, so a submission retried after a timeout is stored once.
import { api, showError, clearErrors, errText } from '../api.js';
import { t, has } from '../i18n.js';
import { drawChart } from '../chart.js';
import {
	h, loading, empty, errorBox, field, input, select, form, values, qs, pagedTable, exportLink,
	disclosure, toast, confirmDialog, unitPicker, fmtTime, tabLinks, button, stat,
	districtClock,
} from '../dom.js';
import { DOC_TYPES, docTypeLabel, statusTag, resultTag, methodLabel } from './people.js';
import { MODES, modeLabel, divisionPicker, today, unitTrail, gradeTag, handlingTag } from './areas.js';
import { heldNote } from './discrepancies.js';

export const METHODS = ['door', 'phone', 'app'];
export const RESULTS = ['visited', 'empty', 'refused', 'moved'];
const REFRESH_MS = 10_000;
const SEND_TIMEOUT_MS = 30_000;

// The live coverage timer; one at a time, stopped when the page goes.
let live = null;
function stopLive() {
	if (live) clearInterval(live);
	live = null;
}

export async function render(ctx) {
	stopLive();
	if (ctx.key === 'visit') return renderVisit(ctx);
	if (ctx.params[0]) return renderRound(ctx, ctx.params[0], ctx.params[1] || 'coverage');
	return renderRounds(ctx);
}

// ---------- rounds ----------

function renderRounds(ctx) {
	const list = pagedTable({
		url: '/api/v1/rounds',
		columns: [
			{ label: t('rounds.name'), cell: (r) => h('a', { href: `#/rounds/${r.id}` }, h('strong', r.name)) },
			{ label: t('rounds.unit'), cell: (r) => r.unit_name || (r.unit_id != null ? '#' + r.unit_id : '') },
			{ label: t('rounds.dates'), cell: (r) => h('span.nowrap', r.start_date || '', ' – ', r.end_date || t('rounds.ongoing')) },
			{ label: t('rounds.households_visited'), class: 'num', cell: (r) => num(r.households_visited) },
			{ label: t('rounds.persons'), class: 'num', cell: (r) => num(r.persons) },
			{ label: t('rounds.empties_pending'), class: 'num', cell: (r) => num(r.empties_pending) },
		],
		emptyText: t('rounds.none'),
		rowAttrs: (r) => ({ dataset: { id: r.id } }),
	});
	const scope = ctx.me.scope_unit;
	const add = ctx.hasPerm('screening.write') ? disclosure(t('rounds.create'), form([
		field(t('rounds.name'), input('name', { required: true, maxlength: 100, placeholder: t('rounds.name_placeholder') })),
		field(t('rounds.unit'), unitPicker('unit_id', scope && scope.id ? scope : null)),
		h('div.grid2',
			field(t('rounds.start_date'), input('start_date', { type: 'date', value: today() })),
			field(t('rounds.end_date'), input('end_date', { type: 'date' }))),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('rounds.create_submit'))),
	], async (f) => {
		const v = values(f);
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		if (!v.unit_id) return showError(f, { field: 'unit_id' }, t('picker.required'));
		if (!v.start_date) return showError(f, { field: 'start_date' }, t('errors.required'));
		const body = { name: v.name, unit_id: Number(v.unit_id), start_date: v.start_date };
		if (v.end_date) body.end_date = v.end_date;
		const r = await api('POST', '/api/v1/rounds', body);
		toast(t('rounds.created', { name: r.name || v.name }));
		ctx.go(`#/rounds/${r.id}`);
	}, { 'aria-label': t('rounds.create') })) : null;
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.screening')),
			h('div.page-actions',
				ctx.hasPerm('screening.write') ? h('a.btn.btn-primary', { href: '#/visit' }, t('nav.visit')) : null,
				exportLink('/api/v1/rounds'))),
		add,
		list.el);
}

function num(n) {
	return n == null ? '' : Number(n).toLocaleString('zh-CN');
}

function pctText(done, all) {
	if (!all) return '—';
	return `${((done / all) * 100).toFixed(1)}%`;
}

function rateBar(done, all) {
	const p = all ? Math.min(100, (done / all) * 100) : 0;
	return h('div.rate', { title: `${done ?? 0} / ${all ?? 0}` },
		h('div.rate-bar', { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': p.toFixed(1) },
			h('div.rate-fill', { style: `width:${p.toFixed(1)}%`, class: p >= 100 ? 'full' : p >= 80 ? 'high' : null })),
		h('span.rate-n', pctText(done, all)));
}

function clock() {
	return districtClock(Date.now() / 1000, true);
}

function totalsStats(r) {
	return [
		stat(t('rounds.households_visited'), `${num(r.households_visited ?? 0)} / ${num(r.households ?? 0)}`),
		stat(t('rounds.rate'), pctText(r.households_visited, r.households)),
		stat(t('rounds.persons'), num(r.persons ?? 0)),
		stat(t('rounds.empties_pending'), num(r.empties_pending ?? 0), r.empties_pending ? 'warn' : null),
	];
}

async function renderRound(ctx, id, tab) {
	const back = h('a.back-link.show', { href: '#/rounds' }, '← ', t('rounds.back'));
	ctx.root.replaceChildren(back, loading());
	let r;
	try {
		r = await api('GET', `/api/v1/rounds/${encodeURIComponent(id)}`);
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(back, err.status === 404 ? empty(t('rounds.not_found')) : errorBox(err));
		return;
	}
	const totals = h('div.stats.round-totals', totalsStats(r));
	const base = `#/rounds/${r.id}`;
	const tabs = tabLinks([
		['coverage', base, t('rounds.tab_coverage')],
		['teams', `${base}/teams`, t('rounds.tab_teams')],
		['rechecks', `${base}/rechecks`, t('rounds.tab_rechecks')],
		['visits', `${base}/visits`, t('rounds.tab_visits')],
	], tab);
	const body = h('div.tab-body');
	ctx.root.replaceChildren(
		back,
		h('div.page-head',
			h('div', h('h1', r.name), h('p.muted.round-sub', r.unit_name || '', ' · ', r.start_date || '', ' – ', r.end_date || t('rounds.ongoing'))),
			h('div.page-actions', ctx.hasPerm('screening.write') ? h('a.btn.btn-primary', { href: `#/visit?round=${r.id}` }, t('nav.visit')) : null)),
		totals,
		tabs,
		body);
	const refreshTotals = async () => {
		try {
			const r2 = await api('GET', `/api/v1/rounds/${r.id}`);
			totals.replaceChildren(...totalsStats(r2));
		} catch {
			/* the coverage table shows the error */
		}
	};
	if (tab === 'teams') return teamsTab(ctx, r, body);
	if (tab === 'rechecks') return rechecksTab(ctx, r, body, refreshTotals);
	if (tab === 'visits') return visitsTab(ctx, r, body);
	return coverageTab(ctx, r, body, refreshTotals);
}

function coverageTab(ctx, r, body, refreshTotals) {
	const scope = ctx.me.scope_unit || {};
	const unitId = ctx.query.unit_id || '';
	// The server's default is the round's unit, or the user's scope unit
	// when that lies inside it (totals_unit_id); drill-down starts there.
	const trailTop = r.totals_unit_id || scope.id;
	const top = unitId || trailTop;
	const hrefOf = (uid) => `#/rounds/${r.id}` + qs({ unit_id: uid });
	const updated = h('span.updated', { 'aria-live': 'off' });
	const box = h('div.coverage-box', loading());
	// Coverage per child unit (towns, for a round over the district) as
	// bars over the table, which is a click away.
	const chart = h('div.chart-box.coverage-chart', { style: 'width:100%;height:300px', role: 'img', 'aria-label': t('rounds.coverage_chart') });
	const chartCard = h('section.card.coverage-chart-card', { hidden: true },
		h('div.section-head', h('h2', t('rounds.coverage_chart')),
			h('a.btn.btn-small', { href: '#coverage-table', 'data-act': 'show-table', onclick: (e) => { e.preventDefault(); box.scrollIntoView(); } }, t('rounds.show_table'))),
		chart);
	let drawn = '';
	body.replaceChildren(
		chartCard,
		h('section.card.coverage-card#coverage-table',
			h('div.section-head',
				h('h2', t('rounds.coverage')),
				h('div.page-actions', h('span.live-dot', { 'aria-hidden': 'true' }), updated,
					exportLink(`/api/v1/rounds/${r.id}/coverage` + qs({ unit_id: unitId })))),
			unitTrail(top, trailTop, (a) => hrefOf(a.id)),
			box,
			h('p.hint', t('rounds.coverage_hint'))));
	let busy = false;
	async function load(first) {
		if (busy || (!first && document.hidden)) return;
		busy = true;
		try {
			const res = await api('GET', `/api/v1/rounds/${r.id}/coverage` + qs({ unit_id: unitId }));
			if (!box.isConnected && !first) { stopLive(); return; }
			box.replaceChildren(coverageTable(res.unit || null, res.items || [], top, hrefOf));
			const kids = (res.items || []).filter((x) => x.households > 0);
			const key = JSON.stringify(kids.map((x) => [x.unit_id, x.households_visited, x.households]));
			chartCard.hidden = kids.length < 2;
			if (kids.length >= 2 && key !== drawn) {
				drawn = key;
				drawCoverage(chart, kids);
			}
			updated.textContent = t('rounds.updated_at', { time: clock() });
			updated.classList.remove('stale');
			if (!first) refreshTotals();
		} catch (err) {
			if (err.handled) { stopLive(); return; }
			if (first) box.replaceChildren(errorBox(err));
			else {
				updated.textContent = t('rounds.refresh_failed', { error: errText(err) });
				updated.classList.add('stale');
			}
		} finally {
			busy = false;
		}
	}
	load(true);
	live = setInterval(() => {
		if (!box.isConnected) { stopLive(); return; }
		load(false);
	}, REFRESH_MS);
}

// The share of households visited per unit, as horizontal bars (long
// Chinese names read on a phone), with visited / total in the tooltip.
function drawCoverage(box, kids) {
	const rows = [...kids].reverse();
	const pct = (x) => (x.households ? Math.round((1000 * (x.households_visited || 0)) / x.households) / 10 : 0);
	const option = {
		tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => { const x = rows[ps[0].dataIndex]; return `${x.unit_name}<br>${t('coverage.visited')} ${num(x.households_visited || 0)} / ${num(x.households || 0)} (${pct(x)}%)`; } },
		grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
		xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
		yAxis: { type: 'category', data: rows.map((x) => x.unit_name), axisLabel: { width: 110, overflow: 'truncate' } },
		series: [{ name: t('coverage.rate'), type: 'bar', data: rows.map(pct), itemStyle: { color: '#2e7d32' }, label: { show: true, position: 'right', formatter: '{c}%' } }],
	};
	box.style.height = `${Math.max(200, 36 * rows.length + 40)}px`;
	if (window.echarts && window.echarts.getInstanceByDom(box)) window.echarts.getInstanceByDom(box).setOption(option);
	else drawChart(box, option);
}

const LEAF_KINDS = new Set(['compound', 'building']);

// unit: the unit's own row (the answer's "unit"); items: its children.
function coverageTable(unit, items, unitId, hrefOf) {
	const self = unit || items.find((x) => String(x.unit_id) === String(unitId)) || null;
	const kids = items.filter((x) => x !== self && String(x.unit_id) !== String(self && self.unit_id));
	if (!self && !kids.length) return empty();
	const cols = [
		['coverage.households', (x) => num(x.households ?? 0), 'num'],
		['coverage.visited', (x) => num(x.households_visited ?? 0), 'num'],
		['coverage.rate', (x) => rateBar(x.households_visited ?? 0, x.households ?? 0), 'rate-cell'],
		['coverage.persons', (x) => num(x.persons ?? 0), 'num'],
		['coverage.empties_pending', (x) => (x.empties_pending ? h('span.tag.tag-warn', num(x.empties_pending)) : '0'), 'num'],
	];
	const line = (x, total) => h('tr', { class: total ? 'total-row' : null, dataset: { unit: x.unit_id } },
		h('td', { 'data-label': t('coverage.unit') },
			total ? h('strong', t('coverage.total', { name: x.unit_name || '' }))
				: LEAF_KINDS.has(x.kind) ? h('span', x.unit_name)
					: h('a.drill', { href: hrefOf(x.unit_id) }, x.unit_name),
			!total && x.kind ? [' ', h('span.badge.badge-kind', t('kinds.' + x.kind))] : null),
		cols.map(([k, cell, cls]) => h('td', { class: cls, 'data-label': t(k), dataset: { col: k.split('.')[1] } }, cell(x))));
	return h('table.table.responsive.coverage',
		h('thead', h('tr', h('th', t('coverage.unit')), cols.map(([k, , cls]) => h('th', { class: cls }, t(k))))),
		h('tbody', kids.map((x) => line(x, false)), self ? line(self, true) : null));
}

function teamsTab(ctx, r, body) {
	const list = pagedTable({
		url: `/api/v1/rounds/${r.id}/teams`,
		columns: [
			{ label: t('teams.name'), cell: (x) => h('strong', x.name) },
			{ label: t('teams.community'), cell: (x) => x.unit_name || (x.unit_id != null ? '#' + x.unit_id : '') },
			{ label: t('teams.police'), cell: (x) => x.police_name || '' },
			{ label: t('teams.legal'), cell: (x) => x.legal_name || '' },
			{ label: t('teams.cadre'), cell: (x) => x.cadre_name || '' },
			{ label: t('teams.grid'), cell: (x) => x.grid_name || '' },
			{ label: t('teams.compounds'), cell: (x) => compoundsCell(x) },
		],
		emptyText: t('teams.none'),
	});
	let add = null;
	if (ctx.hasPerm('screening.write')) {
		const compounds = h('div.checks', h('p.hint', t('teams.pick_community_first')));
		const unitField = unitPicker('unit_id', null, {
			onPick: async (u) => {
				compounds.replaceChildren(loading());
				try {
					const res = await api('GET', '/api/v1/units' + qs({ parent: u.id, limit: 500 }));
					const items = (res.items || []).filter((c) => c.kind === 'compound');
					compounds.replaceChildren(...(items.length ? items.map((c) => h('label.check',
						h('input', { type: 'checkbox', name: 'compound', value: c.id }), ' ', c.name)) : [h('p.hint', t('teams.no_compounds'))]));
				} catch (err) {
					if (!err.handled) compounds.replaceChildren(errorBox(err));
				}
			},
		});
		add = disclosure(t('teams.add'), form([
			field(t('teams.community'), unitField, t('teams.community_hint')),
			field(t('teams.name'), input('name', { required: true, placeholder: t('teams.name_placeholder') })),
			h('p.hint', t('teams.one_leads_three')),
			h('div.grid2',
				field(t('teams.police'), input('police_name', { required: true })),
				field(t('teams.legal'), input('legal_name', { required: true })),
				field(t('teams.cadre'), input('cadre_name', { required: true })),
				field(t('teams.grid'), input('grid_name', { required: true }))),
			h('div.field', h('label', t('teams.compounds')), compounds, h('small.field-error', { 'aria-live': 'polite' }), h('input', { type: 'hidden', name: 'compound_ids' })),
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
		], async (f) => {
			const v = values(f);
			if (!v.unit_id) return showError(f, { field: 'unit_id' }, t('picker.required'));
			for (const k of ['name', 'police_name', 'legal_name', 'cadre_name', 'grid_name']) if (!v[k]) return showError(f, { field: k }, t('errors.required'));
			const ids = [...f.querySelectorAll('input[name=compound]:checked')].map((c) => Number(c.value));
			await api('POST', `/api/v1/rounds/${r.id}/teams`, {
				unit_id: Number(v.unit_id), name: v.name, police_name: v.police_name, legal_name: v.legal_name,
				cadre_name: v.cadre_name, grid_name: v.grid_name, compound_ids: ids,
			});
			toast(t('common.added'));
			for (const k of ['name', 'police_name', 'legal_name', 'cadre_name', 'grid_name']) f.elements[k].value = '';
			list.reload();
		}, { 'aria-label': t('teams.add') }));
	}
	body.replaceChildren(
		h('div.section-head', h('h2', t('rounds.tab_teams')), exportLink(`/api/v1/rounds/${r.id}/teams`)),
		h('p.hint', t('teams.intro')),
		add,
		list.el);
}

// A team's compounds as [{id, name}] from compound_ids and compound_names
// (the names joined with 、, in the same order).
export function teamCompounds(x) {
	const ids = x.compound_ids || [];
	const names = typeof x.compound_names === 'string' && x.compound_names ? x.compound_names.split('、') : [];
	return ids.map((id, i) => ({ id, name: names.length === ids.length ? names[i] : '#' + id }));
}

function compoundsCell(x) {
	const list = teamCompounds(x);
	if (list.length) return h('span.chips', list.map((c) => h('span.chip', c.name)));
	const n = typeof x.compounds === 'number' ? x.compounds : 0;
	return n ? t('teams.compounds_n', { n }) : '—';
}

function rechecksTab(ctx, r, body, refreshTotals) {
	const canWrite = ctx.hasPerm('screening.write');
	const hid = (x) => x.household_id ?? x.id;
	const columns = [
		{ label: t('households.address'), cell: (x) => h('a', { href: `#/households/${hid(x)}` }, x.address || x.household_address || '#' + hid(x)) },
		{ label: t('households.compound'), cell: (x) => x.unit_name || '' },
		{ label: t('rechecks.last_at'), cell: (x) => h('span.nowrap', fmtTime(x.last_at)) },
		{ label: t('rechecks.visits'), class: 'num', cell: (x) => String(x.visits ?? '') },
	];
	if (canWrite) {
		columns.push({
			label: t('common.actions'), class: 'actions',
			cell: (x) => h('span.row-actions',
				h('a.btn.btn-small', { href: `#/visit?round=${r.id}&household=${hid(x)}` }, t('rechecks.visit_again')),
				button(t('rechecks.confirm_empty'), {
					class: 'btn btn-small btn-danger', 'data-act': 'confirm-empty',
					onclick: async (e) => {
						const addr = x.address || x.household_address || '#' + hid(x);
						if (!(await confirmDialog(t('rechecks.confirm_q', { address: addr, compound: x.unit_name || '' }), { okLabel: t('rechecks.confirm_empty') }))) return;
						try {
							await api('POST', `/api/v1/households/${hid(x)}/confirm-empty`, { round_id: Number(r.id) });
							toast(t('rechecks.confirmed', { address: addr }));
							e.target.closest('tr').remove();
							refreshTotals();
						} catch (err) {
							if (!err.handled) toast(errText(err), 'error');
						}
					},
				})),
		});
	}
	const url = `/api/v1/rounds/${r.id}/rechecks`;
	const list = pagedTable({ url, columns, emptyText: t('rechecks.none'), rowAttrs: (x) => ({ dataset: { id: hid(x) } }) });
	body.replaceChildren(
		h('div.section-head', h('h2', t('rounds.tab_rechecks')), exportLink(url)),
		h('p.hint', t('rechecks.intro')),
		list.el);
}

function visitsTab(ctx, r, body) {
	const url = '/api/v1/visits' + qs({ round_id: r.id, unit_id: ctx.query.unit_id });
	const list = pagedTable({
		url,
		columns: [
			{ label: t('visits.at'), cell: (v) => h('span.nowrap', fmtTime(v.at || v.created_at)) },
			{ label: t('visits.household'), cell: (v) => h('a', { href: `#/households/${v.household_id}` }, v.household_address || '#' + v.household_id) },
			{ label: t('households.compound'), cell: (v) => v.unit_name || '' },
			{ label: t('visits.method'), cell: (v) => methodLabel(v.method) },
			{ label: t('visits.result'), cell: (v) => resultTag(v.result) },
			{ label: t('visits.persons_found'), class: 'num', cell: (v) => String(v.persons_found ?? '') },
			{ label: t('visits.team'), cell: (v) => v.team_name || '' },
			{ label: t('visits.note'), cell: (v) => v.note || '' },
		],
		emptyText: t('visits.none'),
	});
	body.replaceChildren(h('div.section-head', h('h2', t('rounds.tab_visits')), exportLink(url)), list.el);
}

// ---------- the visit form (#/visit) ----------

// A random v4 UUID: crypto.randomUUID where the page is a secure context,
// else from crypto.getRandomValues (a LAN address over plain http).
export function uuid() {
	if (crypto.randomUUID) return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
	return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function blankPerson() {
	return { doc_type: 'resident_id', doc_number: '', name: '', phone: '', away: false, origin_code: '', origin_name: '', arrival_date: '', mode: 'car' };
}

function blankDraft(keep = {}) {
	return { client_id: null, round_id: keep.round_id || '', household: null, method: keep.method || 'door', result: 'visited', persons: [blankPerson()], note: '' };
}

function draftKey(ctx) {
	return 'cordon.visit.draft.' + ctx.me.user.id;
}

function loadDraft(ctx) {
	try {
		const d = JSON.parse(localStorage.getItem(draftKey(ctx)) || 'null');
		if (d && typeof d === 'object' && Array.isArray(d.persons)) return d;
	} catch {
		/* no draft */
	}
	return null;
}

function isBlankPerson(p) {
	return !p.doc_number.trim() && !p.name.trim() && !p.phone.trim() && !p.origin_code;
}

function draftHasData(d) {
	return !!(d.household || d.note || d.persons.some((p) => !isBlankPerson(p)));
}

async function renderVisit(ctx) {
	const stored = loadDraft(ctx);
	let d = stored || blankDraft();
	const restored = !!(stored && draftHasData(stored));
	const save = () => {
		try {
			localStorage.setItem(draftKey(ctx), JSON.stringify(d));
		} catch {
			/* private mode: the draft lasts this page */
		}
	};
	const forget = () => {
		try {
			localStorage.removeItem(draftKey(ctx));
		} catch {
			/* nothing kept */
		}
	};

	// Rounds: the latest by start date is the default.
	let rounds = [];
	try {
		const res = await api('GET', '/api/v1/rounds' + qs({ limit: 100 }));
		rounds = (res.items || []).slice().sort((a, b) => String(b.start_date || '').localeCompare(String(a.start_date || '')) || Number(b.id) - Number(a.id));
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.visit'))), errorBox(err));
		return;
	}
	if (!rounds.length) {
		ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.visit'))), empty(t('visit.no_rounds')));
		return;
	}
	const q = ctx.query;
	if (q.round && rounds.some((r) => String(r.id) === String(q.round))) d.round_id = String(q.round);
	if (!rounds.some((r) => String(r.id) === String(d.round_id))) d.round_id = String(rounds[0].id);
	if (q.household && (!d.household || String(d.household.id) !== String(q.household))) {
		try {
			const x = await api('GET', `/api/v1/households/${encodeURIComponent(q.household)}`);
			if (d.household && draftHasData(d) && d.client_id) {
				// A different household than the unsent draft's: start a new visit.
				d = blankDraft(d);
				d.round_id = String(q.round || d.round_id || rounds[0].id);
			}
			d.household = { id: x.id, address: x.address, unit_name: x.unit_name, status: x.status };
		} catch (err) {
			if (err.handled) return;
		}
	}
	save();

	const status = h('div.send-status', { role: 'status', 'aria-live': 'assertive', hidden: true });
	const f = h('form.form.visit-form', { novalidate: true, 'aria-label': t('nav.visit') });
	const root = h('div.field-page', h('div.page-head', h('h1', t('nav.visit'))), status, f);
	ctx.root.replaceChildren(root);
	if (restored) toast(t('visit.draft_restored'));

	let sending = false;

	function setStatus(kind, text, extra) {
		status.hidden = !kind;
		status.className = 'send-status' + (kind ? ' send-' + kind : '');
		status.dataset.state = kind || '';
		status.replaceChildren(h('span.send-text', text || ''), ...(extra ? [extra] : []));
	}

	function build() {
		f.replaceChildren(
			h('div.form-error.alert.alert-error', { role: 'alert', hidden: true }),
			roundBlock(),
			householdBlock(),
			toggles('method', METHODS, (m) => t('visit_methods.' + m), t('visit.method')),
			toggles('result', RESULTS, (m) => t('visit_results.' + m), t('visit.result'), 'grid-2'),
			personsBlock(),
			h('div.field',
				h('label', { for: 'visit-note' }, t('visit.note')),
				h('textarea#visit-note', { name: 'note', rows: 3, oninput: (e) => { d.note = e.target.value; save(); } }, d.note),
				h('small.field-error', { 'aria-live': 'polite' })),
			h('div.visit-submit',
				h('button', { type: 'submit', class: 'btn btn-primary btn-huge', 'data-act': 'submit' }, t('visit.submit'))));
		const note = f.querySelector('textarea[name=note]');
		note.value = d.note;
	}

	function roundBlock() {
		const s = select('round_id', rounds.map((r) => [r.id, `${r.name}${r.start_date ? ' · ' + r.start_date : ''}`]), d.round_id, {
			class: 'big-select',
			onchange: (e) => { d.round_id = e.target.value; d.team_id = null; save(); loadTeams(); },
		});
		return field(t('visit.round'), s);
	}

	// The team's compounds (一托三 team whose grid worker is this user).
	const teamBox = h('div.team-compounds');
	async function loadTeams() {
		teamBox.replaceChildren();
		try {
			const res = await api('GET', `/api/v1/rounds/${encodeURIComponent(d.round_id)}/teams` + qs({ limit: 100 }));
			const mine = (res.items || []).filter((x) => String(x.grid_user_id) === String(ctx.me.user.id));
			const comps = [];
			for (const tm of mine) {
				for (const c of teamCompounds(tm)) if (!comps.some((x) => String(x.id) === String(c.id))) comps.push({ ...c, team: tm });
			}
			if (mine.length && !d.team_id) d.team_id = mine[0].id;
			if (comps.length) {
				teamBox.replaceChildren(h('p.hint', t('visit.team_compounds', { team: mine[0].name })),
					h('div.chips.big-chips', comps.map((c) => button(c.name, {
						class: 'btn chip-btn', 'aria-pressed': 'false', dataset: { unit: c.id },
						onclick: (e) => {
							for (const b of teamBox.querySelectorAll('.chip-btn')) b.setAttribute('aria-pressed', b === e.currentTarget ? 'true' : 'false');
							d.team_id = c.team.id;
							listHouseholds({ unit_id: c.id });
						},
					}))));
				return;
			}
		} catch {
			/* teams are a convenience; the search still works */
		}
		// No team of one's own: a worker whose scope is one compound sees its households.
		const scope = ctx.me.scope_unit;
		if (!d.household && !results.children.length && scope && (scope.kind === 'compound' || scope.kind === 'building')) listHouseholds({ unit_id: scope.id });
	}

	const results = h('div.household-results');
	async function listHouseholds(params) {
		results.replaceChildren(loading());
		try {
			const res = await api('GET', '/api/v1/households' + qs({ ...params, limit: 30 }));
			const items = res.items || [];
			results.replaceChildren(...(items.length ? items.map((x) => h('button', {
				type: 'button', class: 'household-opt', dataset: { id: x.id },
				onclick: () => {
					d.household = { id: x.id, address: x.address, unit_name: x.unit_name, status: x.status };
					save();
					const blk = f.querySelector('.household-block');
					blk.replaceWith(householdBlock());
				},
			}, h('span.household-addr', x.address), h('span.household-meta', x.unit_name || '', ' ', statusTag(x.status), ' ', t('visit.members_n', { n: x.members ?? 0 })))) : [empty(t('visit.no_households'))]));
		} catch (err) {
			if (!err.handled) results.replaceChildren(errorBox(err));
		}
	}

	function householdBlock() {
		const blk = h('div.field.household-block');
		if (d.household) {
			blk.append(
				h('label', t('visit.household')),
				h('div.chosen-household',
					h('div', h('div.household-addr', d.household.address), h('div.household-meta', d.household.unit_name || '', ' ', statusTag(d.household.status))),
					button(t('visit.change'), {
						class: 'btn btn-change', onclick: () => {
							d.household = null;
							save();
							blk.replaceWith(householdBlock());
						},
					})),
				h('input', { type: 'hidden', name: 'household_id', value: d.household.id }),
				h('small.field-error', { 'aria-live': 'polite' }));
			return blk;
		}
		const search = h('input#visit-hh-q', {
			type: 'search', class: 'big-input', placeholder: t('visit.household_placeholder'), autocomplete: 'off', enterkeyhint: 'search',
		});
		let timer = null;
		const run = () => {
			const v = search.value.trim();
			if (v) listHouseholds({ q: v });
			else results.replaceChildren();
		};
		search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 300); });
		search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); run(); } });
		blk.append(
			h('label', { for: 'visit-hh-q' }, t('visit.household')),
			search,
			h('input', { type: 'hidden', name: 'household_id', value: '' }),
			h('small.field-error', { 'aria-live': 'polite' }),
			teamBox,
			results);
		return blk;
	}

	function toggles(name, opts, label, title, cls) {
		return h('fieldset.field.toggles', { class: cls || null },
			h('legend', title),
			h('div.toggle-row', opts.map((o) => h('label.toggle',
				h('input', {
					type: 'radio', name, value: o, checked: d[name] === o,
					onchange: () => {
						d[name] = o;
						save();
						if (name === 'result') f.querySelector('.persons-block').replaceWith(personsBlock());
					},
				}),
				h('span', label(o))))),
			h('small.field-error', { 'aria-live': 'polite' }));
	}

	function personsBlock() {
		const blk = h('section.persons-block');
		if (d.result !== 'visited') {
			blk.append(h('p.hint', t('visit.no_persons_for_result')));
			return blk;
		}
		blk.append(
			h('h2', t('visit.persons'), ' ', h('span.count', String(d.persons.length))),
			...d.persons.map((p, i) => personRow(p, i)),
			button('＋ ' + t('visit.add_person'), {
				class: 'btn btn-add-person', 'data-act': 'add-person',
				onclick: () => {
					d.persons.push(blankPerson());
					save();
					f.querySelector('.persons-block').replaceWith(personsBlock());
					const rows = f.querySelectorAll('.person-row');
					const last = rows[rows.length - 1];
					if (last) last.querySelector('input[name$=".doc_number"]').focus();
				},
			}));
		return blk;
	}

	function personRow(p, i) {
		const n = (k) => `persons[${i}].${k}`;
		const bind = (k) => (e) => { p[k] = e.target.value; save(); };
		const away = h('div.away', { hidden: !p.away },
			field(t('visit.origin'), divisionPicker(n('origin_code'), p.origin_code ? { code: p.origin_code, name: p.origin_name || p.origin_code } : null, {
				onPick: (dv) => { p.origin_code = dv.code; p.origin_name = dv.name; save(); },
			})),
			field(t('visit.arrival_date'), input(n('arrival_date'), { type: 'date', value: p.arrival_date, max: today(), oninput: bind('arrival_date') })),
			field(t('visit.mode'), select(n('mode'), MODES.map((m) => [m, modeLabel(m)]), p.mode, { onchange: bind('mode') })));
		const awayToggle = h('label.check.big-check',
			h('input', {
				type: 'checkbox', checked: p.away,
				onchange: (e) => { p.away = e.target.checked; away.hidden = !p.away; save(); },
			}), ' ', t('visit.from_away'));
		return h('fieldset.person-row', { dataset: { index: i } },
			h('legend', t('visit.person_n', { n: i + 1 })),
			d.persons.length > 1 ? button('✕', {
				class: 'btn btn-remove', 'aria-label': t('visit.remove_person', { n: i + 1 }), title: t('visit.remove_person', { n: i + 1 }),
				onclick: () => {
					d.persons.splice(i, 1);
					save();
					f.querySelector('.persons-block').replaceWith(personsBlock());
				},
			}) : null,
			field(t('persons.doc_type'), select(n('doc_type'), DOC_TYPES.map((x) => [x, docTypeLabel(x)]), p.doc_type, { onchange: bind('doc_type') })),
			field(t('persons.doc_number'), input(n('doc_number'), {
				value: p.doc_number, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 32, class: 'mono', oninput: bind('doc_number'),
			})),
			field(t('persons.name'), input(n('name'), { value: p.name, autocomplete: 'off', maxlength: 100, oninput: bind('name') })),
			field(t('persons.phone'), input(n('phone'), { type: 'tel', inputmode: 'tel', value: p.phone, autocomplete: 'off', oninput: bind('phone') })),
			awayToggle,
			away);
	}

	// Errors the server names as persons[1].doc_number (or persons.1.doc_number)
	// go beside that row's field; others via showError.
	function showFieldError(err, text) {
		const m = err && err.field && /^persons[[.](\d+)\]?\.(\w+)$/.exec(err.field);
		if (m) err.field = `persons[${m[1]}].${m[2]}`;
		return showError(f, err, text);
	}

	function validate() {
		if (!d.round_id) return showError(f, { field: 'round_id' }, t('visit.pick_round'));
		if (!d.household) return showError(f, { field: 'household_id' }, t('visit.pick_household'));
		if (d.result === 'visited') {
			// Rows left blank are dropped, so the indices the server names match the rows.
			const kept = d.persons.filter((p) => !isBlankPerson(p));
			if (kept.length !== d.persons.length) {
				d.persons = kept.length ? kept : [blankPerson()];
				f.querySelector('.persons-block').replaceWith(personsBlock());
			}
			for (let i = 0; i < kept.length; i++) {
				const p = kept[i];
				if (!p.doc_number.trim()) return showFieldError({ field: `persons[${i}].doc_number` }, t('errors.required'));
				if (!p.name.trim()) return showFieldError({ field: `persons[${i}].name` }, t('errors.required'));
				if (p.away && !p.origin_code) return showFieldError({ field: `persons[${i}].origin_code` }, t('divisions.required'));
				if (p.away && !p.arrival_date) return showFieldError({ field: `persons[${i}].arrival_date` }, t('errors.required'));
			}
		}
		return null;
	}

	function body() {
		const b = {
			client_id: d.client_id, round_id: Number(d.round_id), household_id: Number(d.household.id),
			method: d.method, result: d.result, persons: [],
		};
		if (d.team_id) b.team_id = Number(d.team_id);
		if (d.note.trim()) b.note = d.note.trim();
		if (d.result === 'visited') {
			b.persons = d.persons.filter((p) => !isBlankPerson(p)).map((p) => {
				const o = { doc_type: p.doc_type, doc_number: p.doc_number.trim(), name: p.name.trim() };
				if (p.phone.trim()) o.phone = p.phone.trim();
				if (p.away && p.origin_code) {
					o.origin_code = p.origin_code;
					if (p.arrival_date) o.arrival_date = p.arrival_date;
					o.mode = p.mode;
				}
				return o;
			});
		}
		return b;
	}

	async function send() {
		if (sending) return;
		clearErrors(f);
		if (validate()) { setStatus(null); return; }
		// The id is made once per visit, before its first send, and kept (in the
		// draft) on every retry: the server stores the visit once.
		if (!d.client_id) d.client_id = uuid();
		save();
		sending = true;
		const btn = f.querySelector('button[type=submit]');
		btn.disabled = true;
		setStatus('sending', t('visit.sending'));
		const payload = body();
		let timer = null;
		const timeout = new Promise((_, reject) => {
			timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { timeout: true })), SEND_TIMEOUT_MS);
		});
		try {
			const res = await Promise.race([
				api('POST', '/api/v1/visits', payload, { headers: { 'Idempotency-Key': d.client_id } }),
				timeout,
			]);
			saved(res, payload);
		} catch (err) {
			if (err.handled) { setStatus('failed', t('visit.signed_out')); return; }
			const net = err.timeout || err.status === 0 || err.status >= 500 || err.status === 429;
			if (net) {
				setStatus('failed', err.timeout ? t('visit.timeout') : t('visit.failed', { error: errText(err) }),
					button(t('visit.retry'), { class: 'btn btn-retry', 'data-act': 'retry', onclick: () => send() }));
			} else {
				setStatus('error', t('visit.fix_errors'));
				showFieldError(err);
			}
		} finally {
			clearTimeout(timer);
			sending = false;
			btn.disabled = false;
		}
	}

	// The persons the visit met but did not write as typed: each with what
	// became of it (their unit confirms it on 待核实).
	function heldList(list) {
		if (!list || !list.length) return null;
		return h('section.held-block',
			h('h3', t('discrepancies.visit_held_title', { n: list.length })),
			h('ul.held-list', list.map((x) => h('li', { dataset: { kind: x.kind, id: x.id } },
				h('strong', x.seen_name || ''), ' ', h('span.mono', x.doc_number || ''),
				heldNote(x.kind, { registered: x.registered_name })))));
	}

	function saved(res, payload) {
		forget();
		const hh = d.household;
		const n = payload.persons.length;
		const keep = { round_id: d.round_id, method: d.method };
		d = blankDraft(keep);
		setStatus('saved', t('visit.saved', { address: hh.address, n }));
		f.replaceChildren(
			h('div.saved-card',
				h('div.saved-mark', { 'aria-hidden': 'true' }, '✓'),
				h('p.saved-title', t('visit.saved_title')),
				h('p', hh.address, ' · ', resultTag(payload.result), ' · ', t('visit.persons_n', { n })),
				savedPersons(res),
				heldList(res && res.discrepancies),
				res && res.id != null ? h('p.muted', t('visit.saved_id', { id: res.id })) : null,
				button(t('visit.next'), {
					class: 'btn btn-primary btn-huge', 'data-act': 'next',
					onclick: () => {
						setStatus(null);
						if (ctx.query.household) history.replaceState(null, '', '#/visit');
						build();
						loadTeams();
					},
				})));
	}

	f.addEventListener('submit', (e) => {
		e.preventDefault();
		send();
	});
	build();
	loadTeams();
}

// Each person the visit registered with the grade of their arrival and what
// is done with them (集中隔离 ...), so the visitor knows the next step; a
// queued visit has no answer yet and shows nothing here.
function savedPersons(res) {
	const list = (res && res.persons) || [];
	if (!list.length) return null;
	return h('ul.saved-persons', list.map((p) => h('li', { dataset: { grade: p.grade || '', handling: p.handling || '' } },
		h('div.saved-person-line', h('strong', p.name || ''), ' ', gradeTag(p.grade), ' ', handlingTag(p.handling)),
		p.handling && has('visit.todo_' + p.handling) ? h('div.saved-person-todo', t('visit.todo_' + p.handling)) : null)));
}
