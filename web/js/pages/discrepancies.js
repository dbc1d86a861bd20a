// 待核实: what field workers saw about persons of the caller's units and did
// not apply (a visit, checkpoint or gate met someone registered elsewhere, or
// a known document with another name or household). Each row says who saw
// what, where and when; an officer confirms it (applied to the person) or
// dismisses it. Status filter in the URL, paging, xlsx export.
import { api } from '../api.js';
import { hasPerm } from '../app.js';
import { t } from '../i18n.js';
import { h, field, select, qs, pagedTable, exportLink, fmtTime, button, toast, confirmDialog } from '../dom.js';
import { errText } from '../api.js';

const STATUSES = ['open', 'confirmed', 'dismissed', 'all'];

// What a field page says about a person its write met but did not change
// (the answer's held / discrepancies): a tag and a line in words, so the
// field worker knows it went to the person's unit to confirm (待核实)
// rather than into the registry. kind: out_of_scope, name, household, fever;
// registered: the registered name, when the worker may see it.
export function heldNote(kind, { registered } = {}) {
	const key = kind === 'name' && registered ? 'discrepancies.held_name_was' : `discrepancies.held_${kind}`;
	return h('p.held-note', { dataset: { kind } },
		h('span.tag.tag-warn', t('discrepancies.to_confirm_tag')), ' ', t(key, { name: registered || '' }));
}

export async function render(ctx) {
	let status = STATUSES.includes(ctx.query.status) ? ctx.query.status : 'open';
	const url = () => '/api/v1/discrepancies' + qs({ status });
	const canResolve = hasPerm('people.write');
	let list;
	const resolve = async (d, verb) => {
		if (!(await confirmDialog(t(`discrepancies.${verb}_q`), { okLabel: t(`discrepancies.${verb}`), danger: verb === 'dismiss' }))) return;
		try {
			await api('POST', `/api/v1/discrepancies/${d.id}/${verb}`, {});
			toast(t(`discrepancies.${verb}ed`));
			list.reload();
		} catch (err) {
			if (!err.handled) toast(errText(err), 'error');
		}
	};
	const seen = (d) => [d.seen_name, d.seen_phone, d.temperature != null ? `${d.temperature.toFixed(1)} °C${d.fever ? ' ' + t('discrepancies.fever') : ''}` : '',
		d.origin_code ? `${t('discrepancies.arrival')} ${d.origin_code} ${d.arrival_date || ''}` : ''].filter(Boolean).join(' · ');
	list = pagedTable({
		url,
		emptyText: t('discrepancies.none'),
		rowAttrs: (d) => ({ dataset: { id: d.id, kind: d.kind, status: d.status } }),
		columns: [
			{ label: t('discrepancies.at'), cell: (d) => h('span.nowrap', fmtTime(d.at)) },
			{ label: t('discrepancies.kind'), cell: (d) => h('span.tag' + (d.kind === 'fever' ? '.tag-danger' : ''), t('discrepancies.kind_' + d.kind)) },
			{ label: t('discrepancies.person'), cell: (d) => h('a', { href: `#/persons/${d.person_id}` }, `${d.person_name} ${d.doc_number}`) },
			{ label: t('discrepancies.seen'), cell: (d) => h('span.break', seen(d)) },
			{ label: t('discrepancies.where'), cell: (d) => [d.seen_unit_name, d.seen_household_address].filter(Boolean).join(' ') },
			{ label: t('discrepancies.by'), cell: (d) => `${t('discrepancies.source_' + d.source)} · ${d.seen_by_name || (d.device_id ? t('discrepancies.device') : '')}` },
			{ label: t('discrepancies.status'), cell: (d) => h('span.tag', t('discrepancies.status_' + d.status)) },
			{ label: '', cell: (d) => (canResolve && d.status === 'open'
				? h('div.row-actions',
					button(t('discrepancies.confirm'), { class: 'btn btn-primary btn-small', onclick: () => resolve(d, 'confirm') }),
					button(t('discrepancies.dismiss'), { class: 'btn btn-small', onclick: () => resolve(d, 'dismiss') }))
				: '') },
		],
	});
	const exp = exportLink(url());
	const pick = select('status', STATUSES.map((s) => [s, t('discrepancies.status_' + s)]), status);
	pick.addEventListener('change', () => {
		status = pick.value;
		ctx.setQuery({ status });
		exp.href = url() + '&format=xlsx';
		list.reload();
	});
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.discrepancies')), h('div.page-actions', exp)),
		h('p.hint', t('discrepancies.intro')),
		h('div.filters', field(t('discrepancies.status'), pick)),
		list.el);
}
