// 用户: the admin's user list (search, role filter, paging, xlsx export),
// the create form, and a user's edit page (#/users/ID): name, role, scope,
// disable (confirmed) and password reset.
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import {
	h, loading, errorBox, field, input, select, form, values, qs, pagedTable,
	exportLink, disclosure, toast, confirmDialog, unitPicker, fmtTime, button, errText,
} from '../dom.js';

export const ROLES = ['admin', 'commander', 'group_lead', 'officer', 'grid_worker', 'checkpoint_staff', 'medic', 'warehouse', 'inspector', 'enterprise'];

export async function render(ctx) {
	if (ctx.params[0]) return renderEdit(ctx, ctx.params[0]);
	const q = ctx.query.q || '';
	const role = ctx.query.role || '';
	const filters = { q, role };
	const listUrl = () => '/api/v1/users' + qs(filters);
	const list = pagedTable({
		url: listUrl,
		columns: [
			{ label: t('users.username'), cell: (u) => h('a.mono', { href: `#/users/${u.id}` }, u.username) },
			{ label: t('users.name'), cell: (u) => u.name },
			{ label: t('users.role'), cell: (u) => t('roles.' + u.role) },
			{ label: t('users.scope'), cell: (u) => u.scope_unit_name || String(u.scope_unit_id ?? '') },
			{ label: t('users.status'), cell: (u) => (u.disabled ? h('span.tag.tag-danger', t('users.disabled')) : h('span.tag.tag-ok', t('users.active'))) },
			{ label: t('users.created_at'), cell: (u) => fmtTime(u.created_at) },
			{ label: t('common.actions'), class: 'actions', cell: (u) => h('a.btn.btn-small', { href: `#/users/${u.id}` }, t('common.edit')) },
		],
		rowAttrs: (u) => ({ class: u.disabled ? 'muted-row' : null, dataset: { username: u.username } }),
	});
	const exp = exportLink(listUrl());
	const search = h('form.search-bar.filters', { role: 'search' },
		h('input', { type: 'search', name: 'q', value: q, placeholder: t('users.search'), 'aria-label': t('users.search') }),
		select('role', [['', t('users.all_roles')], ...ROLES.map((r) => [r, t('roles.' + r)])], role, { 'aria-label': t('users.role') }),
		h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')));
	search.addEventListener('submit', (e) => {
		e.preventDefault();
		filters.q = search.elements.q.value.trim();
		filters.role = search.elements.role.value;
		ctx.setQuery(filters);
		exp.href = listUrl() + (listUrl().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	});
	search.elements.role.addEventListener('change', () => search.requestSubmit());

	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.users')), h('div.page-actions', exp)),
		disclosure(t('users.create'), createForm(ctx, list)),
		search,
		list.el);
}

function roleSelect(value) {
	return select('role', ROLES.map((r) => [r, t('roles.' + r)]), value);
}

function createForm(ctx, list) {
	const scope = ctx.me.scope_unit;
	return form([
		h('div.grid2',
			field(t('users.username'), input('username', { required: true, autocapitalize: 'none', spellcheck: 'false', maxlength: 32 }), t('users.username_hint')),
			field(t('users.name'), input('name', { required: true })),
			field(t('users.role'), roleSelect('officer')),
			field(t('users.password'), input('password', { type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 128 }), t('users.password_hint'))),
		field(t('users.scope'), unitPicker('scope_unit_id', scope && scope.id ? scope : null)),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('users.create_submit'))),
	], async (f) => {
		const v = values(f);
		if (!/^[a-z0-9_.-]{3,32}$/.test(v.username)) return showError(f, { field: 'username' }, t('users.username_hint'));
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		const pw = f.elements.password.value;
		if (pw.length < 8 || pw.length > 128) return showError(f, { field: 'password' }, t('users.password_hint'));
		if (!v.scope_unit_id) return showError(f, { field: 'scope_unit_id' }, t('picker.required'));
		const res = await api('POST', '/api/v1/users', {
			username: v.username, name: v.name, role: v.role, scope_unit_id: Number(v.scope_unit_id), password: pw,
		});
		toast(t('users.created', { username: (res && res.username) || v.username }));
		f.elements.username.value = '';
		f.elements.name.value = '';
		f.elements.password.value = '';
		list.reload();
	}, { class: 'form', 'aria-label': t('users.create') });
}

async function renderEdit(ctx, id) {
	ctx.root.replaceChildren(loading());
	let u;
	try {
		u = await api('GET', `/api/v1/users/${encodeURIComponent(id)}`);
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(h('a.back-link', { href: '#/users' }, '← ', t('users.back')), errorBox(err));
		return;
	}
	if (u && u.user) u = u.user;
	const scope = { id: u.scope_unit_id, name: u.scope_unit_name || String(u.scope_unit_id) };
	const edit = form([
		h('div.grid2',
			field(t('users.username'), input('username_ro', { value: u.username, readonly: true, class: 'mono' })),
			field(t('users.name'), input('name', { value: u.name, required: true })),
			field(t('users.role'), roleSelect(u.role))),
		field(t('users.scope'), unitPicker('scope_unit_id', scope)),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))),
	], async (f) => {
		const v = values(f);
		const body = {};
		if (v.name !== u.name) body.name = v.name;
		if (v.role !== u.role) body.role = v.role;
		if (v.scope_unit_id && Number(v.scope_unit_id) !== Number(u.scope_unit_id)) body.scope_unit_id = Number(v.scope_unit_id);
		if (!Object.keys(body).length) { toast(t('common.no_changes')); return; }
		if (body.name === '') return showError(f, { field: 'name' }, t('errors.required'));
		await api('PATCH', `/api/v1/users/${u.id}`, body);
		toast(t('common.saved'));
		render(ctx);
	});

	const pw = form([
		field(t('users.new_password'), input('password', { type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 128 }), t('users.password_hint')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('users.reset_password'))),
	], async (f) => {
		const p = f.elements.password.value;
		if (p.length < 8 || p.length > 128) return showError(f, { field: 'password' }, t('users.password_hint'));
		if (!(await confirmDialog(t('users.confirm_reset', { username: u.username }), { danger: false }))) return;
		await api('PATCH', `/api/v1/users/${u.id}`, { password: p });
		f.reset();
		toast(t('users.password_reset_done'));
	});

	const toggleDisabled = button(u.disabled ? t('users.enable') : t('users.disable'), {
		class: u.disabled ? 'btn btn-primary' : 'btn btn-danger',
		onclick: async () => {
			const disabling = !u.disabled;
			if (disabling && !(await confirmDialog(t('users.confirm_disable', { username: u.username }), { okLabel: t('users.disable') }))) return;
			try {
				await api('PATCH', `/api/v1/users/${u.id}`, { disabled: disabling });
				toast(disabling ? t('users.disabled_done') : t('users.enabled_done'));
				render(ctx);
			} catch (err) {
				if (!err.handled) toast(errText(err), 'error');
			}
		},
	});

	ctx.root.replaceChildren(
		h('a.back-link', { href: '#/users' }, '← ', t('users.back')),
		h('div.page-head', h('h1', u.name, ' ', h('span.muted.mono', u.username)),
			h('div.page-actions', u.disabled ? h('span.tag.tag-danger', t('users.disabled')) : h('span.tag.tag-ok', t('users.active')))),
		h('section.card', h('h2', t('users.edit')), edit),
		h('section.card', h('h2', t('users.reset_password')), pw),
		h('section.card', h('h2', t('users.access')), h('p.hint', u.disabled ? t('users.enable_hint') : t('users.disable_hint')), toggleDisabled));
}
