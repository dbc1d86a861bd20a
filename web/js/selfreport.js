// The isolated person's self-report page (/self-report.html#<token>): no
// account; the token in the URL's fragment (never sent in a URL, so never in
// a log) goes in the X-Self-Report-Token header of the page's one read and
// one write. Phone-first: one column, large targets. A forged, expired or
// revoked link gets a page that says so.
import { setLang, t, storedLang } from './i18n.js';
import { h } from './dom.js';

const SYMPTOMS = ['fever', 'cough', 'fatigue', 'shortness_of_breath', 'sore_throat', 'diarrhoea', 'loss_of_smell_taste', 'other'];
const SERVICES = ['health', 'psychological', 'shopping', 'meals'];
const token = decodeURIComponent(location.hash.replace(/^#/, ''));
const app = document.getElementById('app');
let seq = 0;

async function call(method, body) {
	const res = await fetch('/api/v1/self-report', {
		method,
		headers: { 'X-Self-Report-Token': token, 'Content-Type': 'application/json', 'Accept-Language': document.documentElement.lang },
		body: body ? JSON.stringify(body) : undefined,
	});
	const data = await res.json().catch(() => ({}));
	if (!res.ok) throw Object.assign(new Error((data.error && data.error.message) || res.statusText), { status: res.status, field: data.error && data.error.field });
	return data;
}

function refused(err) {
	app.replaceChildren(h('div.self-refused', { role: 'alert' },
		h('h1', t('self.refused_title')), h('p', err.message), h('p.muted', t('self.refused_hint'))));
}

async function show(note) {
	let me;
	try {
		me = await call('GET');
	} catch (err) {
		return refused(err);
	}
	const temp = h('input', { name: 'temperature', type: 'number', step: '0.1', min: 34, max: 43, inputmode: 'decimal', required: true, class: 'big' });
	const msg = h('div.form-error', { role: 'alert', hidden: true });
	const syms = SYMPTOMS.map((s) => h('label.check.big', h('input', { type: 'checkbox', value: s }), t('iso.sym_' + s)));
	const send = h('button.btn.btn-primary.big', { type: 'submit' }, t('self.send'));
	const f = h('form.form', { novalidate: true },
		h('label', { for: 'temp' }, t('self.temperature')), Object.assign(temp, { id: 'temp' }),
		h('fieldset', h('legend', t('self.symptoms')), syms), msg, send);
	f.addEventListener('submit', async (e) => {
		e.preventDefault();
		msg.hidden = true;
		send.disabled = true;
		try {
			const r = await call('POST', {
				temperature: Number(temp.value), symptoms: syms.filter((l) => l.firstChild.checked).map((l) => l.firstChild.value),
				client_id: `self-${Date.now()}-${++seq}`,
			});
			show(r.check && r.check.alert_id ? t('self.sent_alert') : t('self.sent'));
		} catch (err) {
			if (err.status === 401) return refused(err);
			msg.textContent = err.message;
			msg.hidden = false;
		} finally {
			send.disabled = false;
		}
	});
	const services = h('div.services', SERVICES.map((k) => h('button.btn.big', {
		type: 'button', 'data-service': k,
		onclick: async () => {
			try {
				await call('POST', { service: k, client_id: `svc-${Date.now()}-${++seq}` });
				show(t('self.asked', { what: t('iso.svc_' + k) }));
			} catch (err) {
				if (err.status === 401) refused(err); else alert(err.message);
			}
		},
	}, t('iso.svc_' + k))));
	app.replaceChildren(...[
		h('h1', t('self.title')),
		note ? h('div.alert.alert-ok', { role: 'status' }, note) : null,
		h('p', h('strong', me.name), ' · ', t('iso.kind_' + me.kind), me.site_name ? ` · ${me.site_name} ${me.room_number || ''}` : ''),
		h('p', t('self.until', { day: me.planned_end_day })),
		h('p', h('span.tag.tag-' + (me.morning_done ? 'ok' : 'plain'), t(me.morning_done ? 'iso.morning_done' : 'iso.morning_due')), ' ',
			h('span.tag.tag-' + (me.evening_done ? 'ok' : 'plain'), t(me.evening_done ? 'iso.evening_done' : 'iso.evening_due'))),
		f,
		h('h2', t('self.services')), services,
		me.open_requests.length ? h('ul', me.open_requests.map((r) => h('li', t('iso.svc_' + r.kind), ' · ', t('iso.rstatus_' + r.status)))) : null,
		me.carers.length ? h('div', h('h2', t('iso.carers')), h('ul', me.carers.map((c) => h('li', t('iso.role_' + c.role), '：', c.name, ' ',
			c.phone ? h('a', { href: 'tel:' + c.phone }, c.phone) : '')))) : null,
	].filter(Boolean));
}

await setLang(storedLang());
document.title = t('self.title');
if (!token) refused(new Error(t('self.no_token')));
else show();
