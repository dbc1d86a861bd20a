// 复工复产: enterprise resumption. For the command (#/enterprises): the
// resumption rate of a day (an ECharts bar chart by unit, the table one
// click away, export), the register of enterprises, the applications to
// review (approve, return for more, reject with a reason), operating
// inspections against the eight prohibitions and their findings (overdue
// ones marked). For an enterprise account the same route is its portal:
// its enterprise and the status of its application with the reviewer's
// reason, the application form (planned start at least 2 days ahead, the
// plan, the seven musts with evidence), its employees (typed or a CSV file,
// flagged while they must still isolate), the day it resumed, and its
// inspections. Every list exports to xlsx.
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import {
	h, loading, errorBox, field, input, select, form, values, qs, pagedTable,
	exportLink, disclosure, toast, unitPicker, stat, empty, tabLinks, pageHead, section, confirmDialog,
} from '../dom.js';
import { loadECharts } from '../chart.js';

const TABS = ['rate', 'enterprises', 'applications', 'inspections', 'findings'];


const pct = (x) => (x == null ? '—' : `${(x * 100).toFixed(1)} %`);
const statusBadge = (s) => h('span.badge.status-' + s, t('ent.status_' + s));
const textarea = (name, attrs = {}) => h('textarea', { name, rows: 3, ...attrs });

// The local day as YYYY-MM-DD (Beijing time, as the server counts days).
function today() {
	return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export async function render(ctx) {
	if (!ctx.hasPerm('enterprises.write') && !ctx.hasPerm('enterprises.inspect') && ctx.hasPerm('enterprises.apply')) return renderPortal(ctx);
	const tab = TABS.includes(ctx.query.tab) ? ctx.query.tab : 'rate';
	const body = h('div.tab-body');
	ctx.root.replaceChildren(pageHead(t('nav.enterprises')),
		tabLinks(TABS.map((k) => [k, k === 'rate' ? '#/enterprises' : `#/enterprises?tab=${k}`, t('ent.tab_' + k)]), tab), body);
	const tabs = { rate: rateTab, enterprises: enterprisesTab, applications: applicationsTab, inspections: inspectionsTab, findings: findingsTab };
	body.replaceChildren(tabs[tab](ctx));
}

export function update(ctx) {
	return render(ctx);
}

// ---------- the rate ----------

function rateTab(ctx) {
	const day = input('day', { type: 'date', value: ctx.query.day || today() });
	const stats = h('div.stats.summary');
	const chartBox = h('div.chart', { style: 'height:320px' });
	const tableBox = h('div.rate-table', { hidden: true });
	const toggle = h('button.btn', { type: 'button', dataset: { act: 'table' } }, t('ent.show_table'));
	const exportA = h('span');
	let chart = null;
	toggle.addEventListener('click', () => {
		tableBox.hidden = !tableBox.hidden;
		chartBox.hidden = !tableBox.hidden;
		toggle.textContent = t(tableBox.hidden ? 'ent.show_table' : 'ent.show_chart');
	});
	async function load() {
		stats.replaceChildren(loading());
		const url = '/api/v1/enterprises/resumption' + qs({ day: day.value });
		exportA.replaceChildren(exportLink(url));
		ctx.setQuery({ ...ctx.query, day: day.value });
		try {
			const r = await api('GET', url);
			stats.replaceChildren(
				stat(t('ent.above_scale'), r.above_scale),
				stat(t('ent.seasonal'), r.seasonal),
				stat(t('ent.resumed'), r.resumed),
				h('div.stat.stat-rate', h('div.stat-n', { dataset: { figure: 'rate' } }, pct(r.resumption_rate)), h('div.stat-label', t('ent.rate'))),
				stat(t('ent.staff_rate'), pct(r.staff_return_rate)));
			const rows = [...r.by_unit.map((u) => ({ ...u, label: u.unit_name })), ...r.by_sector.map((s) => ({ ...s, label: t('ent.sector_' + s.sector) }))];
			tableBox.replaceChildren(h('table.table.responsive',
				h('thead', h('tr', [t('ent.unit_or_sector'), t('ent.above_scale'), t('ent.seasonal'), t('ent.resumed'), t('ent.rate'), t('ent.staff_rate')].map((x) => h('th', x)))),
				h('tbody', rows.map((x) => h('tr',
					h('td', x.label), h('td.num', x.above_scale), h('td.num', x.seasonal), h('td.num', x.resumed),
					h('td.num', pct(x.resumption_rate)), h('td.num', pct(x.staff_return_rate)))))));
			try {
				const echarts = await loadECharts();
				if (!chart) chart = echarts.init(chartBox);
				const units = r.by_unit;
				chart.setOption({
					grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
					legend: { data: [t('ent.resumed'), t('ent.not_resumed'), t('ent.seasonal')] },
					tooltip: { trigger: 'axis' },
					xAxis: { type: 'value', minInterval: 1 },
					yAxis: { type: 'category', inverse: true, data: units.map((u) => u.unit_name) },
					series: [
						{ name: t('ent.resumed'), type: 'bar', stack: 'n', data: units.map((u) => u.resumed) },
						{ name: t('ent.not_resumed'), type: 'bar', stack: 'n', data: units.map((u) => u.above_scale - u.resumed - u.seasonal) },
						{ name: t('ent.seasonal'), type: 'bar', stack: 'n', data: units.map((u) => u.seasonal) },
					],
				}, true);
				chart.resize();
			} catch {
				chartBox.replaceChildren(h('div.alert.alert-error', t('ent.chart_failed')));
			}
		} catch (err) {
			if (!err.handled) stats.replaceChildren(errorBox(err));
		}
	}
	day.addEventListener('change', load);
	load();
	return h('div', h('div.section-head', h('h2', t('ent.tab_rate')), h('div.filters', field(t('ent.day'), day)), toggle, exportA),
		h('p.muted', t('ent.rate_rule')), stats, chartBox, tableBox);
}

// ---------- enterprises ----------

function enterprisesTab(ctx) {
	const q = input('q', { value: ctx.query.q || '', placeholder: t('ent.search') });
	const listBox = h('div');
	const exportA = h('span');
	function load() {
		const url = '/api/v1/enterprises' + qs({ q: q.value });
		exportA.replaceChildren(exportLink(url));
		listBox.replaceChildren(pagedTable({
			url,
			columns: [
				{ label: t('ent.name'), cell: (e) => h('div', h('strong', e.name), h('div.muted', e.credit_code)) },
				{ label: t('ent.unit'), cell: (e) => e.unit_name },
				{ label: t('ent.sector'), cell: (e) => t('ent.sector_' + e.sector) },
				{ label: t('ent.above_scale'), cell: (e) => (e.above_scale ? '✓' : '') },
				{ label: t('ent.headcount'), cell: (e) => String(e.headcount), class: 'num' },
				{ label: t('ent.status'), cell: (e) => (e.seasonal_idle_since && !e.resumed_day ? h('span.badge', t('ent.idle_since', { day: e.seasonal_idle_since })) : statusBadge(e.status)) },
				{ label: t('ent.resumed_day'), cell: (e) => (e.resumed_day ? `${e.resumed_day} · ${e.staff_at_work ?? ''}` : '') },
			],
			rowAttrs: (e) => ({ dataset: { id: e.id } }),
			emptyText: t('ent.no_enterprises'),
		}).el);
	}
	q.addEventListener('change', load);
	load();
	const canWrite = ctx.hasPerm('enterprises.write');
	return h('div', h('div.section-head', h('h2', t('ent.tab_enterprises')), h('div.filters', field(t('common.search'), q)), exportA),
		listBox, canWrite ? registerForm(load) : null);
}

function registerForm(done) {
	const f = form([
		field(t('ent.unit'), unitPicker('unit_id')),
		field(t('ent.name'), input('name', { required: true })),
		field(t('ent.credit_code'), input('credit_code', { required: true, maxlength: 18, autocapitalize: 'characters' })),
		field(t('ent.sector'), input('sector', { required: true, placeholder: 'manufacturing' })),
		field(t('ent.headcount'), input('headcount', { inputmode: 'numeric' })),
		h('label.check', h('input', { type: 'checkbox', name: 'above_scale' }), ' ', t('ent.above_scale')),
		field(t('ent.idle_since_label'), input('seasonal_idle_since', { type: 'date' })),
		field(t('ent.contact_name'), input('contact_name')),
		field(t('ent.contact_phone'), input('contact_phone', { inputmode: 'tel' })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('ent.register'))),
	], async (fm) => {
		const v = values(fm);
		const body = { unit_id: Number(v.unit_id), name: v.name, credit_code: v.credit_code, sector: v.sector, headcount: Number(v.headcount || 0), above_scale: v.above_scale };
		for (const k of ['seasonal_idle_since', 'contact_name', 'contact_phone']) if (v[k]) body[k] = v[k];
		await api('POST', '/api/v1/enterprises', body);
		toast(t('common.added'));
		fm.reset();
		done();
	});
	return disclosure(t('ent.register'), f);
}

// ---------- applications ----------

function applicationsTab(ctx) {
	const status = select('status', ['pending', 'returned', 'approved', 'rejected', ''].map((s) => [s, s ? t('ent.status_' + s) : t('ent.all')]), ctx.query.status ?? 'pending');
	const listBox = h('div');
	const detail = h('div.app-detail');
	const exportA = h('span');
	const canReview = ctx.hasPerm('enterprises.write');
	let list;
	function load() {
		const url = '/api/v1/applications' + qs({ status: status.value });
		exportA.replaceChildren(exportLink(url));
		ctx.setQuery({ tab: 'applications', status: status.value });
		list = pagedTable({
			url,
			columns: [
				{ label: t('ent.name'), cell: (a) => h('a', { href: '#', onclick: (e) => { e.preventDefault(); showApp(a.id); } }, a.enterprise_name) },
				{ label: t('ent.filed'), cell: (a) => a.filed_at },
				{ label: t('ent.planned'), cell: (a) => a.planned_start_day },
				{ label: t('ent.employees'), cell: (a) => t('ent.may_start_of', { may: a.may_start, n: a.employees }) },
				{ label: t('ent.status'), cell: (a) => statusBadge(a.status) },
			],
			rowAttrs: (a) => ({ dataset: { id: a.id, status: a.status } }),
			emptyText: t('ent.no_applications'),
		});
		listBox.replaceChildren(list.el);
	}
	async function showApp(id) {
		detail.replaceChildren(loading());
		try {
			detail.replaceChildren(await appCard(id, canReview ? () => { list.reload(); showApp(id); } : null));
			detail.scrollIntoView({ block: 'nearest' });
		} catch (err) {
			detail.replaceChildren(errorBox(err));
		}
	}
	status.addEventListener('change', load);
	load();
	return h('div', h('div.section-head', h('h2', t('ent.tab_applications')), h('div.filters', field(t('ent.status'), status)), exportA), listBox, detail);
}

// One application: its checklist, employees (flagged) and, for a reviewer,
// the decision form.
async function appCard(id, onReviewed) {
	const a = await api('GET', `/api/v1/applications/${id}`);
	const emps = pagedTable({
		url: `/api/v1/applications/${id}/employees`,
		columns: [
			{ label: t('ent.emp_name'), cell: (e) => e.name },
			{ label: t('ent.doc_number'), cell: (e) => e.doc_number },
			{ label: t('ent.origin'), cell: (e) => (e.origin_name ? `${e.origin_name} · ${e.arrival_date}` : '') },
			{ label: t('ent.grade'), cell: (e) => (e.grade ? t('ent.grade_' + e.grade) : '') },
			{ label: t('ent.isolate_until'), cell: (e) => (e.must_isolate ? h('span.badge.badge-warn', t('ent.isolating_until', { day: e.isolate_until })) : (e.isolate_until || '')) },
		],
		rowAttrs: (e) => ({ class: e.must_isolate ? 'row-warn' : null }),
		emptyText: t('ent.no_employees'),
	});
	const review = onReviewed && a.status === 'pending' ? form([
		field(t('ent.reason'), textarea('reason')),
		h('div.form-actions',
			h('button', { type: 'submit', class: 'btn btn-primary', dataset: { decision: 'approve' } }, t('ent.approve')),
			h('button', { type: 'submit', class: 'btn', dataset: { decision: 'return' } }, t('ent.return')),
			h('button', { type: 'submit', class: 'btn btn-danger', dataset: { decision: 'reject' } }, t('ent.reject'))),
	], async (fm, ev) => {
		const decision = (ev.submitter && ev.submitter.dataset.decision) || 'approve';
		const v = values(fm);
		// A rejection ends the application: ask first.
		if (decision === 'reject' && !(await confirmDialog(t('ent.reject_q', { name: a.enterprise_name }), { okLabel: t('ent.reject') }))) return;
		await api('POST', `/api/v1/applications/${id}/review`, { decision, ...(v.reason ? { reason: v.reason } : {}) });
		toast(t('ent.status_' + (decision === 'approve' ? 'approved' : decision === 'return' ? 'returned' : 'rejected')));
		onReviewed();
	}, { class: 'form review-form' }) : null;
	return section(`${a.enterprise_name} · ${t('ent.application')} ${a.id}`,
		h('p', statusBadge(a.status), ' ', t('ent.filed'), ' ', a.filed_at, ' · ', t('ent.planned'), ' ', h('strong', a.planned_start_day)),
		a.reason ? h('div.alert.alert-warn.reason', t('ent.reason'), '：', a.reason) : null,
		h('div.stats.summary', stat(t('ent.employees'), a.employees), stat(t('ent.must_isolate'), a.must_isolate, a.must_isolate ? 'warn' : null), stat(t('ent.may_start'), a.may_start)),
		h('h3', t('ent.plan')), h('pre.plan', a.plan),
		h('h3', t('ent.musts')), h('ol.checklist', a.checklist.map((c) => h('li', h('strong', c.text), h('div', c.evidence)))),
		h('h3', t('ent.employees')), h('div', exportLink(`/api/v1/applications/${id}/employees`)), emps.el,
		review);
}

// ---------- inspections and findings ----------

function inspectionsTab(ctx) {
	const listBox = h('div');
	const url = '/api/v1/enterprises/inspections';
	function load() {
		listBox.replaceChildren(pagedTable({
			url,
			columns: [
				{ label: t('ent.day'), cell: (i) => i.day },
				{ label: t('ent.name'), cell: (i) => i.enterprise_name },
				{ label: t('ent.unit'), cell: (i) => i.unit_name },
				{ label: t('ent.inspector'), cell: (i) => i.inspector },
				{ label: t('ent.findings'), cell: (i) => h('span', String(i.findings), i.overdue ? h('span.badge.badge-warn', ' ', t('ent.overdue_n', { n: i.overdue })) : null) },
			],
			emptyText: t('ent.no_inspections'),
		}).el);
	}
	load();
	return h('div', h('div.section-head', h('h2', t('ent.tab_inspections')), exportLink(url)), listBox,
		ctx.hasPerm('enterprises.inspect') ? inspectionForm(load) : null);
}

function inspectionForm(done) {
	const ent = select('enterprise_id', [['', t('common.choose')]]);
	api('GET', '/api/v1/enterprises?limit=500').then((r) => {
		for (const e of r.items || []) if (e.resumed_day) ent.append(h('option', { value: e.id }, e.name));
	}, () => {});
	const items = h('div.findings');
	let lists = null;
	async function addFinding() {
		if (!lists) lists = await api('GET', '/api/v1/enterprises/checklists');
		items.append(h('fieldset.finding',
			field(t('ent.prohibition'), select('item', lists.prohibitions.map((p) => [p.code, p.text]))),
			field(t('ent.finding_note'), input('note')),
			field(t('ent.deadline'), input('deadline', { type: 'date' }))));
	}
	const f = form([
		field(t('ent.name'), ent),
		field(t('ent.day'), input('day', { type: 'date', value: today() })),
		field(t('ent.inspector'), input('inspector')),
		items,
		h('div.form-actions',
			h('button', { type: 'button', class: 'btn', onclick: addFinding }, t('ent.add_finding')),
			h('button', { type: 'submit', class: 'btn btn-primary' }, t('ent.record_inspection'))),
	], async (fm) => {
		const v = values(fm);
		const findings = [...items.querySelectorAll('fieldset.finding')].map((fs) => ({
			item: fs.querySelector('[name=item]').value, note: fs.querySelector('[name=note]').value.trim(), deadline: fs.querySelector('[name=deadline]').value,
		}));
		await api('POST', `/api/v1/enterprises/${Number(v.enterprise_id)}/inspections`, { day: v.day, inspector: v.inspector || undefined, findings });
		toast(t('common.added'));
		items.replaceChildren();
		done();
	});
	return disclosure(t('ent.record_inspection'), f);
}

function findingsTab(ctx) {
	const status = select('status', ['overdue', 'open', 'fixed', ''].map((s) => [s, s ? t('ent.finding_' + s) : t('ent.all')]), ctx.query.status ?? 'overdue');
	const listBox = h('div');
	const exportA = h('span');
	const canFollow = ctx.hasPerm('enterprises.inspect');
	function load() {
		const url = '/api/v1/enterprises/findings' + qs({ status: status.value });
		exportA.replaceChildren(exportLink(url));
		ctx.setQuery({ tab: 'findings', status: status.value });
		const list = pagedTable({
			url,
			columns: [
				{ label: t('ent.day'), cell: (f) => f.day },
				{ label: t('ent.name'), cell: (f) => f.enterprise_name },
				{ label: t('ent.prohibition'), cell: (f) => h('div', h('strong', f.item_text), h('div', f.note)) },
				{ label: t('ent.deadline'), cell: (f) => f.deadline },
				{ label: t('ent.status'), cell: (f) => h('span.badge.finding-' + f.status, t('ent.finding_' + f.status)) },
				{ label: '', cell: (f) => (canFollow && f.status !== 'fixed' ? h('button.btn', { type: 'button', onclick: () => followUp(f, () => list.reload()) }, t('ent.mark_fixed')) : (f.follow_up || '')) },
			],
			rowAttrs: (f) => ({ class: f.status === 'overdue' ? 'row-warn' : null, dataset: { id: f.id } }),
			emptyText: t('ent.no_findings'),
		});
		listBox.replaceChildren(list.el);
	}
	status.addEventListener('change', load);
	load();
	return h('div', h('div.section-head', h('h2', t('ent.tab_findings')), h('div.filters', field(t('ent.status'), status)), exportA), listBox);
}

async function followUp(f, done) {
	try {
		await api('POST', `/api/v1/enterprises/findings/${f.id}/follow-up`, { note: t('ent.fixed_note'), fixed_day: today() });
		toast(t('ent.finding_fixed'));
		done();
	} catch (err) {
		if (!err.handled) toast(err.message || String(err), 'error');
	}
}

// ---------- the portal ----------

async function renderPortal(ctx) {
	ctx.root.replaceChildren(pageHead(t('ent.portal')), loading());
	let ent;
	try {
		const list = await api('GET', '/api/v1/enterprises');
		ent = (list.items || [])[0];
	} catch (err) {
		ctx.root.replaceChildren(pageHead(t('ent.portal')), errorBox(err));
		return;
	}
	if (!ent) {
		ctx.root.replaceChildren(pageHead(t('ent.portal')), empty(t('ent.no_enterprise')));
		return;
	}
	const reload = () => renderPortal(ctx);
	const parts = [pageHead(ent.name),
		h('p.muted', `${ent.credit_code} · ${ent.unit_name} · ${t('ent.headcount')} ${ent.headcount}`),
		h('div.portal-status', t('ent.status'), '：', statusBadge(ent.status), ent.resumed_day ? h('span', ' · ', t('ent.resumed_on', { day: ent.resumed_day, n: ent.staff_at_work })) : null)];
	const apps = (await api('GET', `/api/v1/applications?enterprise_id=${ent.id}`)).items || [];
	const last = apps[apps.length - 1];
	if (last) parts.push(await appCard(last.id, null));
	if (!last || last.status === 'rejected') parts.push(section(t('ent.apply'), await applyForm(ent, reload)));
	if (last && (last.status === 'pending' || last.status === 'returned')) parts.push(section(t('ent.add_employees'), employeeForms(last.id, reload)));
	if (last && last.status === 'returned') parts.push(section(t('ent.refile'), refileForm(last, reload)));
	if (last && last.status === 'approved') parts.push(section(t('ent.record_resumed'), resumedForm(ent, last, reload)));
	parts.push(disclosure(t('ent.our_details'), await detailsForm(ent.id, reload)));
	parts.push(section(t('ent.tab_findings'), pagedTable({
		url: '/api/v1/enterprises/findings',
		columns: [
			{ label: t('ent.day'), cell: (f) => f.day },
			{ label: t('ent.prohibition'), cell: (f) => h('div', h('strong', f.item_text), h('div', f.note)) },
			{ label: t('ent.deadline'), cell: (f) => f.deadline },
			{ label: t('ent.status'), cell: (f) => t('ent.finding_' + f.status) },
		],
		emptyText: t('ent.no_findings'),
	}).el));
	ctx.root.replaceChildren(...parts);
}

async function musts() {
	return (await api('GET', '/api/v1/enterprises/checklists')).musts;
}

function checklistFields(items, prev = []) {
	return h('fieldset.musts', h('legend', t('ent.musts')), items.map((m) => field(m.text,
		textarea('must_' + m.code, { rows: 2, dataset: { item: m.code } }, (prev.find((p) => p.item === m.code) || {}).evidence))));
}

function checklistOf(fm) {
	return [...fm.querySelectorAll('textarea[data-item]')].map((x) => ({ item: x.dataset.item, evidence: x.value.trim() }));
}

async function applyForm(ent, done) {
	const items = await musts();
	const min = new Date(Date.now() + 8 * 3600 * 1000 + 2 * 86400 * 1000).toISOString().slice(0, 10);
	return form([
		field(t('ent.planned'), input('planned_start_day', { type: 'date', min, required: true }), t('ent.two_day_rule', { day: min })),
		field(t('ent.plan'), textarea('plan', { rows: 5, required: true })),
		checklistFields(items),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('ent.file'))),
	], async (fm) => {
		const v = values(fm);
		await api('POST', `/api/v1/enterprises/${ent.id}/applications`, { planned_start_day: v.planned_start_day, plan: v.plan, checklist: checklistOf(fm) });
		toast(t('ent.filed_ok'));
		done();
	}, { class: 'form apply-form' });
}

function refileForm(app, done) {
	const box = h('div', loading());
	musts().then((items) => box.replaceChildren(form([
		field(t('ent.planned'), input('planned_start_day', { type: 'date', value: app.planned_start_day })),
		checklistFields(items, app.checklist || []),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('ent.refile'))),
	], async (fm) => {
		const v = values(fm);
		await api('PATCH', `/api/v1/applications/${app.id}`, { planned_start_day: v.planned_start_day, checklist: checklistOf(fm) });
		toast(t('ent.filed_ok'));
		done();
	})), (err) => box.replaceChildren(errorBox(err)));
	return box;
}

function employeeForms(appId, done) {
	const one = form([
		field(t('ent.emp_name'), input('name', { required: true })),
		field(t('ent.doc_number'), input('doc_number', { required: true })),
		field(t('ent.phone'), input('phone', { inputmode: 'tel' })),
		field(t('ent.origin'), input('origin', { placeholder: '湖北省武汉市' })),
		field(t('ent.arrival_date'), input('arrival_date', { type: 'date' })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (fm) => {
		const v = values(fm);
		const body = { name: v.name, doc_number: v.doc_number };
		for (const k of ['phone', 'origin', 'arrival_date']) if (v[k]) body[k] = v[k];
		const e = await api('POST', `/api/v1/applications/${appId}/employees`, body);
		toast(e.must_isolate ? t('ent.isolating_until', { day: e.isolate_until }) : t('common.added'), e.must_isolate ? 'warn' : 'ok');
		done();
	}, { class: 'form employee-form' });
	const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
	const result = h('div.import-result');
	const imp = form([
		field(t('ent.csv_file'), file, t('ent.csv_hint')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn' }, t('ent.import'))),
		result,
	], async (fm) => {
		if (!file.files[0]) return showError(fm, { field: 'file' }, t('ent.choose_file'));
		const r = await api('POST', `/api/v1/applications/${appId}/employees/import`, await file.files[0].arrayBuffer(), { contentType: 'text/csv' });
		result.replaceChildren(h('p', t('ent.imported', { added: r.added, rejected: r.rejected })),
			r.rejects.length ? h('ul.rejects', r.rejects.map((x) => h('li', t('ent.reject_line', { line: x.line, message: x.message })))) : null);
		if (!r.rejected) done();
	});
	return h('div', one, disclosure(t('ent.import_csv'), imp));
}

// The enterprise's own address, contact and headcount (its record read
// whole: the list masks the phone).
async function detailsForm(id, done) {
	const e = await api('GET', `/api/v1/enterprises/${id}`);
	return form([
		h('p.hint', t('ent.our_details_hint')),
		field(t('ent.address'), input('address', { value: e.address || '' })),
		field(t('ent.contact_name'), input('contact_name', { value: e.contact_name || '' })),
		field(t('ent.contact_phone'), input('contact_phone', { inputmode: 'tel', value: e.contact_phone || '' })),
		field(t('ent.headcount'), input('headcount', { inputmode: 'numeric', value: String(e.headcount) })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))),
	], async (fm) => {
		const v = values(fm);
		await api('PATCH', `/api/v1/enterprises/${id}`, { address: v.address, contact_name: v.contact_name, contact_phone: v.contact_phone, headcount: Number(v.headcount || 0) });
		toast(t('common.saved'));
		done();
	}, { class: 'form details-form' });
}

function resumedForm(ent, app, done) {
	return form([
		field(t('ent.resumed_day'), input('day', { type: 'date', value: today(), min: app.planned_start_day })),
		field(t('ent.staff_at_work'), input('staff_at_work', { inputmode: 'numeric', required: true })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('ent.record_resumed'))),
	], async (fm) => {
		const v = values(fm);
		await api('POST', `/api/v1/enterprises/${ent.id}/resumed`, { day: v.day, staff_at_work: Number(v.staff_at_work) });
		toast(t('common.saved'));
		done();
	});
}
