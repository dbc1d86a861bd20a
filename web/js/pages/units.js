// 单位: the unit hierarchy. A tree that starts at the user's scope unit and
// loads children lazily (GET /api/v1/units?parent=ID, "load more" with the
// cursor), a search (q=), a detail pane (GET /api/v1/units/ID) with the
// ancestors, the assignments (包抓) and the children; for units.write, forms
// to add a child, edit a unit and import units from CSV.
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import {
	h, loading, empty, errorBox, field, input, select, form, values, button, qs,
	pagedTable, exportLink, disclosure, toast,
} from '../dom.js';

export const CHILD_KINDS = {
	district: ['town', 'subdistrict'],
	town: ['village', 'community'],
	subdistrict: ['village', 'community'],
	village: ['compound'],
	community: ['compound'],
	compound: ['building'],
	building: [],
};

const PAGE = 50;

// Module state kept while the user stays on #/units...: the tree's DOM and
// which nodes are open, so opening a unit does not collapse the tree.
let view = null;
// Which nodes were open, kept across visits to other pages (per user).
let memory = { user: null, expanded: new Set() };

export async function render(ctx) {
	const scope = ctx.me.scope_unit;
	const treeBox = h('div.tree-box');
	const searchIn = h('input', {
		type: 'search', name: 'q', value: ctx.query.q || '', placeholder: t('units.search_placeholder'),
		'aria-label': t('units.search'), autocomplete: 'off',
	});
	const searchForm = h('form.search-bar', { role: 'search' },
		searchIn, h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')));
	const results = h('div.search-results', { hidden: true });
	const detail = h('section.units-detail-pane', { 'aria-live': 'polite' });
	const treePane = h('aside.units-tree-pane',
		searchForm,
		results,
		treeBox,
		h('div.tree-actions', exportLink('/api/v1/units', t('units.export_all'))),
		ctx.hasPerm('units.write') ? importBlock() : null);
	const layout = h('div.units-layout', treePane, detail);

	if (memory.user !== ctx.me.user.id) memory = { user: ctx.me.user.id, expanded: new Set() };
	view = { ctx, layout, treeBox, results, detail, searchIn, nodes: new Map(), expanded: memory.expanded, selected: null, q: null };

	searchForm.addEventListener('submit', (e) => {
		e.preventDefault();
		ctx.setQuery({ q: searchIn.value.trim() });
		view.ctx.query = { ...view.ctx.query, q: searchIn.value.trim() };
		applySearch(searchIn.value.trim());
	});
	searchIn.addEventListener('search', () => {
		if (!searchIn.value) {
			ctx.setQuery({});
			applySearch('');
		}
	});

	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.units')), h('div.page-actions')),
		layout);

	if (!scope || !scope.id) {
		treeBox.replaceChildren(empty(t('units.no_scope')));
	} else {
		const tree = h('ul.tree', { role: 'tree', 'aria-label': t('units.tree') });
		treeBox.replaceChildren(tree);
		view.expanded.add(String(scope.id));
		tree.append(treeNode({ ...scope, children: null }, 0));
	}
	applySearch(ctx.query.q || '');
	await showDetail(ctx.params[0]);
}

export async function update(ctx) {
	if (!view) return render(ctx);
	view.ctx = ctx;
	const q = ctx.query.q || '';
	if (q !== view.q) {
		view.searchIn.value = q;
		applySearch(q);
	}
	await showDetail(ctx.params[0]);
}

function applySearch(q) {
	view.q = q;
	if (!q) {
		view.results.hidden = true;
		view.results.replaceChildren();
		view.treeBox.hidden = false;
		return;
	}
	view.treeBox.hidden = true;
	view.results.hidden = false;
	const list = pagedTable({
		url: '/api/v1/units' + qs({ q }),
		limit: PAGE,
		columns: [
			{ label: t('units.name'), cell: (u) => unitLink(u) },
			{ label: t('units.kind'), cell: (u) => t('kinds.' + u.kind) },
			{ label: t('units.code'), cell: (u) => u.code },
		],
	});
	view.results.replaceChildren(
		h('div.results-head', h('strong', t('units.search_results', { q })),
			button(t('units.back_to_tree'), { class: 'btn btn-small', onclick: () => { view.searchIn.value = ''; view.ctx.setQuery({}); applySearch(''); } })),
		list.el,
		h('div.tree-actions', exportLink('/api/v1/units' + qs({ q }))));
}

function unitLink(u) {
	return h('a', { href: `#/units/${u.id}` }, u.name);
}

// One tree node; its children load when it is opened.
function treeNode(u, depth) {
	const id = String(u.id);
	const group = h('ul.tree-group', { role: 'group', hidden: true });
	const count = h('span.tree-count');
	const toggle = h('button', { type: 'button', class: 'tree-toggle', 'aria-label': t('units.expand') });
	const link = h('a.tree-link', { href: `#/units/${id}`, title: u.name }, h('span.tree-name', u.name));
	const row = h('div.tree-row', toggle, link, h('span.badge.badge-kind', t('kinds.' + u.kind)), count);
	const li = h('li.tree-node', { role: 'treeitem', dataset: { id, kind: u.kind } }, row, group);
	let loaded = false;
	let next = null;

	function setCount(n) {
		u.children = n;
		count.textContent = n ? t('units.children_n', { n }) : '';
		const leaf = n === 0;
		toggle.classList.toggle('leaf', leaf);
		toggle.disabled = leaf;
		toggle.tabIndex = leaf ? -1 : 0;
		if (leaf) li.removeAttribute('aria-expanded');
	}
	function setOpen(open) {
		group.hidden = !open;
		li.setAttribute('aria-expanded', open ? 'true' : 'false');
		toggle.setAttribute('aria-label', open ? t('units.collapse') : t('units.expand'));
		toggle.textContent = open ? '▾' : '▸';
		if (open) view.expanded.add(id); else view.expanded.delete(id);
	}
	async function loadPage(reset) {
		if (reset) { group.replaceChildren(); next = null; }
		const more = group.querySelector(':scope > li.tree-more');
		if (more) more.remove();
		const spin = h('li.tree-loading', loading());
		group.append(spin);
		try {
			const res = await api('GET', '/api/v1/units' + qs({ parent: id, limit: PAGE, after: next }));
			spin.remove();
			for (const c of res.items || []) group.append(treeNode(c, depth + 1));
			next = res.next || null;
			loaded = true;
			if (!group.children.length) group.append(h('li.tree-empty', t('common.empty')));
			if (next) {
				group.append(h('li.tree-more', button(t('common.load_more'), { class: 'btn btn-small btn-more', onclick: () => loadPage(false) })));
			}
			if (u.children == null && !next) setCount(group.querySelectorAll(':scope > li.tree-node').length);
		} catch (err) {
			spin.replaceWith(h('li', errorBox(err)));
		}
	}
	let pending = null;
	function ensureLoaded() {
		if (!loaded && !pending) pending = loadPage(true).finally(() => { pending = null; });
		return pending || Promise.resolve();
	}
	toggle.addEventListener('click', () => {
		const open = group.hidden;
		setOpen(open);
		if (open) ensureLoaded();
	});
	setCount(u.children);
	toggle.textContent = '▸';
	if (view.expanded.has(id) && u.children !== 0) {
		setOpen(true);
		ensureLoaded();
	}
	if (view.selected === id) row.classList.add('selected');
	view.nodes.set(id, {
		li, row, setCount,
		rename: (name) => { link.querySelector('.tree-name').textContent = name; },
		reload: () => { if (!group.hidden || loaded) { loaded = false; setOpen(true); ensureLoaded(); } },
		open: () => { if (u.children === 0) return Promise.resolve(); setOpen(true); return ensureLoaded(); },
	});
	return li;
}

function markSelected(id) {
	for (const el of view.layout.querySelectorAll('.tree-row.selected')) el.classList.remove('selected');
	const n = id && view.nodes.get(String(id));
	if (n && n.li.isConnected) n.row.classList.add('selected');
}

async function showDetail(id) {
	view.selected = id ? String(id) : null;
	markSelected(id);
	const pane = view.detail;
	view.layout.classList.toggle('show-detail', !!id);
	if (!id) {
		pane.replaceChildren(h('div.placeholder', t('units.pick_one')));
		return;
	}
	pane.replaceChildren(loading());
	let u;
	try {
		u = await api('GET', `/api/v1/units/${encodeURIComponent(id)}`);
	} catch (err) {
		if (view.selected !== String(id)) return;
		pane.replaceChildren(backLink(), err.status === 404 ? empty(t('units.not_found')) : errorBox(err));
		return;
	}
	if (view.selected !== String(id)) return;
	pane.replaceChildren(detailView(u));
	revealInTree(u);
}

// Opens the tree down to unit u (its ancestors below the scope unit) and marks it.
async function revealInTree(u) {
	for (const a of u.ancestors || []) {
		const n = view.nodes.get(String(a.id));
		if (!n || !n.li.isConnected) continue;
		await n.open();
		if (view.selected !== String(u.id)) return;
	}
	markSelected(u.id);
	const n = view.nodes.get(String(u.id));
	if (n && n.li.isConnected && !view.treeBox.hidden && window.innerWidth > 760) n.row.scrollIntoView({ block: 'nearest' });
}

function backLink() {
	return h('a.back-link', { href: '#/units' + (view.q ? '?' + new URLSearchParams({ q: view.q }) : '') }, '← ', t('units.back_to_tree'));
}

function detailView(u) {
	const canWrite = view.ctx.hasPerm('units.write');
	const crumbs = h('nav.breadcrumb', { 'aria-label': t('units.breadcrumb') },
		h('ol', (u.ancestors || []).map((a) => h('li', h('a', { href: `#/units/${a.id}` }, a.name))),
			h('li', { 'aria-current': 'page' }, u.name)));
	const facts = h('dl.facts',
		h('dt', t('units.kind')), h('dd', t('kinds.' + u.kind)),
		h('dt', t('units.code')), h('dd.mono', u.code),
		h('dt', t('units.name')), h('dd', u.name),
		h('dt', t('units.property_company')), h('dd', propertyCell(u, true)),
		h('dt', t('units.children')), h('dd', String(u.children ?? 0)));

	const blocks = [];
	if (canWrite) {
		blocks.push(disclosure(t('units.edit'), editForm(u)));
		if ((CHILD_KINDS[u.kind] || []).length) blocks.push(disclosure(t('units.add_child'), childForm(u)));
	}

	return h('div.unit-detail',
		backLink(),
		crumbs,
		h('div.detail-head', h('h2', u.name), h('span.badge.badge-kind', t('kinds.' + u.kind))),
		facts,
		blocks.length ? h('div.detail-forms', blocks) : null,
		h('section.card', h('h3', t('units.assignments')), assignmentsTable(u.assignments || [])),
		u.children ? h('section.card',
			h('div.section-head', h('h3', t('units.child_units')), exportLink('/api/v1/units' + qs({ parent: u.id }))),
			pagedTable({
				url: '/api/v1/units' + qs({ parent: u.id }),
				columns: [
					{ label: t('units.name'), cell: (c) => unitLink(c) },
					{ label: t('units.kind'), cell: (c) => t('kinds.' + c.kind) },
					{ label: t('units.code'), cell: (c) => h('span.mono', c.code) },
					{ label: t('units.children'), cell: (c) => String(c.children ?? '') },
					{ label: t('units.property_company'), cell: (c) => propertyCell(c, false) },
				],
			}).el) : null);
}

// The property company, 无物业 for a compound or building without one, and
// a dash for kinds that do not have property management.
function propertyCell(u, tag) {
	if (u.property_company) return u.property_company;
	if (u.kind === 'compound' || u.kind === 'building') return tag ? h('span.tag.tag-warn', t('units.no_property')) : t('units.no_property');
	return '—';
}

// An assignment in either shape the API uses: flat (leader_id, leader_name,
// leader_title, org_id, org_name, as GET /api/v1/assignments lists them) or
// nested (leader: {id, name, title}, org: {id, name}, as in a unit's detail).
export function normAssignment(a) {
	const l = a.leader || null;
	const o = a.org || null;
	return {
		...a,
		leader_id: a.leader_id ?? (l ? l.id : null),
		leader_name: a.leader_name ?? (l ? l.name : null),
		leader_title: a.leader_title ?? (l ? l.title : null),
		org_id: a.org_id ?? (o ? o.id : null),
		org_name: a.org_name ?? (o ? o.name : null),
	};
}

function assignmentsTable(list) {
	if (!list.length) return empty(t('units.no_assignments'));
	const rows = list.map(normAssignment).map((a) => {
		const isLeader = a.leader_id != null || a.leader_name != null;
		return h('tr', { class: a.inherited ? 'inherited' : null },
			h('td', { 'data-label': t('assign.type') }, isLeader ? t('assign.leader') : t('assign.org')),
			h('td', { 'data-label': t('assign.who') }, h('strong', isLeader ? a.leader_name : a.org_name)),
			h('td', { 'data-label': t('assign.title') }, isLeader ? (a.leader_title || '') : ''),
			h('td', { 'data-label': t('assign.unit') },
				a.inherited ? [h('span.tag.tag-inherited', t('assign.inherited')), ' '] : null,
				a.unit_id != null ? h('a', { href: `#/units/${a.unit_id}` }, a.unit_name || '') : (a.unit_name || '')),
			h('td', { 'data-label': t('assign.note') }, a.note || ''));
	});
	return h('table.table.responsive.assignments',
		h('thead', h('tr', ['assign.type', 'assign.who', 'assign.title', 'assign.unit', 'assign.note'].map((k) => h('th', t(k))))),
		h('tbody', rows));
}

function editForm(u) {
	return form([
		field(t('units.name'), input('name', { value: u.name, required: true, maxlength: 200 })),
		field(t('units.code'), input('code', { value: u.code, required: true, maxlength: 32, pattern: '[A-Za-z0-9-]+' }), t('units.code_hint')),
		field(t('units.property_company'), input('property_company', { value: u.property_company || '' }), t('units.property_hint')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))),
	], async (f) => {
		const v = values(f);
		const body = {};
		if (v.name !== u.name) body.name = v.name;
		if (v.code !== u.code) body.code = v.code;
		if ((v.property_company || null) !== (u.property_company || null)) body.property_company = v.property_company || null;
		if (!Object.keys(body).length) { toast(t('common.no_changes')); return; }
		if (body.name === '') return showError(f, { field: 'name' }, t('errors.required'));
		if (body.code === '') return showError(f, { field: 'code' }, t('errors.required'));
		const res = await api('PATCH', `/api/v1/units/${u.id}`, body);
		toast(t('common.saved'));
		const n = view.nodes.get(String(u.id));
		if (n && res && res.name) n.rename(res.name);
		await showDetail(String(u.id));
	});
}

function childForm(u) {
	const kinds = CHILD_KINDS[u.kind] || [];
	return form([
		field(t('units.kind'), select('kind', kinds.map((k) => [k, t('kinds.' + k)]))),
		field(t('units.name'), input('name', { required: true, maxlength: 200 })),
		field(t('units.code'), input('code', { required: true, maxlength: 32, pattern: '[A-Za-z0-9-]+' }), t('units.code_hint')),
		field(t('units.property_company'), input('property_company'), t('units.property_hint')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('units.create'))),
	], async (f) => {
		const v = values(f);
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		if (!v.code) return showError(f, { field: 'code' }, t('errors.required'));
		const body = { parent_id: u.id, kind: v.kind, code: v.code, name: v.name };
		if (v.property_company) body.property_company = v.property_company;
		const res = await api('POST', '/api/v1/units', body);
		toast(t('units.created', { name: res && res.name ? res.name : v.name }));
		const n = view.nodes.get(String(u.id));
		if (n) { n.setCount((u.children || 0) + 1); n.reload(); }
		await showDetail(String(u.id));
	});
}

function importBlock() {
	const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
	const out = h('div.import-result');
	const f = form([
		h('p.hint', t('units.import_help')),
		h('pre.code-sample', 'parent_code,kind,code,name,property_company'),
		field(t('units.import_file'), file),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('units.import_submit'))),
		out,
	], async (f) => {
		out.replaceChildren();
		const fl = file.files && file.files[0];
		if (!fl) return showError(f, { field: 'file' }, t('units.import_pick'));
		out.append(loading());
		let res;
		try {
			res = await api('POST', '/api/v1/imports/units', fl, { contentType: 'text/csv' });
		} catch (err) {
			out.replaceChildren();
			throw err;
		}
		out.replaceChildren(importResult(res));
		for (const n of view.nodes.values()) if (n.li.isConnected && view.expanded.has(n.li.dataset.id)) { n.reload(); break; }
	});
	return disclosure(t('units.import'), f);
}

function importResult(res) {
	const rejects = res.rejects || [];
	return h('div.import-summary',
		h('div.stats',
			stat(t('units.import_created'), res.created),
			stat(t('units.import_updated'), res.updated),
			stat(t('units.import_rejected'), res.rejected, res.rejected ? 'warn' : null)),
		rejects.length ? h('table.table.responsive.rejects',
			h('thead', h('tr', h('th', t('units.import_line')), h('th', t('units.import_reason')))),
			h('tbody', rejects.map((r) => h('tr',
				h('td', { 'data-label': t('units.import_line') }, String(r.line)),
				h('td', { 'data-label': t('units.import_reason') }, r.reason))))) : null);
}

function stat(label, n, kind) {
	return h('div.stat' + (kind ? '.stat-' + kind : ''), h('div.stat-n', String(n ?? 0)), h('div.stat-label', label));
}
