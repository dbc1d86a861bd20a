// 指挥体系: the command structure. Summary counts (GET /api/v1/command),
// working groups, leaders (phones masked), responsible units (orgs) and
// assignments (包抓) in tabs; for command.write, forms to add each and to
// assign a leader or an org to a unit, and deleting an assignment.
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import {
	h, loading, errorBox, field, input, select, form, values, qs, pagedTable,
	exportLink, disclosure, toast, confirmDialog, unitPicker, errText,
} from '../dom.js';

const TABS = ['groups', 'leaders', 'orgs', 'assignments'];

export async function render(ctx) {
	const summary = h('div.stats.summary', loading());
	const tabBar = h('div.tabs', { role: 'tablist' });
	const body = h('div.tab-body');
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.command'))),
		summary,
		tabBar,
		body);
	loadSummary(summary);
	const tab = TABS.includes(ctx.query.tab) ? ctx.query.tab : 'groups';
	for (const k of TABS) {
		tabBar.append(h('button', {
			type: 'button', role: 'tab', class: 'tab' + (k === tab ? ' active' : ''),
			'aria-selected': k === tab ? 'true' : 'false', dataset: { tab: k },
			onclick: () => showTab(ctx, tabBar, body, k, summary),
		}, t('command.tab_' + k)));
	}
	showTab(ctx, tabBar, body, tab, summary);
}

async function loadSummary(box) {
	try {
		const c = await api('GET', '/api/v1/command');
		const keys = ['groups', 'leaders', 'orgs', 'leaders_assigned', 'orgs_assigned', 'units_with_assignments'];
		box.replaceChildren(...keys.map((k) => h('div.stat', h('div.stat-n', String(c[k] ?? 0)), h('div.stat-label', t('command.count_' + k)))));
	} catch (err) {
		if (!err.handled) box.replaceChildren(errorBox(err));
	}
}

function showTab(ctx, bar, body, tab, summary) {
	for (const b of bar.children) {
		const on = b.dataset.tab === tab;
		b.classList.toggle('active', on);
		b.setAttribute('aria-selected', on ? 'true' : 'false');
	}
	const q = tab === 'groups' ? {} : { tab };
	ctx.setQuery(q);
	const canWrite = ctx.hasPerm('command.write');
	const refresh = () => loadSummary(summary);
	body.replaceChildren(({ groups: groupsTab, leaders: leadersTab, orgs: orgsTab, assignments: assignmentsTab })[tab](canWrite, refresh));
}

// All items of a list (up to a few pages), for select boxes.
async function all(url) {
	const out = [];
	let after = null;
	for (let i = 0; i < 10; i++) {
		const res = await api('GET', url + qs({ limit: 500, after }));
		out.push(...(res.items || []));
		after = res.next;
		if (!after) break;
	}
	return out;
}

// A select filled from a list once it loads. blank: the label of the empty choice.
function asyncSelect(name, url, label, blank) {
	const s = select(name, [['', blank]]);
	s.disabled = true;
	all(url).then((items) => {
		for (const it of items) s.append(h('option', { value: it.id }, label(it)));
		s.disabled = false;
	}, (err) => {
		s.replaceChildren(h('option', { value: '' }, errText(err)));
	});
	return s;
}

function intOrNull(v) {
	return v === '' || v == null ? null : Number(v);
}

function groupsTab(canWrite, refresh) {
	const list = pagedTable({
		url: '/api/v1/groups',
		columns: [
			{ label: t('command.code'), cell: (g) => h('span.mono', g.code) },
			{ label: t('command.group_name'), cell: (g) => h('strong', g.name) },
			{ label: t('command.group_leader'), cell: (g) => g.leader_name || '' },
			{ label: t('command.members'), cell: (g) => String(g.members ?? 0) },
			{ label: t('command.duties'), cell: (g) => g.duties || '' },
		],
	});
	const add = canWrite ? disclosure(t('command.add_group'), form([
		field(t('command.code'), input('code', { required: true, maxlength: 32 })),
		field(t('command.group_name'), input('name', { required: true })),
		field(t('command.duties'), h('textarea', { name: 'duties', rows: 3 })),
		field(t('command.group_leader'), asyncSelect('leader_id', '/api/v1/leaders', (l) => `${l.name} · ${l.title || ''}`, t('common.none'))),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (f) => {
		const v = values(f);
		if (!v.code) return showError(f, { field: 'code' }, t('errors.required'));
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		const body = { code: v.code, name: v.name };
		if (v.duties) body.duties = v.duties;
		if (v.leader_id) body.leader_id = intOrNull(v.leader_id);
		await api('POST', '/api/v1/groups', body);
		toast(t('common.added'));
		f.reset();
		list.reload();
		refresh();
	})) : null;
	return h('div', h('div.section-head', h('h2', t('command.tab_groups')), exportLink('/api/v1/groups')), add, list.el);
}

function leadersTab(canWrite, refresh) {
	let q = '';
	const list = pagedTable({
		url: () => '/api/v1/leaders' + qs({ q }),
		columns: [
			{ label: t('command.leader_name'), cell: (l) => h('strong', l.name) },
			{ label: t('command.title'), cell: (l) => l.title || '' },
			{ label: t('command.phone'), cell: (l) => h('span.mono', l.phone || '') },
			{ label: t('command.group'), cell: (l) => l.group_name || '' },
			{ label: t('command.assignments_n'), cell: (l) => String(l.assignments ?? 0) },
		],
	});
	const search = h('form.search-bar', { role: 'search', onsubmit: (e) => { e.preventDefault(); q = e.target.elements.q.value.trim(); list.reload(); } },
		h('input', { type: 'search', name: 'q', placeholder: t('command.search_leaders'), 'aria-label': t('command.search_leaders') }),
		h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')));
	const add = canWrite ? disclosure(t('command.add_leader'), form([
		field(t('command.leader_name'), input('name', { required: true })),
		field(t('command.title'), input('title', { required: true })),
		field(t('command.phone'), input('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'off' })),
		field(t('command.group'), asyncSelect('group_id', '/api/v1/groups', (g) => g.name, t('common.none'))),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (f) => {
		const v = values(f);
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		const body = { name: v.name, title: v.title };
		if (v.phone) body.phone = v.phone;
		if (v.group_id) body.group_id = intOrNull(v.group_id);
		await api('POST', '/api/v1/leaders', body);
		toast(t('common.added'));
		f.reset();
		list.reload();
		refresh();
	})) : null;
	return h('div', h('div.section-head', h('h2', t('command.tab_leaders')), exportLink('/api/v1/leaders')), search, add, list.el);
}

function orgsTab(canWrite, refresh) {
	const list = pagedTable({
		url: '/api/v1/orgs',
		columns: [
			{ label: t('command.org_name'), cell: (o) => h('strong', o.name) },
			{ label: t('command.assignments_n'), cell: (o) => String(o.assignments ?? 0) },
		],
	});
	const add = canWrite ? disclosure(t('command.add_org'), form([
		field(t('command.org_name'), input('name', { required: true })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (f) => {
		const v = values(f);
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		await api('POST', '/api/v1/orgs', { name: v.name });
		toast(t('common.added'));
		f.reset();
		list.reload();
		refresh();
	})) : null;
	return h('div', h('div.section-head', h('h2', t('command.tab_orgs')), exportLink('/api/v1/orgs')), add, list.el);
}

function assignmentsTab(canWrite, refresh) {
	let unitFilter = null;
	const columns = [
		{ label: t('assign.unit'), cell: (a) => h('a', { href: `#/units/${a.unit_id}` }, a.unit_name || String(a.unit_id)) },
		{ label: t('units.kind'), cell: (a) => (a.unit_kind ? t('kinds.' + a.unit_kind) : '') },
		{ label: t('assign.type'), cell: (a) => (a.leader_id != null ? t('assign.leader') : t('assign.org')) },
		{ label: t('assign.who'), cell: (a) => h('strong', a.leader_id != null ? a.leader_name : a.org_name) },
		{ label: t('assign.title'), cell: (a) => a.leader_title || '' },
		{ label: t('assign.note'), cell: (a) => a.note || '' },
	];
	if (canWrite) {
		columns.push({
			label: t('common.actions'), class: 'actions',
			cell: (a) => h('button', {
				type: 'button', class: 'btn btn-small btn-danger', 'data-act': 'delete',
				onclick: async (e) => {
					const who = a.leader_id != null ? a.leader_name : a.org_name;
					if (!(await confirmDialog(t('command.confirm_unassign', { who, unit: a.unit_name }), { okLabel: t('common.delete') }))) return;
					try {
						await api('DELETE', `/api/v1/assignments/${a.id}`);
						toast(t('common.deleted'));
						e.target.closest('tr').remove();
						refresh();
					} catch (err) {
						if (!err.handled) toast(errText(err), 'error');
					}
				},
			}, t('common.delete')),
		});
	}
	const list = pagedTable({ url: () => '/api/v1/assignments' + qs({ unit_id: unitFilter }), columns });
	const filter = h('div.filter-row',
		h('span.filter-label', t('command.filter_unit')),
		unitPicker('filter_unit', null, { onPick: (u) => { unitFilter = u.id; list.reload(); } }),
		h('button', { type: 'button', class: 'btn btn-small', onclick: (e) => { unitFilter = null; list.reload(); const p = e.target.closest('.filter-row').querySelector('.picker-chosen'); p.textContent = t('picker.none'); } }, t('common.clear')));

	let add = null;
	if (canWrite) {
		const leaderSel = asyncSelect('leader_id', '/api/v1/leaders', (l) => `${l.name} · ${l.title || ''}`, t('common.choose'));
		const orgSel = asyncSelect('org_id', '/api/v1/orgs', (o) => o.name, t('common.choose'));
		const leaderField = field(t('assign.leader'), leaderSel);
		const orgField = field(t('assign.org'), orgSel);
		orgField.hidden = true;
		const typeSel = select('type', [['leader', t('assign.leader')], ['org', t('assign.org')]], 'leader', {
			onchange: (e) => { const org = e.target.value === 'org'; orgField.hidden = !org; leaderField.hidden = org; },
		});
		add = disclosure(t('command.add_assignment'), form([
			field(t('assign.unit'), unitPicker('unit_id', null)),
			field(t('assign.type'), typeSel),
			leaderField,
			orgField,
			field(t('assign.note'), input('note')),
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('command.assign'))),
		], async (f) => {
			const v = values(f);
			if (!v.unit_id) return showError(f, { field: 'unit_id' }, t('picker.required'));
			const body = { unit_id: Number(v.unit_id) };
			if (v.type === 'org') {
				if (!v.org_id) return showError(f, { field: 'org_id' }, t('errors.required'));
				body.org_id = Number(v.org_id);
			} else {
				if (!v.leader_id) return showError(f, { field: 'leader_id' }, t('errors.required'));
				body.leader_id = Number(v.leader_id);
			}
			if (v.note) body.note = v.note;
			await api('POST', '/api/v1/assignments', body);
			toast(t('command.assigned'));
			list.reload();
			refresh();
		}));
	}
	return h('div', h('div.section-head', h('h2', t('command.tab_assignments')), exportLink('/api/v1/assignments')), add, filter, list.el);
}
