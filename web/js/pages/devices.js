// 设备: device tokens for checkpoint and gate tablets. The list, the create
// form (the token is shown once, with a copy button and a warning) and
// revoking a token (confirmed).
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import {
	h, field, input, select, form, values, pagedTable, exportLink, disclosure,
	toast, confirmDialog, unitPicker, fmtTime, button, errText,
} from '../dom.js';

export const DEVICE_ROLES = ['officer', 'grid_worker', 'checkpoint_staff', 'medic', 'warehouse'];

export async function render(ctx) {
	const list = pagedTable({
		url: '/api/v1/devices',
		columns: [
			{ label: t('devices.name'), cell: (d) => h('strong', d.name) },
			{ label: t('users.role'), cell: (d) => t('roles.' + d.role) },
			{ label: t('users.scope'), cell: (d) => d.scope_unit_name || String(d.scope_unit_id ?? '') },
			{ label: t('devices.hint'), cell: (d) => h('span.mono', d.token_hint || '') },
			{ label: t('devices.created_at'), cell: (d) => fmtTime(d.created_at) },
			{ label: t('devices.last_used'), cell: (d) => (d.last_used_at ? fmtTime(d.last_used_at) : t('devices.never')) },
			{
				label: t('users.status'), class: 'actions',
				cell: (d) => (d.revoked_at
					? h('span.tag.tag-danger', t('devices.revoked_at', { at: fmtTime(d.revoked_at) }))
					: revokeButton(d, list)),
			},
		],
		rowAttrs: (d) => ({ class: d.revoked_at ? 'muted-row' : null, dataset: { name: d.name } }),
	});
	const tokenBox = h('div.token-slot');
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.devices')), h('div.page-actions', exportLink('/api/v1/devices'))),
		h('p.hint', t('devices.intro')),
		tokenBox,
		disclosure(t('devices.create'), createForm(ctx, list, tokenBox)),
		list.el);
}

function revokeButton(d, list) {
	return button(t('devices.revoke'), {
		class: 'btn btn-small btn-danger', 'data-act': 'revoke',
		onclick: async () => {
			if (!(await confirmDialog(t('devices.confirm_revoke', { name: d.name }), { okLabel: t('devices.revoke') }))) return;
			try {
				await api('POST', `/api/v1/devices/${d.id}/revoke`);
				toast(t('devices.revoked'));
				list.reload();
			} catch (err) {
				if (!err.handled) toast(errText(err), 'error');
			}
		},
	});
}

function createForm(ctx, list, tokenBox) {
	const scope = ctx.me.scope_unit;
	return form([
		h('div.grid2',
			field(t('devices.name'), input('name', { required: true, maxlength: 100 }), t('devices.name_hint')),
			field(t('users.role'), select('role', DEVICE_ROLES.map((r) => [r, t('roles.' + r)]), 'checkpoint_staff'))),
		field(t('users.scope'), unitPicker('scope_unit_id', scope && scope.id ? scope : null)),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('devices.create_submit'))),
	], async (f) => {
		const v = values(f);
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		if (!v.scope_unit_id) return showError(f, { field: 'scope_unit_id' }, t('picker.required'));
		const res = await api('POST', '/api/v1/devices', { name: v.name, role: v.role, scope_unit_id: Number(v.scope_unit_id) });
		f.elements.name.value = '';
		tokenBox.replaceChildren(tokenPanel(res));
		tokenBox.scrollIntoView({ block: 'nearest' });
		list.reload();
	});
}

// The token, shown this once.
function tokenPanel(d) {
	const box = h('textarea.token-value', { readonly: true, rows: 2, 'aria-label': t('devices.token'), spellcheck: 'false' });
	box.value = d.token || '';
	const copy = button(t('devices.copy'), {
		class: 'btn btn-primary',
		onclick: async () => {
			let ok = false;
			try {
				if (navigator.clipboard && window.isSecureContext) {
					await navigator.clipboard.writeText(box.value);
					ok = true;
				}
			} catch { /* fall back below */ }
			if (!ok) {
				box.focus();
				box.select();
				try { ok = document.execCommand('copy'); } catch { ok = false; }
			}
			toast(ok ? t('devices.copied') : t('devices.copy_manual'), ok ? 'ok' : 'error');
		},
	});
	return h('div.token-panel.alert.alert-warn', { role: 'alert' },
		h('h2', t('devices.token_title', { name: d.name || '' })),
		h('p', h('strong', t('devices.token_warning'))),
		box,
		h('div.form-actions', copy,
			button(t('devices.token_done'), { class: 'btn', onclick: (e) => e.target.closest('.token-panel').remove() })));
}
