// 通行证: passes and gates of closed compounds (passes.write). #/passes
// issues a pass to a person (found by name or number; their colour as a
// gate would see it now), lists the passes of a compound, opens the
// printable card in a new tab, shows the QR code, and revokes a pass after
// a confirmation. #/passes/gates lists a compound's gates and adds one.
import { api, showError, errText } from '../api.js';
import { t } from '../i18n.js';
import {
	h, field, input, select, form, values, qs, pagedTable, exportLink, disclosure, toast,
	unitPicker, searchPicker, fmtTime, tabLinks, button,
} from '../dom.js';
import { clientId } from '../offline.js';
import { colourWhy } from './gate.js';

const STATUSES = ['active', 'expired', 'revoked'];
const STATUS_TONE = { active: 'ok', expired: 'plain', revoked: 'danger' };

// Children without the null and false of optional parts (replaceChildren
// would write them as text).
const kids = (...a) => a.flat().filter((x) => x != null && x !== false);

export async function render(ctx) {
	const tab = ctx.params[0] === 'gates' ? 'gates' : 'passes';
	const tabs = tabLinks([
		['passes', '#/passes', t('passes.tab_passes')],
		['gates', '#/passes/gates', t('passes.tab_gates')],
	], tab);
	const body = h('div.tab-body');
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.passes')),
			h('div.page-actions', ctx.hasPerm('gates.scan') ? h('a.btn', { href: '#/gate' }, t('nav.gate')) : null)),
		tabs,
		body);
	if (tab === 'gates') return gatesTab(ctx, body);
	return passesTab(ctx, body);
}

function statusTag(s) {
	return s ? h('span.tag.tag-' + (STATUS_TONE[s] || 'plain'), { dataset: { status: s } }, t('passes.status_' + s)) : '';
}

export function colourTag(c, reason) {
	return c ? h('span.colour-tag.colour-' + c, { dataset: { colour: c }, title: reason || null }, t('gate.colour_' + c)) : '';
}

function personLabel(p) {
	return h('span', h('strong', p.name || ''), ' ', h('span.mono.muted', p.doc_number || ''), p.unit_name ? h('span.muted', ' · ', p.unit_name) : null);
}

// The QR code of a pass in a dialog, with the card link.
function showQr(p) {
	const dlg = h('dialog.dialog.qr-dialog', { 'aria-modal': 'true', 'aria-label': t('passes.qr') },
		h('h2', p.person_name || ''),
		h('p.muted', p.unit_name || '', ' · ', t('passes.valid_until_x', { day: p.valid_until || '' })),
		h('img.qr-img', { src: `/api/v1/passes/${p.id}/qr.svg`, alt: t('passes.qr_alt', { name: p.person_name || '' }), width: 280, height: 280 }),
		h('div.dialog-actions',
			h('a.btn', { href: `/api/v1/passes/${p.id}/card`, target: '_blank', rel: 'noopener' }, t('passes.card')),
			button(t('offline.close'), { class: 'btn btn-primary', onclick: () => close() })));
	const close = () => { if (dlg.open) dlg.close(); dlg.remove(); };
	dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
	document.body.append(dlg);
	if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
}

// Asks to revoke, with an optional reason; resolves the reason ('' for
// none) or null when cancelled.
function revokeDialog(p) {
	return new Promise((resolve) => {
		const reason = h('input', { name: 'reason', type: 'text', maxlength: 200, placeholder: t('passes.revoke_reason_placeholder') });
		const dlg = h('dialog.dialog', { 'aria-modal': 'true' },
			h('p.dialog-msg', t('passes.revoke_q', { name: p.person_name || '', id: p.id })),
			h('div.field', h('label', t('passes.revoke_reason')), reason),
			h('div.dialog-actions',
				button(t('common.cancel'), { 'data-act': 'cancel', onclick: () => close(null) }),
				button(t('passes.revoke'), { class: 'btn btn-danger', 'data-act': 'ok', onclick: () => close(reason.value.trim()) })));
		function close(v) {
			if (dlg.open) dlg.close();
			dlg.remove();
			resolve(v);
		}
		dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
		reason.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); close(reason.value.trim()); } });
		document.body.append(dlg);
		if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
		reason.focus();
	});
}

function passesTab(ctx, body) {
	const q = ctx.query;
	const f = { unit_id: q.unit_id || '', status: q.status || '', person_id: q.person_id || '' };
	const url = () => '/api/v1/passes' + qs(f);
	const list = pagedTable({
		url,
		columns: [
			{ label: t('passes.number'), cell: (p) => h('span.mono', '#' + p.id) },
			{ label: t('passes.person'), cell: (p) => h('a', { href: `#/persons/${p.person_id}` }, p.person_name || '#' + p.person_id) },
			{ label: t('passes.compound'), cell: (p) => p.unit_name || '' },
			{ label: t('passes.issued_at'), cell: (p) => h('span.nowrap', fmtTime(p.issued_at)) },
			{ label: t('passes.valid_until'), cell: (p) => h('span.nowrap', p.valid_until || '') },
			{ label: t('passes.status'), cell: (p) => [statusTag(p.status), p.revoked_reason ? h('div.muted.small', p.revoked_reason) : null] },
			{
				label: t('common.actions'), class: 'actions',
				cell: (p) => h('span.row-actions',
					button(t('passes.qr'), { class: 'btn btn-small', 'data-act': 'qr', onclick: () => showQr(p) }),
					h('a.btn.btn-small', { href: `/api/v1/passes/${p.id}/card`, target: '_blank', rel: 'noopener', 'data-act': 'card' }, t('passes.card')),
					p.status === 'active' ? button(t('passes.revoke'), {
						class: 'btn btn-small btn-danger', 'data-act': 'revoke',
						onclick: async () => {
							const reason = await revokeDialog(p);
							if (reason == null) return;
							try {
								await api('POST', `/api/v1/passes/${p.id}/revoke`, reason ? { reason } : {}, { headers: { 'Idempotency-Key': clientId() } });
								toast(t('passes.revoked', { name: p.person_name || '' }));
								list.reload();
							} catch (err) {
								if (!err.handled) toast(errText(err), 'error');
							}
						},
					}) : null),
			},
		],
		emptyText: t('passes.none'),
		rowAttrs: (p) => ({ dataset: { id: p.id, status: p.status } }),
	});
	const expBox = h('span.export-box', exportLink(url()));
	const apply = () => {
		ctx.setQuery(f);
		expBox.replaceChildren(exportLink(url()));
		list.reload();
	};
	const unitFilter = unitPicker('unit_id_filter', null, { onPick: (u) => { f.unit_id = u.id; apply(); } });
	const statusSel = select('status', [['', t('passes.all_statuses')], ...STATUSES.map((s) => [s, t('passes.status_' + s)])], f.status, {
		onchange: (e) => { f.status = e.target.value; apply(); },
	});
	const clear = button(t('common.clear'), { class: 'btn', onclick: () => { f.unit_id = ''; f.status = ''; f.person_id = ''; statusSel.value = ''; ctx.setQuery(f); ctx.go('#/passes'); } });

	// Issuing a pass.
	const colourBox = h('div.colour-box');
	const issued = h('div.issued-box');
	const picker = searchPicker('person_id', {
		url: (qq) => '/api/v1/persons' + qs({ q: qq }),
		label: personLabel,
		placeholder: t('passes.person_placeholder'),
		none: t('passes.no_person'),
		onPick: async (p) => {
			colourBox.replaceChildren();
			try {
				const c = await api('GET', `/api/v1/persons/${p.id}/colour`);
				colourBox.replaceChildren(h('span.muted', t('passes.colour_now')), ' ', colourTag(c.colour, c.reason), ' ', h('span.muted', c.reason ? colourWhy(c.reason) : ''));
			} catch {
				/* the colour is a help */
			}
		},
	});
	const issue = disclosure(t('passes.issue'), form([
		h('div.issue-grid',
			h('div', field(t('passes.person'), picker, t('passes.person_hint')), colourBox),
			field(t('passes.days'), input('days', { type: 'number', min: 1, max: 365, inputmode: 'numeric', placeholder: '30' }), t('passes.days_hint'))),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary', 'data-act': 'issue' }, t('passes.issue_submit'))),
	], async (fm) => {
		const v = values(fm);
		if (!v.person_id) return showError(fm, { field: 'person_id' }, t('passes.pick_person'));
		const b = { person_id: Number(v.person_id) };
		if (v.days) {
			const d = Number(v.days);
			if (!Number.isInteger(d) || d < 1 || d > 365) return showError(fm, { field: 'days' }, t('passes.days_range'));
			b.days = d;
		}
		const p = await api('POST', '/api/v1/passes', b, { headers: { 'Idempotency-Key': clientId() } });
		toast(t('passes.issued', { name: p.person_name || '' }));
		issued.replaceChildren(h('section.card.issued-card', { dataset: { id: p.id } },
			h('div.issued-qr', h('img.qr-img', { src: `/api/v1/passes/${p.id}/qr.svg`, alt: t('passes.qr_alt', { name: p.person_name || '' }), width: 200, height: 200 })),
			h('div.issued-facts',
				h('h2', t('passes.issued_title')),
				h('p', h('strong', p.person_name || ''), ' · ', p.unit_name || ''),
				h('p', t('passes.valid_until_x', { day: p.valid_until || '' }), ' · ', h('span.mono', '#' + p.id)),
				h('div.form-actions',
					h('a.btn.btn-primary', { href: `/api/v1/passes/${p.id}/card`, target: '_blank', rel: 'noopener', 'data-act': 'card' }, t('passes.print_card')),
					button(t('passes.qr'), { class: 'btn', onclick: () => showQr(p) })))));
		picker.clear();
		colourBox.replaceChildren();
		fm.elements.days.value = '';
		list.reload();
	}, { 'aria-label': t('passes.issue') }), true);

	body.replaceChildren(...kids(
		issue,
		issued,
		h('div.filter-row.passes-filter', h('span.filter-label', t('passes.compound')), unitFilter, statusSel, clear, expBox),
		f.person_id ? h('p.hint', t('passes.filtered_person', { id: f.person_id })) : null,
		list.el));
}

function gatesTab(ctx, body) {
	const q = ctx.query;
	const f = { unit_id: q.unit_id || '' };
	const url = () => '/api/v1/gates' + qs(f);
	const list = pagedTable({
		url,
		columns: [
			{ label: t('gates.name'), cell: (g) => h('strong', g.name) },
			{ label: t('passes.compound'), cell: (g) => g.unit_name || '' },
			{ label: t('gates.created_at'), cell: (g) => h('span.nowrap', fmtTime(g.created_at)) },
			{
				label: t('common.actions'), class: 'actions',
				cell: (g) => h('span.row-actions',
					ctx.hasPerm('gates.scan') ? h('a.btn.btn-small.btn-primary', { href: `#/gate/${g.id}` }, t('gates.open')) : null,
					h('a.btn.btn-small', { href: '#/passes' + qs({ unit_id: g.unit_id }) }, t('gates.passes'))),
			},
		],
		emptyText: t('gates.none'),
		rowAttrs: (g) => ({ dataset: { id: g.id } }),
	});
	const expBox = h('span.export-box', exportLink(url()));
	const unitFilter = unitPicker('unit_id_filter', null, {
		onPick: (u) => { f.unit_id = u.id; ctx.setQuery(f); expBox.replaceChildren(exportLink(url())); list.reload(); },
	});
	const scope = ctx.me.scope_unit;
	const add = disclosure(t('gates.create'), form([
		field(t('passes.compound'), unitPicker('unit_id', scope && scope.kind === 'compound' ? scope : null), t('gates.compound_hint')),
		field(t('gates.name'), input('name', { required: true, maxlength: 64, placeholder: t('gates.name_placeholder') })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary', 'data-act': 'create-gate' }, t('common.add'))),
	], async (fm) => {
		const v = values(fm);
		if (!v.unit_id) return showError(fm, { field: 'unit_id' }, t('picker.required'));
		if (!v.name) return showError(fm, { field: 'name' }, t('errors.required'));
		const g = await api('POST', '/api/v1/gates', { unit_id: Number(v.unit_id), name: v.name }, { headers: { 'Idempotency-Key': clientId() } });
		toast(t('gates.created', { name: `${g.unit_name} ${g.name}` }));
		fm.elements.name.value = '';
		list.reload();
	}, { 'aria-label': t('gates.create') }));
	body.replaceChildren(
		h('p.hint', t('gates.intro')),
		add,
		h('div.filter-row.passes-filter', h('span.filter-label', t('passes.compound')), unitFilter, expBox),
		list.el);
}
