// 疫点 (cases.read): #/epipoints lists the epidemic points in scope with
// their figures (open, lifted, staff, on duty now), filters in the URL and
// xlsx, and the form to open one for epipoints.write; #/epipoints/ID is one
// point: its cases, the 9 steps (checked off one by one, the next shown),
// what still blocks lifting or the lifting itself after a confirmation, the
// three work groups with their members and the 四班三运转 roster;
// #/epipoints/procedure shows the 9-step list new points copy, which an
// admin (settings.admin) edits.
import { api, errText, showError } from '../api.js';
import { t, getLang } from '../i18n.js';
import {
	h, field, input, select, form, values, qs, pagedTable, exportLink, toast, searchPicker, unitPicker,
	fmtTime, tabLinks, button, stat, section, empty, loading, confirmDialog, districtDay, errorBox,
} from '../dom.js';

// replaceChildren without the null a hidden part leaves (it would print "null").
const fill = (el, ...kids) => el.replaceChildren(...kids.flat().filter((x) => x != null && x !== false));

const GROUPS = ['incident', 'health', 'supply'];
const TEAMS = ['A', 'B', 'C', 'D'];

const statusTag = (s) => h('span.tag.tag-' + (s === 'open' ? 'danger' : 'ok'), { dataset: { status: s } }, t('epi.status_' + s));
const stepName = (s) => (getLang() === 'en' ? s.name_en : s.name);

export async function render(ctx) {
	const p0 = ctx.params[0] || '';
	const tab = /^\d+$/.test(p0) ? 'point' : (p0 || 'list');
	const tabs = [
		['list', '#/epipoints', t('epi.tab_list')],
		['procedure', '#/epipoints/procedure', t('epi.tab_procedure')],
	];
	const body = h('div.tab-body');
	fill(ctx.root, h('div.page-head', h('h1', t('nav.epipoints'))), tabLinks(tabs, tab === 'point' ? 'list' : tab), body);
	const fn = { list, procedure, point }[tab] || list;
	return fn(ctx, body);
}

export const update = render;

// ---------- the list ----------

async function list(ctx, body) {
	const f = { status: ctx.query.status || '' };
	const url = () => '/api/v1/epidemic-points' + qs(f);
	const figs = h('div.epi-figures', loading());
	const filters = form([
		field(t('epi.status'), select('status', [['', t('epi.all')], ['open', t('epi.status_open')], ['lifted', t('epi.status_lifted')]], f.status)),
		h('button.btn', { type: 'submit' }, t('common.search')),
	], async (fm) => {
		Object.assign(f, values(fm));
		ctx.setQuery(f);
		tbl.reload();
		exp.replaceWith((exp = exportLink(url())));
	}, { class: 'form form-inline case-inline filters' });
	const tbl = pagedTable({
		url,
		emptyText: t('epi.none'),
		rowAttrs: (p) => ({ dataset: { point: p.id, status: p.status } }),
		columns: [
			{ label: t('epi.name'), cell: (p) => h('a', { href: `#/epipoints/${p.id}` }, p.name) },
			{ label: t('epi.unit'), cell: (p) => p.unit_name },
			{ label: t('epi.opened_day'), cell: (p) => h('span.nowrap', p.opened_day) },
			{ label: t('epi.status'), cell: (p) => statusTag(p.status) },
			{ label: t('epi.lifted_day'), cell: (p) => h('span.nowrap', p.lifted_day || '—') },
			{ label: t('epi.cases'), class: 'num', cell: (p) => String(p.cases) },
			{ label: t('epi.steps'), class: 'num', cell: (p) => `${p.steps_done}` },
			{ label: t('epi.members'), class: 'num', cell: (p) => String(p.members) },
		],
	});
	let exp = exportLink(url());
	fill(body,
		figs,
		ctx.hasPerm('epipoints.write') ? h('details.disclosure', h('summary', t('epi.open_new')), h('div.disclosure-body', openForm(ctx))) : null,
		section(t('epi.tab_list'), filters, h('div.page-actions', exp), tbl.el));
	try {
		const s = await api('GET', '/api/v1/epidemic-points/summary');
		const link = (k, n, href, kind) => h('a.stat-link', { href, dataset: { fig: k } }, stat(t('epi.fig_' + k), n, kind));
		fill(figs, h('div.stats',
			link('total', s.total, '#/epipoints'),
			link('open', s.open, '#/epipoints?status=open', s.open ? 'warn' : null),
			link('lifted', s.lifted, '#/epipoints?status=lifted', 'ok'),
			stat(t('epi.fig_staff'), s.staff),
			stat(t('epi.fig_on_duty_now'), s.on_duty_now)));
	} catch (err) {
		fill(figs, errorBox(err));
	}
}

// Opening a point: the place (a building, compound or hotel), the cases
// that stayed there (searched among the cases), the day.
function openForm(ctx) {
	const chosen = new Map();
	const chips = h('div.chips.epi-cases');
	const redraw = () => fill(chips, ...[...chosen.values()].map((c) => h('span.chip', { dataset: { case: c.id } }, `#${c.id} ${c.person_name} `,
		h('button', { type: 'button', class: 'chip-btn', 'aria-label': t('epi.remove'), onclick: () => { chosen.delete(c.id); redraw(); } }, '×'))));
	const picker = searchPicker('case_pick', {
		url: (q) => '/api/v1/cases' + qs({ q }),
		label: (c) => h('span', h('strong', c.person_name), ' ', h('span.muted', `#${c.id} ${c.unit_name} ${c.report_day}`)),
		placeholder: t('epi.find_case'),
		onPick: (c) => { chosen.set(c.id, c); redraw(); picker.clear(); },
	});
	return form([
		h('div.case-grid',
			field(t('epi.unit'), unitPicker('unit_id', null), t('epi.unit_hint')),
			field(t('epi.name'), input('name', { maxlength: 100 }), t('epi.name_hint')),
			field(t('epi.opened_day'), input('opened_day', { type: 'date', value: districtDay(), max: districtDay() }))),
		field(t('epi.cases'), h('div', picker, chips, h('input', { type: 'hidden', name: 'case_ids' }))),
		h('div.form-actions', h('button.btn.btn-primary', { type: 'submit' }, t('epi.open'))),
	], async (fm) => {
		const v = values(fm);
		if (!v.unit_id) return showError(fm, { field: 'unit_id' }, t('epi.pick_unit'));
		if (!chosen.size) return showError(fm, { field: 'case_ids' }, t('epi.pick_cases'));
		const b = { unit_id: Number(v.unit_id), case_ids: [...chosen.keys()], opened_day: v.opened_day };
		if (v.name) b.name = v.name;
		const p = await api('POST', '/api/v1/epidemic-points', b, { headers: { 'Idempotency-Key': 'epi-' + Date.now() } });
		toast(t('epi.opened', { name: p.name }));
		ctx.go(`#/epipoints/${p.id}`);
	}, { class: 'form epi-open-form' });
}

// ---------- one point ----------

async function point(ctx, body) {
	const id = ctx.params[0];
	fill(body, loading());
	let p;
	try {
		p = await api('GET', `/api/v1/epidemic-points/${id}`);
	} catch (err) {
		fill(body, h('a.back-link', { href: '#/epipoints' }, '← ' + t('epi.back')), errorBox(err));
		return;
	}
	show(ctx, body, p);
}

function show(ctx, body, p) {
	const write = ctx.hasPerm('epipoints.write') && p.status === 'open';
	const redraw = (np) => show(ctx, body, np);
	const steps = p.steps || [];
	const done = steps.filter((s) => s.done_at).length;
	fill(body,
		h('a.back-link', { href: '#/epipoints' }, '← ' + t('epi.back')),
		h('div.detail-head', h('h2', p.name, ' ', statusTag(p.status))),
		h('dl.facts.epi-facts',
			h('dt', t('epi.unit')), h('dd', p.unit_name),
			h('dt', t('epi.opened_day')), h('dd', p.opened_day),
			h('dt', t('epi.lifted_day')), h('dd', p.lifted_day ? t('epi.lifted_by', { day: p.lifted_day, name: p.lifted_by_name || '' }) : '—'),
			h('dt', t('epi.cases')), h('dd', (p.case_list || []).length
				? (p.case_list || []).map((c, i) => [i ? '、' : '', h('a', { href: `#/cases/${c.id}` }, `${c.person_name} (#${c.id}, ${c.report_day})`)])
				: '—')),
		liftCard(ctx, p, redraw),
		h('section.card.epi-steps',
			h('h2', t('epi.steps_title', { done, n: steps.length })),
			p.status !== 'open' ? null : p.next_step ? h('p.next-step', { dataset: { pos: p.next_step.pos } }, t('epi.next_step', { pos: p.next_step.pos, name: stepName(p.next_step) })) : h('p.ok-note', t('epi.all_done')),
			h('ol.step-list', steps.map((s) => h('li.step', { dataset: { pos: s.pos, done: s.done_at ? '1' : '0' }, class: p.next_step && p.next_step.pos === s.pos ? 'current' : null },
				h('span.step-mark', { 'aria-hidden': 'true' }, s.done_at ? '✔' : '○'), ' ',
				h('strong', stepName(s)),
				s.done_at
					? h('span.muted', ' ' + t('epi.done_by', { time: fmtTime(s.done_at), name: s.done_by_name || '' }) + (s.note ? ' · ' + s.note : ''))
					: write ? [' ', button(t('epi.mark_done'), {
						class: 'btn btn-small', 'data-act': 'step-done',
						onclick: async (e) => {
							e.target.disabled = true;
							try {
								redraw(await api('POST', `/api/v1/epidemic-points/${p.id}/steps/${s.pos}`, {}));
								toast(t('epi.step_saved', { name: stepName(s) }));
							} catch (err) {
								e.target.disabled = false;
								if (!err.handled) toast(errText(err), 'error');
							}
						},
					})] : null)))),
		groupsCard(ctx, p, write, redraw),
		rosterCard(ctx, p, write, redraw));
}

// What still blocks lifting, or the lifting (confirmed first).
function liftCard(ctx, p, redraw) {
	if (p.status !== 'open') return h('section.card.epi-lift', { dataset: { eligible: '0', lifted: '1' } }, h('h2', t('epi.lift')), h('p.ok-note', t('epi.lifted_on', { day: p.lifted_day })));
	const l = p.lift || { eligible: false, blockers: [] };
	const blockers = (l.blockers || []).map((b) => h('li', { dataset: { kind: b.kind } }, b.kind === 'quiet_days'
		? t('epi.blocker_quiet', { until: b.until, last: b.last_case_day })
		: t('epi.blocker_observation', { name: b.person_name || '#' + b.person_id, end: b.observation_end_day, until: b.until })));
	const canLift = ctx.hasPerm('epipoints.write');
	const liftForm = canLift && l.eligible ? form([
		field(t('epi.lift_day'), input('day', { type: 'date', value: districtDay(), max: districtDay() })),
		h('button.btn.btn-danger', { type: 'submit', 'data-act': 'lift' }, t('epi.lift_now')),
	], async (fm) => {
		const v = values(fm);
		if (!(await confirmDialog(t('epi.confirm_lift', { name: p.name, day: v.day }), { okLabel: t('epi.lift_now') }))) return;
		const np = await api('POST', `/api/v1/epidemic-points/${p.id}/lift`, { day: v.day }, { headers: { 'Idempotency-Key': `lift-${p.id}-${v.day}` } });
		toast(t('epi.lifted_toast', { name: p.name }));
		redraw(np);
	}, { class: 'form form-inline case-inline lift-form' }) : null;
	return h('section.card.epi-lift', { dataset: { eligible: l.eligible ? '1' : '0' } },
		h('h2', t('epi.lift')),
		l.eligible
			? h('p.ok-note', t('epi.eligible', { day: l.day }))
			: [h('p.alert.alert-warn', t('epi.blocked', { day: l.day, n: blockers.length })), h('ul.blockers', blockers)],
		h('p.hint', t('epi.lift_rule')),
		liftForm);
}

function groupsCard(ctx, p, write, redraw) {
	const members = p.member_list || [];
	const addForm = write ? form([
		h('div.case-grid',
			field(t('epi.work_group'), select('work_group', GROUPS.map((g) => [g, t('epi.group_' + g)]), 'incident')),
			field(t('epi.member_name'), input('name', { maxlength: 64 })),
			field(t('epi.phone'), input('phone', { maxlength: 20, inputmode: 'tel' })),
			field(t('epi.team'), select('team', TEAMS.map((x, i) => [String(i), t('epi.team_n', { t: x })]), '0'))),
		h('div.form-actions', h('button.btn', { type: 'submit' }, t('epi.add_member'))),
	], async (fm) => {
		const v = values(fm);
		const b = { work_group: v.work_group, name: v.name, team: Number(v.team) };
		if (v.phone) b.phone = v.phone;
		redraw(await api('POST', `/api/v1/epidemic-points/${p.id}/members`, b, { headers: { 'Idempotency-Key': `mem-${p.id}-${Date.now()}` } }));
		toast(t('common.saved'));
	}, { class: 'form member-form' }) : null;
	return h('section.card.epi-groups',
		h('h2', t('epi.groups')),
		h('div.case-grid', GROUPS.map((g) => {
			const ms = members.filter((m) => m.work_group === g);
			return h('div.epi-group', { dataset: { group: g } },
				h('h3', t('epi.group_' + g), h('span.muted', ` (${ms.length})`)),
				ms.length ? h('ul', ms.map((m) => h('li', m.name, ' ', h('span.tag.tag-plain', t('epi.team_n', { t: TEAMS[m.team] })), m.phone ? h('span.muted', ' ' + m.phone) : null))) : empty(t('epi.no_members')));
		})),
		addForm ? h('details.disclosure', h('summary', t('epi.add_member')), h('div.disclosure-body', addForm)) : null);
}

function rosterCard(ctx, p, write, redraw) {
	const shifts = p.roster || [];
	const layForm = write ? form([
		field(t('epi.roster_from'), input('from', { type: 'date', value: districtDay() })),
		field(t('epi.roster_days'), input('days', { type: 'number', min: 1, max: 60, value: 14 })),
		h('button.btn', { type: 'submit' }, t('epi.lay_roster')),
	], async (fm) => {
		const v = values(fm);
		redraw(await api('POST', `/api/v1/epidemic-points/${p.id}/roster`, { from: v.from, days: Number(v.days) }, { headers: { 'Idempotency-Key': `ros-${p.id}-${v.from}-${v.days}` } }));
		toast(t('common.saved'));
	}, { class: 'form form-inline case-inline roster-form' }) : null;
	return h('section.card.epi-roster',
		h('h2', t('epi.roster')),
		h('p.hint', t('epi.roster_hint')),
		shifts.length ? h('table.table.responsive.roster-table',
			h('thead', h('tr', h('th', t('epi.team')), h('th', t('epi.from')), h('th', t('epi.to')))),
			h('tbody', shifts.map((s) => h('tr',
				h('td', { 'data-label': t('epi.team') }, t('epi.team_n', { t: TEAMS[s.team] || s.team })),
				h('td', { 'data-label': t('epi.from') }, h('span.nowrap', fmtTime(s.starts_at))),
				h('td', { 'data-label': t('epi.to') }, h('span.nowrap', fmtTime(s.ends_at))))))) : empty(t('epi.no_roster')),
		layForm);
}

// ---------- the procedure ----------

async function procedure(ctx, body) {
	fill(body, loading());
	let res;
	try {
		res = await api('GET', '/api/v1/epidemic-points/procedure');
	} catch (err) {
		fill(body, errorBox(err));
		return;
	}
	const items = res.items || [];
	if (!ctx.hasPerm('settings.admin')) {
		fill(body, section(t('epi.tab_procedure'), h('p.hint', t('epi.procedure_intro')),
			items.length ? h('ol.step-list.procedure', items.map((s) => h('li', { dataset: { pos: s.pos } }, stepName(s)))) : empty()));
		return;
	}
	const rows = h('ol.procedure-edit');
	const addRow = (s) => {
		const li = h('li.procedure-row',
			h('div.case-grid',
				field(t('epi.step_zh'), input('name', { value: s ? s.name : '', maxlength: 100 })),
				field(t('epi.step_en'), input('name_en', { value: s ? s.name_en : '', maxlength: 200 }))),
			button(t('epi.remove'), { class: 'btn btn-small', 'data-act': 'remove-step', onclick: () => li.remove() }));
		rows.append(li);
	};
	items.forEach(addRow);
	const f = form([
		rows,
		h('div.form-actions',
			button(t('epi.add_step'), { 'data-act': 'add-step', onclick: () => addRow(null) }),
			h('button.btn.btn-primary', { type: 'submit' }, t('common.save'))),
	], async (fm) => {
		const steps = [...rows.children].map((li) => ({ name: li.querySelector('[name=name]').value.trim(), name_en: li.querySelector('[name=name_en]').value.trim() }));
		const bad = steps.findIndex((s) => !s.name || !s.name_en);
		if (!steps.length) return showError(fm, {}, t('epi.procedure_empty'));
		if (bad >= 0) return showError(fm, {}, t('epi.procedure_missing', { n: bad + 1 }));
		if (!(await confirmDialog(t('epi.confirm_procedure', { n: steps.length }), { okLabel: t('common.save'), danger: false }))) return;
		await api('PUT', '/api/v1/epidemic-points/procedure', { items: steps });
		toast(t('common.saved'));
		procedure(ctx, body);
	}, { class: 'form procedure-form' });
	fill(body, section(t('epi.tab_procedure'), h('p.hint', t('epi.procedure_intro')), h('p.hint', t('epi.procedure_admin')), f));
}
