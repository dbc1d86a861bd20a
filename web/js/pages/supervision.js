// 督查: supervision. #/supervision opens on the day's figures (groups,
// inspections, open and overdue rectifications) and the findings whose
// rectification is overdue, which is what the command chases; the tabs list
// the inspection and support groups with their members (a new group, a new
// member), the inspections (one of a working group, a leader's assignment
// or a unit, with its findings) and every finding, rectified after asking.
// Lists export to xlsx.
import { api } from '../api.js';
import { t } from '../i18n.js';
import {
	h, field, input, select, form, values, qs, pagedTable, exportLink, toast, confirmDialog,
	button, tabLinks, pageHead, section, disclosure, districtDay, unitPicker, stat, errorBox, loading,
} from '../dom.js';

const TABS = ['findings', 'groups', 'inspections'];

export async function render(ctx) {
	const tab = TABS.includes(ctx.query.tab) ? ctx.query.tab : 'findings';
	const figures = h('div.stats.summary', loading());
	const body = h('div.tab-body');
	ctx.root.replaceChildren(pageHead(t('nav.supervision')), figures,
		tabLinks(TABS.map((k) => [k, k === 'findings' ? '#/supervision' : `#/supervision?tab=${k}`, t('sup.tab_' + k)]), tab), body);
	// The figures follow what is done on the tabs (a rectification, an inspection).
	const refresh = () => api('GET', '/api/v1/supervision?day=' + districtDay()).then((s) => figures.replaceChildren(
		stat(t('sup.inspection_groups'), s.inspection_groups), stat(t('sup.support_groups'), s.support_groups),
		stat(t('sup.inspections'), s.inspections), stat(t('sup.findings_open'), s.findings_open),
		stat(t('sup.findings_overdue'), s.findings_overdue, s.findings_overdue ? 'warn' : null),
		stat(t('sup.findings_rectified'), s.findings_rectified)),
	(err) => { if (!err.handled) figures.replaceChildren(errorBox(err)); });
	refresh();
	const tabs = { findings: findingsTab, groups: groupsTab, inspections: inspectionsTab };
	body.replaceChildren(tabs[tab]({ ...ctx, refresh }));
}

export function update(ctx) {
	return render(ctx);
}

// ---------- findings ----------

function findingsTab(ctx) {
	const canWrite = ctx.hasPerm('supervision.write');
	const SHOW = ['overdue', 'open', 'rectified', 'all'];
	let show = SHOW.includes(ctx.query.show) ? ctx.query.show : 'overdue';
	const url = () => '/api/v1/supervision/findings' + qs({
		status: show === 'open' || show === 'rectified' ? show : show === 'overdue' ? 'open' : '',
		overdue: show === 'overdue' ? 1 : '',
	});
	let list;
	const rectify = (f) => {
		const f2 = form([
			field(t('sup.resolution'), h('textarea', { name: 'resolution', rows: 2, required: true })),
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('sup.rectify'))),
		], async (fm) => {
			const v = values(fm);
			if (!(await confirmDialog(t('sup.rectify_q', { text: f.text }), { okLabel: t('sup.rectify'), danger: false }))) return;
			await api('POST', `/api/v1/supervision/findings/${f.id}/rectify`, { resolution: v.resolution });
			toast(t('sup.rectified_ok'));
			list.reload();
			ctx.refresh();
		}, { class: 'form form-inline rectify-form' });
		return f2;
	};
	list = pagedTable({
		url,
		emptyText: t(show === 'overdue' ? 'sup.no_overdue' : 'sup.no_findings'),
		rowAttrs: (f) => ({ class: f.overdue ? 'row-warn' : null, dataset: { finding: f.id } }),
		columns: [
			{ label: t('sup.finding'), cell: (f) => h('div', h('strong.break', f.text), h('div.muted', `${f.group_name} · ${f.inspection_day}`)) },
			{ label: t('sup.unit'), cell: (f) => f.unit_name || '' },
			{ label: t('sup.owner'), cell: (f) => f.owner },
			{ label: t('sup.deadline'), cell: (f) => h('span', { class: f.overdue ? 'badge badge-warn' : null }, f.deadline_day, f.overdue ? ' ' + t('sup.overdue') : '') },
			{ label: t('sup.status'), cell: (f) => h('span', h('span.tag', t('sup.status_' + f.status)), f.resolution ? h('div.muted', `${f.rectified_day || ''} ${f.resolution}`) : null) },
			{ label: '', cell: (f) => {
				if (!canWrite || f.status !== 'open') return '';
				const slot = h('div');
				slot.append(button(t('sup.rectify'), { class: 'btn btn-small', 'data-act': 'rectify', onclick: () => slot.replaceChildren(rectify(f)) }));
				return slot;
			} },
		],
	});
	const exp = exportLink(url());
	const pick = select('show', SHOW.map((s) => [s, t('sup.show_' + s)]), show);
	pick.addEventListener('change', () => {
		show = pick.value;
		ctx.setQuery({ show });
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	});
	return h('div',
		h('div.section-head', h('h2', t('sup.tab_findings')), exp),
		h('div.filters', field(t('sup.show'), pick)),
		list.el);
}

// ---------- groups ----------

function groupsTab(ctx) {
	const canWrite = ctx.hasPerm('supervision.write');
	const url = '/api/v1/supervision/groups';
	let list;
	const members = async (g, slot) => {
		slot.replaceChildren(loading());
		try {
			const full = await api('GET', `${url}/${g.id}`);
			const add = canWrite ? form([
				field(t('sup.member_name'), input('name', { required: true })),
				field(t('sup.member_title'), input('title')),
				h('label.check', h('input', { type: 'checkbox', name: 'is_lead' }), ' ', t('sup.is_lead')),
				h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-small' }, t('sup.add_member'))),
			], async (fm) => {
				const v = values(fm);
				const b = { name: v.name, is_lead: v.is_lead };
				if (v.title) b.title = v.title;
				await api('POST', `${url}/${g.id}/members`, b);
				toast(t('common.added'));
				members(g, slot);
			}, { class: 'form form-inline member-form' }) : null;
			slot.replaceChildren(full.member_list.length
				? h('ul.members', full.member_list.map((m) => h('li', m.name, m.title ? ` · ${m.title}` : '', m.is_lead ? h('span.tag', t('sup.lead')) : null)))
				: h('div.empty', t('sup.no_members')), add);
		} catch (err) {
			if (!err.handled) slot.replaceChildren(errorBox(err));
		}
	};
	list = pagedTable({
		url,
		emptyText: t('sup.no_groups'),
		columns: [
			{ label: t('sup.group'), cell: (g) => h('strong', g.name) },
			{ label: t('sup.kind'), cell: (g) => t('sup.kind_' + g.kind) },
			{ label: t('sup.since'), cell: (g) => g.since_day || '' },
			{ label: t('sup.lead'), cell: (g) => g.lead || '' },
			{ label: t('sup.members'), cell: (g) => {
				const slot = h('div');
				slot.append(button(t('sup.show_members', { n: g.members }), { class: 'btn btn-small', 'data-act': 'members', onclick: () => members(g, slot) }));
				return slot;
			} },
			{ label: t('sup.inspections'), cell: (g) => h('a', { href: `#/supervision?tab=inspections&group_id=${g.id}` }, String(g.inspections)) },
		],
	});
	const create = canWrite ? disclosure(t('sup.new_group'), form([
		field(t('sup.group'), input('name', { required: true })),
		field(t('sup.kind'), select('kind', [['inspection', t('sup.kind_inspection')], ['support', t('sup.kind_support')]])),
		field(t('sup.since'), input('since_day', { type: 'date', value: districtDay() })),
		field(t('sup.lead_name'), input('lead')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (fm) => {
		const v = values(fm);
		const b = { name: v.name, kind: v.kind };
		if (v.since_day) b.since_day = v.since_day;
		if (v.lead) b.members = [{ name: v.lead, is_lead: true }];
		await api('POST', url, b);
		toast(t('common.added'));
		fm.reset();
		list.reload();
	}, { class: 'form group-form' })) : null;
	return h('div', create, h('div.section-head', h('h2', t('sup.tab_groups')), exportLink(url)), list.el);
}

// ---------- inspections ----------

function inspectionsTab(ctx) {
	const canWrite = ctx.hasPerm('supervision.write');
	const groupId = /^\d+$/.test(ctx.query.group_id || '') ? ctx.query.group_id : '';
	let day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.day || '') ? ctx.query.day : '';
	const url = () => '/api/v1/supervision/inspections' + qs({ group_id: groupId, day, order: 'desc' });
	const target = (i) => (i.target === 'group' ? `${t('sup.target_group')} ${i.target_group_name || ''}`
		: i.target === 'assignment' ? `${t('sup.target_assignment')} ${i.assignee || ''}` : `${t('sup.target_unit')} ${i.unit_name || ''}`);
	const list = pagedTable({
		url,
		emptyText: t('sup.no_inspections'),
		columns: [
			{ label: t('sup.day'), cell: (i) => i.day },
			{ label: t('sup.group'), cell: (i) => i.group_name },
			{ label: t('sup.target'), cell: (i) => target(i) },
			{ label: t('sup.summary'), cell: (i) => h('span.break', i.summary || '') },
			{ label: t('sup.findings'), cell: (i) => `${i.findings} / ${t('sup.open_n', { n: i.findings_open })}` },
		],
	});
	const exp = exportLink(url());
	const dayIn = input('day', { type: 'date', value: day });
	dayIn.addEventListener('change', () => {
		day = dayIn.value;
		ctx.setQuery({ tab: 'inspections', group_id: groupId, day });
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	});
	const parts = [h('div.section-head', h('h2', t('sup.tab_inspections')), exp),
		h('div.filters', field(t('sup.day'), dayIn)),
		groupId ? h('p.hint', h('a', { href: '#/supervision?tab=inspections' }, t('sup.all_groups'))) : null, list.el];
	if (canWrite) parts.unshift(inspectionForm(() => { list.reload(); ctx.refresh(); }));
	return h('div', parts);
}

function findingRow() {
	return h('fieldset.finding-row',
		field(t('sup.finding'), h('textarea', { name: 'f_text', rows: 2 })),
		field(t('sup.owner'), input('f_owner')),
		field(t('sup.deadline'), input('f_deadline', { type: 'date' })));
}

function inspectionForm(done) {
	const box = h('div', loading());
	Promise.all([
		api('GET', '/api/v1/supervision/groups?limit=200').then((x) => x.items || []),
		api('GET', '/api/v1/groups?limit=200').then((x) => x.items || []).catch(() => []),
		api('GET', '/api/v1/assignments?limit=200').then((x) => x.items || []).catch(() => []),
	]).then(([groups, wgroups, assigns]) => {
		if (!groups.length) {
			box.replaceChildren(h('p.hint', t('sup.need_group')));
			return;
		}
		const kindSel = select('target', [['group', t('sup.target_group')], ['assignment', t('sup.target_assignment')], ['unit', t('sup.target_unit')]]);
		const wg = field(t('sup.target_group'), select('target_group_id', wgroups.map((g) => [g.id, g.name])));
		const as = field(t('sup.target_assignment'), select('target_assignment_id', assigns.map((a) => [a.id, `${a.leader_name || a.org_name || ''} · ${a.unit_name}`])));
		const un = field(t('sup.target_unit'), unitPicker('unit_id'));
		const showTarget = () => {
			wg.hidden = kindSel.value !== 'group';
			as.hidden = kindSel.value !== 'assignment';
			un.hidden = kindSel.value !== 'unit';
		};
		kindSel.addEventListener('change', showTarget);
		showTarget();
		const rows = h('div.finding-rows', findingRow());
		box.replaceChildren(disclosure(t('sup.new_inspection'), form([
			field(t('sup.group'), select('group_id', groups.map((g) => [g.id, g.name]))),
			field(t('sup.day'), input('day', { type: 'date', value: districtDay(), max: districtDay() })),
			field(t('sup.target'), kindSel), wg, as, un,
			field(t('sup.summary'), h('textarea', { name: 'summary', rows: 3 })),
			h('h3', t('sup.findings')), rows,
			button(t('sup.another_finding'), { onclick: () => rows.append(findingRow()) }),
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('sup.record'))),
		], async (fm) => {
			const v = values(fm);
			const b = { group_id: Number(v.group_id), day: v.day, target: v.target };
			if (v.target === 'group') b.target_group_id = Number(v.target_group_id) || 0;
			if (v.target === 'assignment') b.target_assignment_id = Number(v.target_assignment_id) || 0;
			if (v.target === 'unit') b.unit_id = Number(v.unit_id) || 0;
			if (v.summary) b.summary = v.summary;
			b.findings = [...rows.querySelectorAll('.finding-row')].map((r) => ({
				text: r.querySelector('[name=f_text]').value.trim(),
				owner: r.querySelector('[name=f_owner]').value.trim(),
				deadline_day: r.querySelector('[name=f_deadline]').value,
			})).filter((f) => f.text || f.owner || f.deadline_day);
			await api('POST', '/api/v1/supervision/inspections', b);
			toast(t('sup.recorded'));
			fm.reset();
			fm.elements.day.value = districtDay();
			rows.replaceChildren(findingRow());
			showTarget();
			done();
		}, { class: 'form inspection-form' })));
	}, (err) => { if (!err.handled) box.replaceChildren(errorBox(err)); });
	return box;
}
