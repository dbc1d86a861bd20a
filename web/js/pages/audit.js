// 审计日志: the audit log, newest first, with filters kept in the URL
// (actor, action, record type, since/until days converted to Unix seconds),
// paging and xlsx export. Nothing here changes a row.
import { t, has } from '../i18n.js';
import { h, field, input, select, qs, pagedTable, exportLink, fmtTime, disclosure } from '../dom.js';

const ACTIONS = ['write', 'read', 'login'];

// 'YYYY-MM-DD' → Unix seconds at local midnight (end: the last second of the day).
export function dayToUnix(day, end) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
	if (!m) return null;
	const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0));
	return Math.floor(d.getTime() / 1000) - (end ? 1 : 0);
}

export async function render(ctx) {
	const f0 = {
		actor: ctx.query.actor || '', action: ctx.query.action || '', record_type: ctx.query.record_type || '',
		since: ctx.query.since || '', until: ctx.query.until || '',
	};
	const apiFilters = (f) => ({
		actor: f.actor, action: f.action, record_type: f.record_type,
		since: dayToUnix(f.since, false), until: dayToUnix(f.until, true),
	});
	let cur = f0;
	const url = () => '/api/v1/audit' + qs(apiFilters(cur));
	const list = pagedTable({
		url,
		columns: [
			{ label: t('audit.at'), cell: (a) => h('span.nowrap', fmtTime(a.at)) },
			{ label: t('audit.actor'), cell: (a) => a.actor || '' },
			{ label: t('audit.action'), cell: (a) => h('span.tag', has('audit.action_' + a.action) ? t('audit.action_' + a.action) : (a.action || '')) },
			{ label: t('audit.request'), cell: (a) => h('span.mono.break', `${a.method || ''} ${a.path || a.route || ''}`) },
			{ label: t('audit.status'), cell: (a) => h('span.tag' + (a.status >= 400 ? '.tag-danger' : '.tag-ok'), String(a.status ?? '')) },
			{ label: t('audit.record'), cell: (a) => (a.record_type ? `${a.record_type}${a.record_id != null ? ' #' + a.record_id : ''}` : '') },
			{ label: t('audit.detail'), cell: (a) => h('span.break', a.detail || '') },
			{ label: t('audit.ip'), cell: (a) => h('span.mono', a.ip || '') },
		],
	});
	const exp = exportLink(url());
	const filters = h('form.filters', { 'aria-label': t('audit.filters') },
		h('div.grid3',
			field(t('audit.actor'), input('actor', { value: f0.actor })),
			field(t('audit.action'), select('action', [['', t('audit.all_actions')], ...ACTIONS.map((a) => [a, t('audit.action_' + a)])], f0.action)),
			field(t('audit.record_type'), input('record_type', { value: f0.record_type })),
			field(t('audit.since'), input('since', { type: 'date', value: f0.since })),
			field(t('audit.until'), input('until', { type: 'date', value: f0.until }))),
		h('div.form-actions',
			h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.filter')),
			h('button', { type: 'reset', class: 'btn' }, t('common.clear'))));
	filters.addEventListener('submit', (e) => {
		e.preventDefault();
		const el = filters.elements;
		cur = { actor: el.actor.value.trim(), action: el.action.value, record_type: el.record_type.value.trim(), since: el.since.value, until: el.until.value };
		ctx.setQuery(cur);
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	});
	filters.addEventListener('reset', () => setTimeout(() => {
		for (const el of filters.elements) if (el.name) el.value = '';
		filters.requestSubmit();
	}));
	const anySet = Object.values(f0).some(Boolean);
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.audit')), h('div.page-actions', exp)),
		disclosure(t('audit.filters'), filters, anySet || window.innerWidth > 760),
		list.el);
}
