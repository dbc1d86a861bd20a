// 隔离医学观察: isolation and health monitoring (isolation.read). #/isolation
// is the monitoring page of the unit in scope: each figure opens the list
// behind it, a chart of active orders by kind and site with the table one
// click away. #/isolation/orders lists orders (filters in the URL, xlsx) and
// places a person from the placement advice; #/isolation/order/ID shows an
// order (history, carers, a temperature chart, alerts, requests) with its
// actions; #/isolation/alerts is the medics' queue; missed, due, requests and
// sites are the other lists. #/mypeople is a carer's own list.
import { api, errText } from '../api.js';
import { t } from '../i18n.js';
import {
	h, field, input, select, form, values, qs, pagedTable, exportLink, toast, searchPicker,
	fmtTime, tabLinks, button, stat, section, empty, loading, confirmDialog,
} from '../dom.js';
import { clientId } from '../offline.js';

const kids = (...a) => a.flat().filter((x) => x != null && x !== false);
const KINDS = ['centralized', 'home', 'hospital'];
const REASONS = ['arrival', 'close_contact', 'general_contact', 'fever', 'case', 'other'];
const STATUS = ['active', 'released', 'transferred', 'ended'];
const SYMPTOMS = ['fever', 'cough', 'fatigue', 'shortness_of_breath', 'sore_throat', 'diarrhoea', 'loss_of_smell_taste', 'other'];
const SERVICES = ['health', 'psychological', 'shopping', 'meals'];
const CARER_ROLES = ['leader', 'party_member', 'medic', 'cadre'];

const tag = (kind, tone) => h('span.tag.tag-' + (tone || 'plain'), t('iso.' + kind));
const kindTag = (k) => h('span.tag', { dataset: { kind: k } }, t('iso.kind_' + k));
const statusTag = (s) => h('span.tag.tag-' + (s === 'active' ? 'warn' : 'ok'), t('iso.status_' + s));

// ECharts is loaded on first use (a plain script: /vendor/echarts.min.js).
let echartsP = null;
function echarts() {
	if (window.echarts) return Promise.resolve(window.echarts);
	if (!echartsP) {
		echartsP = new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = '/vendor/echarts.min.js';
			s.onload = () => resolve(window.echarts);
			s.onerror = reject;
			document.head.append(s);
		});
	}
	return echartsP;
}

// A chart with its table one click away.
function chartBox(option, table) {
	const el = h('div.chart', { style: 'height:280px', role: 'img' });
	const tbl = h('div.chart-table', { hidden: true }, table);
	const toggle = button(t('iso.show_table'), {
		class: 'btn btn-small', 'data-act': 'table',
		onclick: () => { tbl.hidden = !tbl.hidden; el.hidden = !tbl.hidden; toggle.textContent = tbl.hidden ? t('iso.show_table') : t('iso.show_chart'); },
	});
	echarts().then((ec) => { if (ec) ec.init(el).setOption(option); }).catch(() => { el.hidden = true; tbl.hidden = false; });
	return h('div.chart-wrap', toggle, el, tbl);
}

export async function render(ctx) {
	if (ctx.key === 'mypeople') return myPeople(ctx);
	const tab = ctx.params[0] || 'monitor';
	const tabs = [
		['monitor', '#/isolation', t('iso.tab_monitor')],
		['orders', '#/isolation/orders', t('iso.tab_orders')],
		['alerts', '#/isolation/alerts', t('iso.tab_alerts')],
		['missed', '#/isolation/missed', t('iso.tab_missed')],
		['due', '#/isolation/due', t('iso.tab_due')],
		['requests', '#/isolation/requests', t('iso.tab_requests')],
		['sites', '#/isolation/sites', t('iso.tab_sites')],
	];
	const body = h('div.tab-body');
	ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.isolation'))),
		tabLinks(tabs, tab === 'order' ? 'orders' : tab), body);
	const fn = { monitor, orders, order, alerts, missed, due, requests, sites }[tab] || monitor;
	return fn(ctx, body);
}

export const update = render;

// ---------- the monitoring page ----------

async function monitor(ctx, body) {
	body.replaceChildren(loading());
	let s;
	try {
		s = await api('GET', '/api/v1/isolation-summary' + qs({ unit_id: ctx.query.unit_id }));
	} catch (err) {
		body.replaceChildren(h('div.alert.alert-error', errText(err)));
		return;
	}
	const link = (label, n, href, kind) => h('a.stat-link', { href, dataset: { fig: label } }, stat(t('iso.fig_' + label), n, kind));
	const o = s.occupancy;
	body.replaceChildren(
		h('p.muted', t('iso.as_of', { day: s.day })),
		h('div.stats',
			link('active', s.active.total, '#/isolation/orders?status=active'),
			link('centralized', s.active.centralized, '#/isolation/orders?status=active&kind=centralized'),
			link('home', s.active.home, '#/isolation/orders?status=active&kind=home'),
			link('hospital', s.active.hospital, '#/isolation/orders?status=active&kind=hospital'),
			link('beds_free', `${o.beds_free} / ${o.beds}`, '#/isolation/sites'),
			link('rooms_free', `${o.rooms_free} / ${o.rooms}`, '#/isolation/sites'),
			link('fevers_today', s.fevers_today, `#/isolation/alerts?kind=fever&day=${s.day}&status=`, s.fevers_today ? 'warn' : null),
			link('open_alerts', s.open_alerts, '#/isolation/alerts?status=open', s.open_alerts ? 'warn' : null),
			link('missed_checks', s.missed_checks, `#/isolation/missed?day=${s.day}`, s.missed_checks ? 'warn' : null),
			link('releases_due', s.releases_due, '#/isolation/due'),
			link('requests_open', s.requests_open, '#/isolation/requests?status=open'),
			link('requests_overdue', s.requests_overdue, '#/isolation/requests?overdue=1', s.requests_overdue ? 'warn' : null),
			link('carers_missing', s.carers_missing, '#/isolation/orders?status=active&carers_missing=1', s.carers_missing ? 'warn' : null)),
		section(t('iso.by_site'), chartBox({
			tooltip: {}, legend: {}, grid: { left: 140 },
			yAxis: { type: 'category', data: s.sites.map((x) => x.name) },
			xAxis: { type: 'value' },
			series: [
				{ name: t('iso.occupied'), type: 'bar', stack: 'b', data: s.sites.map((x) => x.occupied) },
				{ name: t('iso.free'), type: 'bar', stack: 'b', data: s.sites.map((x) => x.free) },
			],
		}, h('table.table', h('thead', h('tr', h('th', t('iso.site')), h('th', t('iso.kind')), h('th', t('iso.rooms')), h('th', t('iso.beds')), h('th', t('iso.occupied')), h('th', t('iso.free')))),
			h('tbody', s.sites.map((x) => h('tr', h('td', h('a', { href: `#/isolation/orders?status=active&site_id=${x.id}` }, x.name)), h('td', t('iso.site_' + x.kind)), h('td', x.rooms), h('td', x.beds), h('td', x.occupied), h('td', x.free))))))));
}

// ---------- orders ----------

function orderColumns() {
	return [
		{ label: t('iso.number'), cell: (o) => h('a.mono', { href: `#/isolation/order/${o.id}` }, '#' + o.id) },
		{ label: t('iso.person'), cell: (o) => h('a', { href: `#/persons/${o.person_id}` }, o.person_name) },
		{ label: t('iso.unit'), cell: (o) => o.unit_name },
		{ label: t('iso.kind'), cell: (o) => kindTag(o.kind) },
		{ label: t('iso.reason'), cell: (o) => t('iso.reason_' + o.reason) },
		{ label: t('iso.place'), cell: (o) => kids(o.site_name || '', o.room_number ? ' ' + o.room_number : '') },
		{ label: t('iso.planned_end'), cell: (o) => h('span.nowrap', o.planned_end_day) },
		{ label: t('iso.status'), cell: (o) => statusTag(o.status) },
		{ label: t('iso.carers'), cell: (o) => (o.carers_missing ? h('span.tag.tag-warn', t('iso.gaps', { n: o.carers_missing })) : h('span.tag.tag-ok', '4/4')) },
	];
}

async function orders(ctx, body) {
	const q = ctx.query;
	const f = { status: q.status ?? 'active', kind: q.kind || '', reason: q.reason || '', site_id: q.site_id || '', carers_missing: q.carers_missing || '', q: q.q || '' };
	const url = () => '/api/v1/isolations' + qs(f);
	const filters = form([
		field(t('iso.status'), select('status', [['', t('iso.all')], ...STATUS.map((s) => [s, t('iso.status_' + s)])], f.status)),
		field(t('iso.kind'), select('kind', [['', t('iso.all')], ...KINDS.map((k) => [k, t('iso.kind_' + k)])], f.kind)),
		field(t('iso.reason'), select('reason', [['', t('iso.all')], ...REASONS.map((k) => [k, t('iso.reason_' + k)])], f.reason)),
		field(t('iso.name'), input('q', { value: f.q })),
		h('button.btn', { type: 'submit' }, t('common.search')),
	], async (fm) => {
		Object.assign(f, values(fm));
		ctx.setQuery(f);
		list.reload();
		exp.replaceWith((exp = exportLink(url())));
	}, { class: 'form form-inline filters' });
	const list = pagedTable({ url, columns: orderColumns() });
	let exp = exportLink(url());
	body.replaceChildren(
		ctx.hasPerm('isolation.write') ? section(t('iso.new_order'), newOrderForm(ctx)) : null,
		section(t('iso.tab_orders'), filters, h('div.page-actions', exp), list.el));
}

// The order form: a person, the advice for them, and the order it proposes.
function newOrderForm(ctx) {
	const adviceBox = h('div.advice', { 'aria-live': 'polite' });
	const kind = select('kind', KINDS.map((k) => [k, t('iso.kind_' + k)]), 'home');
	const reason = select('reason', REASONS.map((k) => [k, t('iso.reason_' + k)]), 'arrival');
	const exposure = input('last_exposure_day', { type: 'date' });
	const override = input('override_reason', { maxlength: 200 });
	const overrideField = field(t('iso.override_reason'), override, t('iso.override_hint'));
	overrideField.hidden = true;
	const roomSel = select('room_id', [['', t('iso.no_room')]], '');
	let advice = null;
	let person = null;
	const picker = searchPicker('person_id', {
		url: (qq) => '/api/v1/persons' + qs({ q: qq }),
		label: (p) => h('span', h('strong', p.name), ' ', h('span.muted', p.unit_name || '')),
		placeholder: t('iso.find_person'),
		onPick: (p) => { person = p; refresh(); },
	});
	function syncOverride() {
		overrideField.hidden = !advice || advice.kind === kind.value;
	}
	async function refresh() {
		if (!person) return;
		adviceBox.replaceChildren(loading());
		try {
			advice = await api('GET', `/api/v1/persons/${person.id}/isolation-advice` + qs({ reason: reason.value }));
			kind.value = advice.kind;
			if (advice.last_exposure_day && !exposure.value) exposure.value = advice.last_exposure_day;
			adviceBox.replaceChildren(h('div.alert.alert-info', { dataset: { advice: advice.kind } },
				t('iso.advice_is', { kind: t('iso.kind_' + advice.kind), why: t('iso.why_' + advice.why) }),
				advice.note ? ' ' + t('iso.note_' + advice.note) : '',
				advice.planned_end_day ? ' ' + t('iso.end_would_be', { day: advice.planned_end_day }) : '',
				advice.active_order_id ? h('div', h('a', { href: `#/isolation/order/${advice.active_order_id}` }, t('iso.has_active', { id: advice.active_order_id }))) : null));
		} catch (err) {
			adviceBox.replaceChildren(h('div.alert.alert-error', errText(err)));
		}
		syncOverride();
		loadRooms();
	}
	async function loadRooms() {
		const want = kind.value === 'centralized' ? 'hotel' : kind.value === 'hospital' ? 'hospital' : null;
		roomSel.replaceChildren(h('option', { value: '' }, t('iso.no_room')));
		if (!want) return;
		const res = await api('GET', '/api/v1/isolation-sites' + qs({ kind: want, limit: 50 }));
		for (const s of res.items || []) {
			const site = await api('GET', `/api/v1/isolation-sites/${s.id}`);
			for (const r of site.room_list) {
				if (r.free > 0) roomSel.append(h('option', { value: `${s.id}:${r.id}` }, `${s.name} ${r.number}（${t('iso.free_beds', { n: r.free })}）`));
			}
		}
		if (roomSel.options.length > 1 && want === 'hotel') roomSel.selectedIndex = 1;
	}
	reason.addEventListener('change', refresh);
	kind.addEventListener('change', () => { syncOverride(); loadRooms(); });
	return form([
		field(t('iso.person'), picker),
		field(t('iso.reason'), reason),
		adviceBox,
		field(t('iso.kind'), kind),
		field(t('iso.room'), roomSel),
		field(t('iso.last_exposure'), exposure, t('iso.exposure_hint')),
		overrideField,
		h('button.btn.btn-primary', { type: 'submit' }, t('iso.order')),
	], async (fm) => {
		const v = values(fm);
		const body = { person_id: Number(v.person_id) || null, kind: v.kind, reason: v.reason };
		if (v.last_exposure_day) body.last_exposure_day = v.last_exposure_day;
		if (v.room_id) {
			const [s, r] = v.room_id.split(':');
			body.site_id = Number(s);
			body.room_id = Number(r);
		}
		if (v.override_reason) body.override_reason = v.override_reason;
		const o = await api('POST', '/api/v1/isolations', body, { headers: { 'Idempotency-Key': clientId() } });
		toast(t('iso.ordered', { name: o.person_name }));
		ctx.go(`#/isolation/order/${o.id}`);
	}, { class: 'form order-form' });
}

async function order(ctx, body) {
	const id = ctx.params[1];
	body.replaceChildren(loading());
	let o;
	try {
		o = await api('GET', `/api/v1/isolations/${id}`);
	} catch (err) {
		body.replaceChildren(h('div.alert.alert-error', errText(err)));
		return;
	}
	const reload = () => order(ctx, body);
	const act = async (path, payload, msg) => {
		try {
			const r = await api('POST', `/api/v1/isolations/${o.id}/${path}`, payload);
			toast(msg);
			if (r && r.id && r.id !== o.id) ctx.go(`#/isolation/order/${r.id}`); else reload();
		} catch (err) {
			if (!err.handled) toast(errText(err), 'error');
		}
	};
	const checks = [...o.checks].reverse();
	const info = h('dl.facts',
		h('dt', t('iso.person')), h('dd', h('a', { href: `#/persons/${o.person_id}` }, o.person_name), ' · ', o.unit_name),
		h('dt', t('iso.kind')), h('dd', kindTag(o.kind), o.override_reason ? h('span.muted', ' ' + t('iso.advised', { kind: t('iso.kind_' + o.advised_kind) }) + '：' + o.override_reason) : ''),
		h('dt', t('iso.reason')), h('dd', t('iso.reason_' + o.reason)),
		h('dt', t('iso.place')), h('dd', o.site_name ? `${o.site_name} ${o.room_number || ''}` : t('iso.at_home')),
		h('dt', t('iso.last_exposure')), h('dd', o.last_exposure_day),
		h('dt', t('iso.start')), h('dd', o.start_day),
		h('dt', t('iso.planned_end')), h('dd', h('strong', o.planned_end_day)),
		h('dt', t('iso.status')), h('dd', statusTag(o.status), o.outcome ? ' ' + o.outcome : ''));
	const actions = o.status === 'active' && ctx.hasPerm('isolation.write') ? h('div.page-actions',
		button(t('iso.release'), {
			class: 'btn', 'data-act': 'release', onclick: async () => {
				const early = o.planned_end_day > new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
				const reason = early ? prompt(t('iso.early_reason')) : '';
				if (early && !reason) return;
				act('release', { outcome: early ? 'lifted' : 'completed', reason: reason || undefined }, t('iso.released'));
			},
		}),
		button(t('iso.transfer'), { class: 'btn btn-danger', 'data-act': 'transfer', onclick: async () => { if (await confirmDialog(t('iso.transfer_q'))) act('transfer', {}, t('iso.transferred')); } }),
		button(t('iso.link'), {
			class: 'btn', 'data-act': 'link', onclick: async () => {
				const r = await api('POST', `/api/v1/isolations/${o.id}/self-report-link`, {});
				linkBox.replaceChildren(h('div.alert.alert-info', t('iso.link_made'), ' ', h('a', { href: r.url, target: '_blank' }, location.origin + r.url)));
			},
		}),
		h('a.btn', { href: `/api/v1/isolations/${o.id}/notice`, target: '_blank', rel: 'noopener', 'data-act': 'notice' }, t('iso.notice'))) : null;
	const linkBox = h('div');
	const checkForm = o.status === 'active' && ctx.hasPerm('health.check') ? form([
		field(t('iso.temperature'), input('temperature', { type: 'number', step: '0.1', min: 34, max: 43, inputmode: 'decimal' })),
		h('fieldset.symptoms', h('legend', t('iso.symptoms')), SYMPTOMS.map((s) => h('label.check', h('input', { type: 'checkbox', name: 'sym_' + s }), t('iso.sym_' + s)))),
		h('button.btn.btn-primary', { type: 'submit' }, t('iso.record_check')),
	], async (fm) => {
		const v = values(fm);
		const r = await api('POST', `/api/v1/isolations/${o.id}/checks`, {
			temperature: Number(v.temperature), symptoms: SYMPTOMS.filter((s) => v['sym_' + s]), client_id: clientId(),
		});
		toast(r.alert_id ? t('iso.alert_raised') : t('iso.check_saved'), r.alert_id ? 'error' : 'ok');
		reload();
	}) : null;
	body.replaceChildren(
		h('div.page-head', h('h2', t('iso.order_n', { id: o.id })), actions), linkBox,
		section(null, info),
		section(t('iso.carers'), h('ul', CARER_ROLES.map((r) => {
			const c = o.carer_list.find((x) => x.role === r);
			return h('li', t('iso.role_' + r), '：', c ? `${c.name} ${c.phone || ''}` : h('span.tag.tag-warn', t('iso.gap')));
		}))),
		section(t('iso.checks'), checks.length ? chartBox({
			tooltip: { trigger: 'axis' }, xAxis: { type: 'category', data: checks.map((c) => fmtTime(c.at).slice(5)) },
			yAxis: { type: 'value', min: 35, max: 41 },
			series: [{ type: 'line', data: checks.map((c) => c.temperature), markLine: { data: [{ yAxis: 37.3 }] } }],
		}, h('table.table', h('tbody', o.checks.map((c) => h('tr', h('td', fmtTime(c.at)), h('td', t('iso.slot_' + c.slot)), h('td', String(c.temperature)), h('td', c.symptoms.map((s) => t('iso.sym_' + s)).join('、'))))))) : empty(), checkForm),
		section(t('iso.alerts'), o.alerts.length ? h('ul', o.alerts.map((a) => h('li', t('iso.alert_' + a.kind), ' ', a.temperature ?? '', ' · ', t('iso.astatus_' + a.status), a.outcome ? ' · ' + t('iso.outcome_' + a.outcome) : ''))) : empty()),
		section(t('iso.requests'), o.requests.length ? h('ul', o.requests.map((r) => h('li', t('iso.svc_' + r.kind), ' · ', t('iso.rstatus_' + r.status), r.note ? ' · ' + r.note : ''))) : empty()),
		section(t('iso.history'), h('ol.history', o.history.map((e) => h('li', h('span.nowrap', fmtTime(e.at)), ' ', e.user_name || '', ' ', t('iso.act_' + e.action), e.detail ? ' — ' + e.detail : '', e.reason ? ' (' + e.reason + ')' : '')))));
}

// ---------- alerts, missed checks, releases due, requests, sites ----------

async function alerts(ctx, body) {
	const q = ctx.query;
	const f = { status: q.status ?? 'open', kind: q.kind || '', day: q.day || '' };
	const url = () => '/api/v1/alerts' + qs(f);
	const list = pagedTable({
		url,
		rowAttrs: (a) => ({ dataset: { alert: a.id } }),
		columns: [
			{ label: t('iso.person'), cell: (a) => h('a', { href: `#/isolation/order/${a.isolation_id}` }, a.person_name) },
			{ label: t('iso.unit'), cell: (a) => a.unit_name },
			{ label: t('iso.alert'), cell: (a) => h('span.tag.tag-danger', t('iso.alert_' + a.kind)) },
			{ label: t('iso.temperature'), cell: (a) => (a.temperature == null ? '' : a.temperature.toFixed(1) + ' ℃') },
			{ label: t('iso.raised'), cell: (a) => h('span.nowrap', fmtTime(a.raised_at)) },
			{ label: t('iso.status'), cell: (a) => kids(t('iso.astatus_' + a.status), a.outcome ? ' · ' + t('iso.outcome_' + a.outcome) : '') },
			{
				label: t('common.actions'), class: 'actions',
				cell: (a) => (a.status === 'closed' || !ctx.hasPerm('alerts.close') ? '' : h('span.row-actions',
					a.status === 'open' ? button(t('iso.ack'), { class: 'btn btn-small', 'data-act': 'ack', onclick: () => closeAct(a, 'acknowledge', {}) }) : null,
					button(t('iso.outcome_normal'), { class: 'btn btn-small', 'data-act': 'normal', onclick: () => closeAct(a, 'close', { outcome: 'normal' }) }),
					button(t('iso.outcome_transferred_120'), { class: 'btn btn-small btn-danger', 'data-act': '120', onclick: () => closeAct(a, 'close', { outcome: 'transferred_120' }) }))),
			},
		],
	});
	async function closeAct(a, verb, payload) {
		try {
			await api('POST', `/api/v1/alerts/${a.id}/${verb}`, payload);
			toast(t(verb === 'close' ? 'iso.alert_closed' : 'iso.alert_acked'));
			list.reload();
		} catch (err) {
			if (!err.handled) toast(errText(err), 'error');
		}
	}
	const filters = form([
		field(t('iso.status'), select('status', [['', t('iso.all')], ['open', t('iso.astatus_open')], ['closed', t('iso.astatus_closed')]], f.status)),
		field(t('iso.alert'), select('kind', [['', t('iso.all')], ['fever', t('iso.alert_fever')], ['symptom', t('iso.alert_symptom')]], f.kind)),
		h('button.btn', { type: 'submit' }, t('common.search')),
	], async (fm) => { Object.assign(f, values(fm)); ctx.setQuery(f); list.reload(); }, { class: 'form form-inline filters' });
	body.replaceChildren(section(t('iso.tab_alerts'), filters, h('div.page-actions', exportLink(url())), list.el));
}

async function missed(ctx, body) {
	const day = ctx.query.day || '';
	const url = '/api/v1/isolations/missed-checks' + qs({ day, carer: ctx.query.carer });
	const list = pagedTable({
		url,
		columns: [
			{ label: t('iso.person'), cell: (o) => h('a', { href: `#/isolation/order/${o.id}` }, o.person_name) },
			{ label: t('iso.unit'), cell: (o) => o.unit_name },
			{ label: t('iso.kind'), cell: (o) => kindTag(o.kind) },
			{ label: t('iso.place'), cell: (o) => kids(o.site_name || '', o.room_number ? ' ' + o.room_number : '') },
			{ label: t('iso.missed'), cell: (o) => o.missed.map((s) => t('iso.slot_' + s)).join('、') },
		],
	});
	const pick = form([field(t('iso.day'), input('day', { type: 'date', value: day })), h('button.btn', { type: 'submit' }, t('common.search'))],
		async (fm) => { ctx.go('#/isolation/missed' + qs({ day: values(fm).day })); }, { class: 'form form-inline filters' });
	body.replaceChildren(section(t('iso.tab_missed'), pick, h('div.page-actions', exportLink(url)), list.el));
}

async function due(ctx, body) {
	const url = '/api/v1/isolations/release-due';
	const list = pagedTable({
		url,
		columns: [
			{ label: t('iso.person'), cell: (o) => h('a', { href: `#/isolation/order/${o.id}` }, o.person_name) },
			{ label: t('iso.unit'), cell: (o) => o.unit_name },
			{ label: t('iso.kind'), cell: (o) => kindTag(o.kind) },
			{ label: t('iso.planned_end'), cell: (o) => o.planned_end_day },
		],
	});
	body.replaceChildren(section(t('iso.tab_due'), h('p.muted', t('iso.due_hint')), h('div.page-actions', exportLink(url)), list.el));
}

async function requests(ctx, body) {
	const f = { status: ctx.query.status ?? 'open', overdue: ctx.query.overdue || '', carer: ctx.query.carer || '' };
	const url = '/api/v1/service-requests' + qs(f);
	const list = pagedTable({
		url,
		columns: [
			{ label: t('iso.person'), cell: (r) => h('a', { href: `#/isolation/order/${r.isolation_id}` }, r.person_name) },
			{ label: t('iso.service'), cell: (r) => t('iso.svc_' + r.kind) },
			{ label: t('iso.note'), cell: (r) => r.note || '' },
			{ label: t('iso.raised'), cell: (r) => h('span.nowrap', fmtTime(r.created_at)) },
			{ label: t('iso.status'), cell: (r) => kids(t('iso.rstatus_' + r.status), r.overdue ? h('span.tag.tag-danger', t('iso.overdue')) : null) },
			{
				label: t('common.actions'), class: 'actions',
				cell: (r) => (r.status === 'done' || !ctx.hasPerm('health.check') ? '' : button(t('iso.done'), {
					class: 'btn btn-small', 'data-act': 'done',
					onclick: async () => { await api('POST', `/api/v1/service-requests/${r.id}/done`, {}); list.reload(); },
				})),
			},
		],
	});
	body.replaceChildren(section(t('iso.tab_requests'), h('div.page-actions', exportLink(url)), list.el));
}

async function sites(ctx, body) {
	const url = '/api/v1/isolation-sites';
	const list = pagedTable({
		url,
		columns: [
			{ label: t('iso.site'), cell: (s) => h('a', { href: `#/isolation/orders?status=active&site_id=${s.id}` }, s.name) },
			{ label: t('iso.kind'), cell: (s) => t('iso.site_' + s.kind) },
			{ label: t('iso.unit'), cell: (s) => s.unit_name },
			{ label: t('iso.rooms'), cell: (s) => s.rooms },
			{ label: t('iso.beds'), cell: (s) => s.beds },
			{ label: t('iso.occupied'), cell: (s) => s.occupied },
			{ label: t('iso.free'), cell: (s) => s.free },
		],
	});
	body.replaceChildren(section(t('iso.tab_sites'), h('div.page-actions', exportLink(url)), list.el));
}

// ---------- a carer's own people ----------

async function myPeople(ctx) {
	ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.mypeople'))), loading());
	let res;
	try {
		res = await api('GET', '/api/v1/my-people');
	} catch (err) {
		ctx.root.replaceChildren(h('div.alert.alert-error', errText(err)));
		return;
	}
	const tt = res.totals;
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.mypeople'))),
		h('div.stats',
			stat(t('iso.fig_people'), tt.people),
			stat(t('iso.fig_checks_done'), `${tt.checks_done} / ${tt.checks_due}`),
			h('a.stat-link', { href: `#/isolation/missed?carer=me&day=${res.day}` }, stat(t('iso.fig_missed_checks'), tt.checks_missed, tt.checks_missed ? 'warn' : null)),
			h('a.stat-link', { href: '#/isolation/alerts?status=open' }, stat(t('iso.fig_open_alerts'), tt.open_alerts, tt.open_alerts ? 'warn' : null)),
			h('a.stat-link', { href: '#/isolation/requests?status=open&carer=me' }, stat(t('iso.fig_requests_open'), tt.open_requests)),
			stat(t('iso.fig_requests_overdue'), tt.overdue_requests, tt.overdue_requests ? 'warn' : null)),
		res.items.length ? h('ul.cards', res.items.map((p) => h('li.card', { dataset: { order: p.id } },
			h('h3', h('a', { href: `#/isolation/order/${p.id}` }, p.person_name), ' ', kindTag(p.kind)),
			h('p.muted', t('iso.role_' + p.role), ' · ', p.site_name ? `${p.site_name} ${p.room_number || ''}` : p.unit_name, ' · ', t('iso.until', { day: p.planned_end_day })),
			h('p', tag(p.morning_done ? 'morning_done' : p.morning_missed ? 'morning_missed' : 'morning_due', p.morning_done ? 'ok' : p.morning_missed ? 'danger' : 'plain'), ' ',
				tag(p.evening_done ? 'evening_done' : p.evening_missed ? 'evening_missed' : 'evening_due', p.evening_done ? 'ok' : p.evening_missed ? 'danger' : 'plain'),
				p.max_temp_today ? ` ${p.max_temp_today.toFixed(1)} ℃` : '',
				p.open_alerts ? h('span.tag.tag-danger', ' ' + t('iso.n_alerts', { n: p.open_alerts })) : '',
				p.open_requests ? h('span.tag.tag-warn', ' ' + t('iso.n_requests', { n: p.open_requests })) : '')))) : empty(t('iso.no_people')));
}

export { SERVICES };
