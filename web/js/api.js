// The one fetch wrapper: JSON in and out, the session cookie, the CSRF token
// (kept in memory, from POST /api/v1/session or GET /api/v1/me) on every
// state-changing request, API errors as ApiError, and showing an error
// beside the form field it names. A 401 from anything but the session routes
// sends the user to the sign-in page.
import { t, getLang } from './i18n.js';

let csrf = null;
let onUnauthenticated = null;

export function setCsrf(token) {
	csrf = token || null;
}

// Called (once per 401) with no arguments; app.js sets it.
export function setUnauthenticatedHandler(fn) {
	onUnauthenticated = fn;
}

export class ApiError extends Error {
	constructor(status, code, field, message, retryAfter) {
		super(message || code || `HTTP ${status}`);
		this.name = 'ApiError';
		this.status = status;
		this.code = code || (status === 0 ? 'network' : 'internal');
		this.field = field || null;
		this.retryAfter = retryAfter;
	}
}

// api(method, path, body, opts) → the parsed JSON answer (null for 204).
// body: an object (sent as JSON) or a string/Blob with opts.contentType.
// opts.noAuthRedirect: do not leave the page on 401.
export async function api(method, path, body, opts = {}) {
	// The server words its errors in the language shown.
	const headers = { Accept: 'application/json', 'Accept-Language': getLang() };
	const init = { method, headers, credentials: 'same-origin' };
	if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
	if (body !== undefined && body !== null) {
		if (opts.contentType) {
			headers['Content-Type'] = opts.contentType;
			init.body = body;
		} else {
			headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
	}
	if (opts.headers) Object.assign(headers, opts.headers);
	let res;
	try {
		res = await fetch(path, init);
	} catch (e) {
		throw new ApiError(0, 'network', null, e && e.message);
	}
	if (res.status === 204) return null;
	const text = await res.text();
	let data = null;
	if (text) {
		try {
			data = JSON.parse(text);
		} catch {
			data = null;
		}
	}
	if (!res.ok) {
		const e = (data && data.error) || {};
		const ra = res.headers.get('Retry-After');
		const err = new ApiError(res.status, e.code || codeOf(res.status), e.field, e.message, ra != null ? Number(ra) : undefined);
		if (res.status === 401 && !opts.noAuthRedirect && !path.startsWith('/api/v1/session')) {
			csrf = null;
			if (onUnauthenticated) onUnauthenticated();
			err.handled = true;
		}
		throw err;
	}
	return data;
}

function codeOf(status) {
	return ({ 400: 'invalid', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
		409: 'conflict', 413: 'too_large', 422: 'rule', 429: 'throttled' })[status] || 'internal';
}

// The text shown for an API or network error.
export function errText(err) {
	if (!err) return '';
	if (!(err instanceof ApiError)) return t('errors.internal') + (err.message ? ': ' + err.message : '');
	if (err.status === 0) return t('errors.network');
	if (err.code === 'throttled' && err.retryAfter != null && !Number.isNaN(err.retryAfter)) return t('errors.throttled_n', { n: err.retryAfter });
	const base = t('errors.' + err.code);
	return err.message && err.message !== base ? `${base}: ${err.message}` : base;
}

// Removes errors shown by showError in this form.
export function clearErrors(form) {
	for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
	for (const el of form.querySelectorAll('.has-error')) el.classList.remove('has-error');
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	const box = form.querySelector('.form-error');
	if (box) {
		box.textContent = '';
		box.hidden = true;
	}
}

// Shows err beside the field it names (the element with name=field, in its
// .field wrapper), else in the form's .form-error box. text overrides the
// message. Returns the element the message went into.
export function showError(form, err, text) {
	const msg = text || errText(err);
	const name = err && err.field;
	const ctl = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
	const wrap = ctl && ctl.closest('.field');
	const slot = wrap && wrap.querySelector('.field-error');
	if (slot) {
		wrap.classList.add('has-error');
		slot.textContent = msg;
		if (ctl.type !== 'hidden') {
			ctl.setAttribute('aria-invalid', 'true');
			ctl.focus();
		}
		return slot;
	}
	let box = form.querySelector('.form-error');
	if (!box) {
		box = document.createElement('div');
		box.className = 'form-error alert alert-error';
		box.setAttribute('role', 'alert');
		form.prepend(box);
	}
	box.textContent = msg;
	box.hidden = false;
	return box;
}
