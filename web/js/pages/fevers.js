// 发热人员: the fevers measured at gates and checkpoints in the caller's
// scope, open ones first by default — the medic's list of follow-ups. A
// fever stays red until a medic closes it on the person's card (re-measured
// normal at rest, or ruled out at the fever clinic). Status filter in the
// URL, paging, xlsx export, an empty state.
import { t } from '../i18n.js';
import { h, field, select, qs, pagedTable, exportLink, fmtTime } from '../dom.js';

const STATUSES = ['open', 'closed', 'all'];

export async function render(ctx) {
	let status = STATUSES.includes(ctx.query.status) ? ctx.query.status : 'open';
	const url = () => '/api/v1/fevers' + qs({ status: status === 'all' ? undefined : status });
	const list = pagedTable({
		url,
		emptyText: t(status === 'open' ? 'fevers.none_open' : 'fevers.none'),
		rowAttrs: (f) => ({ dataset: { id: f.id, status: f.status } }),
		columns: [
			{ label: t('fevers.at'), cell: (f) => h('span.nowrap', fmtTime(f.at)) },
			{ label: t('fevers.person'), cell: (f) => h('a', { href: `#/persons/${f.person_id}` }, f.person_name || '#' + f.person_id) },
			{ label: t('fevers.unit'), cell: (f) => f.unit_name || '' },
			{ label: t('fevers.temperature'), class: 'num', cell: (f) => h('span.tag.tag-danger', `${Number(f.temperature).toFixed(1)} °C`) },
			{ label: t('fevers.source'), cell: (f) => t('fevers.source_' + f.source) },
			{ label: t('fevers.status'), cell: (f) => (f.status === 'open'
				? h('a.btn.btn-small', { href: `#/persons/${f.person_id}` }, t('fevers.follow_up'))
				: h('span.tag.tag-ok', t('fevers.closed_by', { name: f.closed_by_name || '', outcome: f.outcome ? t('persons.outcome_' + f.outcome) : '' }))) },
		],
	});
	const exp = exportLink(url());
	const pick = select('status', STATUSES.map((s) => [s, t('fevers.status_' + s)]), status);
	pick.addEventListener('change', () => {
		status = pick.value;
		ctx.setQuery({ status });
		render(ctx);
	});
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.fevers')), h('div.page-actions', exp)),
		h('p.hint', t('fevers.intro')),
		h('div.filters', field(t('fevers.status'), pick)),
		list.el);
}
