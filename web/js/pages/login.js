// Sign-in: username and password (POST /api/v1/session). A wrong password
// shows its message under the password field; 429 says how long to wait.
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import { h, field, input, form, values } from '../dom.js';
import { signedIn, langSwitch } from '../app.js';

export function render(ctx) {
	const user = input('username', { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
	const pass = input('password', { type: 'password', autocomplete: 'current-password', required: true });
	const f = form([
		field(t('login.username'), user),
		field(t('login.password'), pass),
		h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('login.submit')),
	], async (f) => {
		const v = values(f);
		if (!v.username) return showError(f, { field: 'username' }, t('errors.required'));
		if (!f.elements.password.value) return showError(f, { field: 'password' }, t('errors.required'));
		try {
			const res = await api('POST', '/api/v1/session', { username: v.username, password: f.elements.password.value });
			await signedIn(res);
		} catch (err) {
			if (err.status === 401) {
				showError(f, { field: 'password' }, t('login.wrong'));
			} else if (err.status === 429) {
				const n = err.retryAfter != null && !Number.isNaN(err.retryAfter) ? err.retryAfter : '?';
				showError(f, { field: null }, t('login.throttled', { n }));
			} else {
				throw err;
			}
		}
	}, { class: 'form login-form', 'aria-label': t('login.title') });

	ctx.root.replaceChildren(h('div.login-wrap',
		h('div.login-card.card',
			h('div.login-top', langSwitch()),
			h('div.login-brand', h('span.brand-mark.big', { 'aria-hidden': 'true' }, '科'),
				h('div', h('h1', t('app.name')), h('p.muted', t('login.subtitle')))),
			h('h2.login-title', t('login.title')),
			f),
		h('p.login-foot.muted', t('login.foot'))));
	user.focus();
}
