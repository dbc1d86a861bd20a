// 账户: the signed-in user's own account: who they are, and changing the
// password (POST /api/v1/me/password; other sessions end).
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import { h, field, input, form, toast } from '../dom.js';

export async function render(ctx) {
	const u = ctx.me.user;
	const scope = ctx.me.scope_unit;
	const f = form([
		field(t('account.current'), input('current_password', { type: 'password', autocomplete: 'current-password' })),
		field(t('account.new'), input('new_password', { type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 128 }), t('users.password_hint')),
		field(t('account.repeat'), input('repeat_password', { type: 'password', autocomplete: 'new-password' })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('account.change'))),
	], async (f) => {
		const cur = f.elements.current_password.value;
		const nw = f.elements.new_password.value;
		if (!cur) return showError(f, { field: 'current_password' }, t('errors.required'));
		if (nw.length < 8 || nw.length > 128) return showError(f, { field: 'new_password' }, t('users.password_hint'));
		if (nw !== f.elements.repeat_password.value) return showError(f, { field: 'repeat_password' }, t('account.mismatch'));
		try {
			await api('POST', '/api/v1/me/password', { current_password: cur, new_password: nw });
		} catch (err) {
			if (err.field === 'current_password' && (err.status === 400 || err.status === 401 || err.status === 403 || err.status === 422)) {
				return showError(f, { field: 'current_password' }, t('account.wrong_current'));
			}
			throw err;
		}
		f.reset();
		toast(t('account.changed'));
	});
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.account'))),
		h('section.card',
			h('dl.facts',
				h('dt', t('users.username')), h('dd.mono', u.username || ''),
				h('dt', t('users.name')), h('dd', u.name || ''),
				h('dt', t('users.role')), h('dd', t('roles.' + u.role)),
				h('dt', t('users.scope')), h('dd', scope ? scope.name : String(u.scope_unit_id ?? '')))),
		h('section.card', h('h2', t('account.password')), f));
}
