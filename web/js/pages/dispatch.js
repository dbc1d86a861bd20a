// 日调度: the evening dispatch meeting. #/dispatch lists the meetings (a new
// one for a day), #/dispatch/ID is one meeting: each working group's
// progress, its agenda of problems (raised that day or carried over while
// open, overdue ones marked) with owner and due day, raising and closing
// problems, and its one-page A4 record to print. #/dispatch?tab=problems
// lists every problem with the open and overdue filters. Lists export to
// xlsx; closing a problem asks first.
import { api } from '../api.js';
import { t } from '../i18n.js';
import {
	h, errorBox, field, input, select, form, values, qs, pagedTable, exportLink,
	toast, confirmDialog, button, tabLinks, pageHead, section, disclosure, districtDay, stat,
} from '../dom.js';

const TABS = ['meetings', 'problems'];
const textarea = (name, attrs = {}) => h('textarea', { name, rows: 3, ...attrs });

export async function render(ctx) {
	if (ctx.params[0]) return renderMeeting(ctx, Number(ctx.params[0]));
	const tab = TABS.includes(ctx.query.tab) ? ctx.query.tab : 'meetings';
	const body = h('div.tab-body');
	ctx.root.replaceChildren(pageHead(t('nav.dispatch')),
		tabLinks(TABS.map((k) => [k, k === 'meetings' ? '#/dispatch' : `#/dispatch?tab=${k}`, t('dispatch.tab_' + k)]), tab), body);
	body.replaceChildren(tab === 'problems' ? problemsTab(ctx) : meetingsTab(ctx));
}

export function update(ctx) {
	return render(ctx);
}

function meetingsTab(ctx) {
	// The latest evening's meeting first: it is the one being worked on.
	const url = '/api/v1/dispatch/meetings?order=desc';
	const list = pagedTable({
		url,
		emptyText: t('dispatch.no_meetings'),
		columns: [
			{ label: t('dispatch.day'), cell: (m) => h('a', { href: `#/dispatch/${m.id}` }, m.day) },
			{ label: t('dispatch.chair'), cell: (m) => m.chair || '' },
			{ label: t('dispatch.progress_reports'), cell: (m) => String(m.progress_reports) },
			{ label: t('dispatch.agenda'), cell: (m) => String(m.agenda) },
			{ label: t('dispatch.raised'), cell: (m) => String(m.problems_raised) },
			{ label: t('dispatch.closed'), cell: (m) => String(m.problems_closed) },
		],
	});
	const parts = [h('div.section-head', h('h2', t('dispatch.tab_meetings')), exportLink(url)), list.el];
	if (ctx.hasPerm('dispatch.write')) {
		parts.unshift(disclosure(t('dispatch.new_meeting'), form([
			field(t('dispatch.day'), input('day', { type: 'date', value: districtDay(), required: true })),
			field(t('dispatch.chair'), input('chair')),
			field(t('dispatch.notes'), textarea('notes')),
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('dispatch.open_meeting'))),
		], async (fm) => {
			const v = values(fm);
			const body = { day: v.day };
			if (v.chair) body.chair = v.chair;
			if (v.notes) body.notes = v.notes;
			const m = await api('POST', '/api/v1/dispatch/meetings', body);
			toast(t('common.added'));
			ctx.go(`#/dispatch/${m.id}`);
		}, { class: 'form meeting-form' })));
	}
	return h('div', parts);
}

// Closes a problem with its resolution, after asking.
async function closeProblem(p, done) {
	const res = h('textarea', { name: 'resolution', rows: 2, 'aria-label': t('dispatch.resolution'), placeholder: t('dispatch.resolution') });
	const box = form([
		field(t('dispatch.resolution'), res),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('dispatch.close'))),
	], async (fm) => {
		const v = values(fm);
		if (!(await confirmDialog(t('dispatch.close_q', { title: p.title }), { okLabel: t('dispatch.close'), danger: false }))) return;
		await api('POST', `/api/v1/dispatch/problems/${p.id}/close`, { resolution: v.resolution });
		toast(t('dispatch.closed_ok'));
		done();
	}, { class: 'form form-inline close-form' });
	return box;
}

function problemCells(canClose, reload) {
	return [
		{ label: t('dispatch.problem'), cell: (p) => h('div', h('strong', p.title), p.group_name ? h('div.muted', p.group_name) : null) },
		{ label: t('dispatch.raised_day'), cell: (p) => p.raised_day },
		{ label: t('dispatch.owner'), cell: (p) => p.owner || '' },
		{ label: t('dispatch.due_day'), cell: (p) => h('span', { class: p.overdue ? 'badge badge-warn' : null }, p.due_day, p.overdue ? ' ' + t('dispatch.overdue') : '') },
		{ label: t('dispatch.status'), cell: (p) => h('span', h('span.tag', t('dispatch.status_' + p.status)), p.carried_over ? h('span.tag', t('dispatch.carried_over')) : null, p.resolution ? h('div.muted', p.resolution) : null) },
		{ label: '', cell: (p) => {
			if (!canClose || p.status !== 'open') return '';
			const slot = h('div');
			slot.append(button(t('dispatch.close'), { class: 'btn btn-small', 'data-act': 'close', onclick: async () => slot.replaceChildren(await closeProblem(p, reload)) }));
			return slot;
		} },
	];
}

function problemsTab(ctx) {
	const STATUSES = ['open', 'closed', 'all'];
	let status = STATUSES.includes(ctx.query.status) ? ctx.query.status : 'open';
	let overdue = ctx.query.overdue === '1';
	const url = () => '/api/v1/dispatch/problems' + qs({ status: status === 'all' ? '' : status, overdue: overdue ? 1 : '' });
	let list;
	list = pagedTable({
		url,
		emptyText: t('dispatch.no_problems'),
		rowAttrs: (p) => ({ class: p.overdue ? 'row-warn' : null }),
		columns: problemCells(ctx.hasPerm('dispatch.write'), () => list.reload()),
	});
	const exp = exportLink(url());
	const pick = select('status', STATUSES.map((s) => [s, t('dispatch.status_' + s)]), status);
	const od = h('input', { type: 'checkbox', name: 'overdue', checked: overdue });
	const changed = () => {
		status = pick.value;
		overdue = od.checked;
		ctx.setQuery({ tab: 'problems', status, overdue: overdue ? 1 : '' });
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	};
	pick.addEventListener('change', changed);
	od.addEventListener('change', changed);
	return h('div',
		h('div.section-head', h('h2', t('dispatch.tab_problems')), exp),
		h('div.filters', field(t('dispatch.status'), pick), h('label.check', od, ' ', t('dispatch.overdue_only'))),
		list.el);
}

async function renderMeeting(ctx, id) {
	let m;
	let groups = [];
	let orgs = [];
	try {
		[m, groups, orgs] = await Promise.all([
			api('GET', `/api/v1/dispatch/meetings/${id}`),
			api('GET', '/api/v1/groups?limit=200').then((x) => x.items || []),
			api('GET', '/api/v1/orgs?limit=200').then((x) => x.items || []).catch(() => []),
		]);
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(pageHead(t('nav.dispatch')), errorBox(err));
		return;
	}
	const reload = () => renderMeeting(ctx, id);
	const canWrite = ctx.hasPerm('dispatch.write');
	const open = m.problems.filter((p) => p.status === 'open').length;
	const overdue = m.problems.filter((p) => p.overdue).length;
	const parts = [
		pageHead(t('dispatch.meeting_of', { day: m.day }),
			h('a.btn', { href: '#/dispatch' }, t('dispatch.all_meetings')),
			h('a.btn', { href: `/api/v1/dispatch/meetings/${id}/print`, target: '_blank', rel: 'noopener', 'data-act': 'print' }, t('dispatch.print'))),
		h('p.muted', [m.unit_name, m.chair ? t('dispatch.chaired_by', { name: m.chair }) : null].filter(Boolean).join(' · ')),
		m.notes ? h('p.notes', m.notes) : null,
		h('div.stats.summary', stat(t('dispatch.agenda'), m.problems.length), stat(t('dispatch.open'), open), stat(t('dispatch.overdue'), overdue, overdue ? 'warn' : null), stat(t('dispatch.progress_reports'), m.progress.length)),
	];
	// Progress by working group.
	const prog = m.progress.length
		? h('div.table-wrap', h('table.table.responsive',
			h('thead', h('tr', h('th', t('dispatch.group')), h('th', t('dispatch.progress')))),
			h('tbody', m.progress.map((p) => h('tr', h('td', { 'data-label': t('dispatch.group') }, h('strong', p.group_name)), h('td', { 'data-label': t('dispatch.progress') }, h('span.break', p.progress)))))))
		: h('div.empty', t('dispatch.no_progress'));
	const progForm = canWrite && groups.length ? disclosure(t('dispatch.add_progress'), form([
		field(t('dispatch.group'), select('group_id', groups.map((g) => [g.id, g.name]))),
		field(t('dispatch.progress'), textarea('progress', { required: true })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))),
	], async (fm) => {
		const v = values(fm);
		await api('POST', `/api/v1/dispatch/meetings/${id}/progress`, { group_id: Number(v.group_id), progress: v.progress });
		toast(t('common.saved'));
		reload();
	}, { class: 'form progress-form' })) : null;
	parts.push(section(t('dispatch.progress_by_group'), prog, progForm));
	// The agenda: problems raised that day or carried over.
	const rows = m.problems.length
		? h('div.table-wrap', h('table.table.responsive',
			h('thead', h('tr', problemCells(canWrite, reload).map((c) => h('th', c.label)))),
			h('tbody', m.problems.map((p) => h('tr', { class: p.overdue ? 'row-warn' : null, dataset: { problem: p.id } },
				problemCells(canWrite, reload).map((c) => h('td', { 'data-label': c.label }, c.cell(p))))))))
		: h('div.empty', t('dispatch.no_agenda'));
	const ownerOpts = [['me', t('dispatch.owner_me')], ...orgs.map((o) => ['org:' + o.id, o.name])];
	const raise = canWrite ? disclosure(t('dispatch.raise'), form([
		field(t('dispatch.problem'), textarea('title', { required: true, rows: 2 })),
		field(t('dispatch.group'), select('group_id', [['', t('common.none')], ...groups.map((g) => [g.id, g.name])])),
		field(t('dispatch.owner'), select('owner', ownerOpts)),
		field(t('dispatch.due_day'), input('due_day', { type: 'date', value: m.day, min: m.day, required: true })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('dispatch.raise'))),
	], async (fm) => {
		const v = values(fm);
		const body = { title: v.title, due_day: v.due_day };
		if (v.group_id) body.group_id = Number(v.group_id);
		if (v.owner === 'me') body.owner_user_id = ctx.me.user.id;
		else body.owner_org_id = Number(v.owner.slice(4));
		await api('POST', `/api/v1/dispatch/meetings/${id}/problems`, body);
		toast(t('common.added'));
		reload();
	}, { class: 'form problem-form' })) : null;
	parts.push(section(t('dispatch.agenda'), rows, raise));
	ctx.root.replaceChildren(...parts.filter(Boolean));
}
