// 门岗: the gate page for a phone at a compound's gate. #/gate chooses the
// gate (the last one is remembered); #/gate/ID scans passes with the camera
// (BarcodeDetector where the browser has it, else jsQR from /vendor/jsQR.js
// on canvas frames), with a temperature, a direction and the kind of person,
// and takes a typed ID number (or a pasted token, e.g. from a hand scanner
// that types) as fallback. The answer is a large green 通行 or red 禁止通行
// with the reason in words; a scan that could not be sent waits in the
// offline queue and says so: "queued — not yet decided", never ALLOW.
import { api, showError, clearErrors, errText } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, empty, errorBox, select, qs, fmtTime, button, disclosure, toast, input, form, values } from '../dom.js';
import { send, clientId, noticeBar, onSettled } from '../offline.js';
import { parseTemp } from './checkpoints.js';
import { DOC_TYPES, docTypeLabel } from './people.js';
import { heldNote } from './discrepancies.js';

export const KINDS = ['resident', 'courier', 'delivery', 'visitor'];
const LAST_KEY = 'cordon.gate.last';
const SCAN_EVERY_MS = 120;
const SAME_TOKEN_MS = 5000;
const RESUME_MS = 1500;

// Children without the null and false of optional parts (replaceChildren
// would write them as text).
const kids = (...a) => a.flat().filter((x) => x != null && x !== false);

// The camera and timers of the page on screen; stopped when it goes.
let stopPage = null;

export async function render(ctx) {
	if (stopPage) stopPage();
	stopPage = null;
	if (ctx.params[0]) return renderGate(ctx, ctx.params[0]);
	return renderChooser(ctx);
}

function lastGate() {
	try {
		return JSON.parse(localStorage.getItem(LAST_KEY) || 'null');
	} catch {
		return null;
	}
}

// ---------- choosing the gate ----------

// A district has a thousand gates: the chooser shows a page of them at a
// time and searches by compound name or code (or the gate's name), in the
// user's scope (the server's list).
const CHOOSER_PAGE = 30;

async function renderChooser(ctx) {
	const q = (ctx.query.q || '').trim();
	let res;
	try {
		res = await api('GET', '/api/v1/gates' + qs({ limit: CHOOSER_PAGE, q: q || undefined }));
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.gate'))), errorBox(err));
		return;
	}
	let items = res.items || [];
	const last = lastGate();
	if (items.length === 1 && !res.next && !q && !ctx.query.choose) {
		location.replace(`#/gate/${items[0].id}`);
		return;
	}
	const choice = (g) => h('a.gate-choice', { href: `#/gate/${g.id}`, dataset: { id: g.id } },
		h('span.gate-choice-name', g.name), h('span.gate-choice-unit', g.unit_name || ''));
	const list = h('div.gate-choices', items.map(choice));
	let next = res.next;
	const more = button(t('gate.more'), {
		class: 'btn btn-block gate-more',
		onclick: async () => {
			more.disabled = true;
			try {
				const r = await api('GET', '/api/v1/gates' + qs({ limit: CHOOSER_PAGE, q: q || undefined, after: next }));
				list.append(...(r.items || []).map(choice));
				next = r.next;
			} catch (err) {
				if (!err.handled) toast(errText(err), 'error');
			}
			more.disabled = false;
			more.hidden = !next;
		},
	});
	more.hidden = !next;
	const search = form([
		h('div.gate-search-row',
			input('q', { type: 'search', value: q, placeholder: t('gate.search_ph'), 'aria-label': t('gate.search_ph'), autocomplete: 'off', enterkeyhint: 'search' }),
			button(t('gate.search'), { type: 'submit', class: 'btn' })),
	], (f) => {
		const v = values(f).q.trim();
		location.hash = '#/gate' + qs({ choose: 1, q: v || undefined });
	}, { class: 'gate-search' });
	const known = !q && last && last.id ? last : null;
	ctx.root.replaceChildren(h('div.field-page.gate-page',
		h('div.page-head', h('h1', t('gate.choose'))),
		known ? h('a.btn.btn-primary.btn-huge.gate-resume', { href: `#/gate/${known.id}` }, t('gate.resume', { name: `${known.unit_name || ''} ${known.name || ''}`.trim() })) : null,
		search,
		items.length ? [list, more]
			: empty(q ? t('gate.none_found', { q }) : ctx.hasPerm('passes.write') ? t('gate.none_admin') : t('gate.none')),
		ctx.hasPerm('passes.write') ? h('p.hint', h('a', { href: '#/passes/gates' }, t('gate.manage'))) : null));
}

// ---------- the scanner ----------

// The reason of an answer in the page's language, from its reason_code;
// details (dates, a revocation's reason, a colour's cause, an ID's wrong
// check character) are read from the server's English reason.
export function reasonWords(ans) {
	const reason = ans.reason || '';
	const code = ans.reason_code;
	if (getLang() === 'en' || !code) return reason;
	const feverAdd = /; fever ([\d.]+) °C/.exec(reason);
	const main = reason.replace(/; fever [\d.]+ °C.*$/, '');
	let s;
	switch (code) {
	case 'ok':
		if (ans.direction === 'out' && !ans.person && !ans.person_id) s = t('gate.why_out_logged');
		else if (ans.temperature != null) s = t('gate.why_ok_temp', { t: Number(ans.temperature).toFixed(1) });
		else s = ans.direction === 'out' ? t('gate.why_ok_out') : t('gate.why_ok');
		break;
	case 'expired': {
		const m = /expired on (\d{4}-\d{2}-\d{2})/.exec(main);
		s = t('gate.why_expired', { day: m ? m[1] : '' });
		break;
	}
	case 'revoked': {
		const m = /^Pass revoked: (.+)$/.exec(main);
		s = m ? t('gate.why_revoked_for', { why: m[1] }) : t('gate.why_revoked');
		break;
	}
	case 'unknown_person': {
		if (/No pass and no document/.test(main)) { s = t('gate.why_no_ident'); break; }
		const m = /check character should be (\S+), not (\S+)/.exec(main);
		const m2 = /No resident found with this document: (.+)$/.exec(main);
		s = t('gate.why_unknown') + (m ? t('gate.why_check_char', { want: m[1], got: m[2] }) : m2 ? `（${m2[1]}）` : '');
		break;
	}
	case 'not_resident':
		s = /another compound/.test(main) ? t('gate.why_other_compound') : t('gate.why_not_resident');
		break;
	case 'red':
	case 'yellow': {
		const m = /code \((.*)\): /.exec(main);
		s = t('gate.why_' + code, { why: m ? colourWhy(m[1]) : '' });
		break;
	}
	case 'fever':
		if (/^Fever/.test(main)) s = t('gate.why_fever', { t: Number(ans.temperature).toFixed(1) });
		else s = t('gate.why_ok');
		break;
	default:
		s = ['forged', 'courier', 'delivery', 'visitor', 'sealed'].includes(code) ? t('gate.why_' + code) : reason;
	}
	if (feverAdd && code !== 'fever') s += t('gate.why_fever_too', { t: feverAdd[1] });
	else if (feverAdd && !/^Fever/.test(main)) s = t('gate.why_fever', { t: feverAdd[1] });
	return s;
}

const COLOUR_WHY = {
	'confirmed or suspected case': 'gate.cw_case',
	'fever recorded': 'gate.cw_fever',
	'close contact under medical observation': 'gate.cw_close_contact',
	'under observation after travel': 'gate.cw_travel',
	'under observation after travel; temperature check missed': 'gate.cw_travel_missed',
	'general contact of a case': 'gate.cw_general_contact',
	'no record against this person': 'gate.cw_none',
};

// A colour's cause (the server's English words) in the page's language;
// the causes with a day or a reading carry them into the translation.
const COLOUR_WHY_AT = [
	[/^fever ([\d.]+) °C on (\d{4}-\d{2}-\d{2}), not yet closed by a medic$/, (m) => t('gate.cw_fever_open', { t: m[1], day: m[2] })],
	[/^under observation after travel until (\d{4}-\d{2}-\d{2}); temperature check missed$/, (m) => t('gate.cw_travel_missed_until', { day: m[1] })],
	[/^under observation after travel until (\d{4}-\d{2}-\d{2})$/, (m) => t('gate.cw_travel_until', { day: m[1] })],
	[/^observation after travel ended on (\d{4}-\d{2}-\d{2})$/, (m) => t('gate.cw_obs_ended', { day: m[1] })],
	[/^fever followed up and closed by a medic$/, () => t('gate.cw_fever_closed')],
];
export function colourWhy(s) {
	if (COLOUR_WHY[s]) return t(COLOUR_WHY[s]);
	for (const [re, f] of COLOUR_WHY_AT) {
		const m = re.exec(s || '');
		if (m) return f(m);
	}
	return s;
}

function colourTag(c) {
	return c ? h('span.colour-tag.colour-' + c, { dataset: { colour: c } }, t('gate.colour_' + c)) : '';
}

async function renderGate(ctx, id) {
	let gate;
	try {
		gate = await api('GET', `/api/v1/gates/${encodeURIComponent(id)}`);
	} catch (err) {
		if (!err.handled) {
			ctx.root.replaceChildren(h('a.back-link.show', { href: '#/gate?choose=1' }, '← ', t('gate.choose')),
				err.status === 404 ? empty(t('gate.not_found')) : errorBox(err));
		}
		return;
	}
	try {
		localStorage.setItem(LAST_KEY, JSON.stringify({ id: gate.id, name: gate.name, unit_name: gate.unit_name }));
	} catch {
		/* not remembered */
	}
	const st = { direction: 'in', kind: 'resident', pending: null, busy: false, lastToken: null, lastAt: 0, stream: null, timer: null, paused: false };

	// ----- the decision panel -----
	const decision = h('div.gate-decision.idle', { role: 'status', 'aria-live': 'assertive', dataset: { state: 'idle' } },
		h('div.gate-decision-word', t('gate.ready')), h('div.gate-decision-why', t('gate.ready_hint')));

	function showDecision(ans, late) {
		const allow = ans.decision === 'allow';
		decision.className = 'gate-decision ' + (allow ? 'allow' : 'deny');
		decision.dataset.state = allow ? 'allow' : 'deny';
		decision.dataset.code = ans.reason_code || '';
		decision.replaceChildren(...kids(
			late ? h('div.gate-late', t('gate.late_result')) : null,
			h('div.gate-decision-word', allow ? t('gate.allow') : t('gate.deny')),
			h('div.gate-decision-why', reasonWords(ans)),
			ans.held ? heldNote('fever') : null,
			h('div.gate-decision-meta',
				ans.person ? h('strong', ans.person.name) : null,
				ans.colour ? colourTag(ans.colour) : null,
				ans.temperature != null ? h('span', `${Number(ans.temperature).toFixed(1)} °C`) : null,
				h('span', t('gate.dir_' + (ans.direction || st.direction))))));
		feedback(allow);
		inView();
	}

	// The verdict is what the guard looks at: after a typed check on a
	// phone the form is on screen and the panel above it, so bring the
	// panel to the top of the screen.
	function inView() {
		const r = decision.getBoundingClientRect();
		if (r.top < 0 || r.bottom > window.innerHeight) decision.scrollIntoView({ block: 'start' });
	}

	function showQueued(body) {
		decision.className = 'gate-decision queued';
		decision.dataset.state = 'queued';
		decision.dataset.client = body.client_id;
		decision.replaceChildren(
			h('div.gate-decision-word', t('gate.queued')),
			h('div.gate-decision-why', t('gate.queued_why')));
		feedback(null);
		inView();
	}

	function showProblem(text) {
		decision.className = 'gate-decision problem';
		decision.dataset.state = 'problem';
		decision.replaceChildren(h('div.gate-decision-word', t('gate.problem')), h('div.gate-decision-why', text));
		feedback(false);
		inView();
	}

	function showChecking() {
		decision.className = 'gate-decision checking';
		decision.dataset.state = 'checking';
		decision.replaceChildren(h('div.gate-decision-word', t('gate.checking')));
	}

	// ----- controls -----
	const toggles = (name, opts, label, cls) => h('fieldset.field.toggles.' + cls,
		h('legend', t('gate.' + name)),
		h('div.toggle-row', { class: opts.length === 2 ? 'two' : 'four' }, opts.map((o) => h('label.toggle',
			h('input', {
				type: 'radio', name, value: o, checked: st[name] === o,
				onchange: () => { st[name] = o; drawKindAction(); },
			}),
			h('span', label(o))))));
	const dirBox = toggles('direction', ['in', 'out'], (o) => t('gate.dir_' + o), 'gate-dir');
	const kindBox = toggles('kind', KINDS, (o) => t('gate.kind_' + o), 'gate-kind');
	const tempIn = h('input#gate-temp', {
		name: 'temperature', type: 'text', inputmode: 'decimal', class: 'temp-input gate-temp', maxlength: 5, autocomplete: 'off', placeholder: '36.5',
		enterkeyhint: 'go',
		oninput: () => {
			const v = parseTemp(tempIn.value);
			tempIn.classList.toggle('fever', typeof v === 'number' && v >= 37.3);
		},
	});
	tempIn.addEventListener('keydown', (e) => {
		if (e.key === 'Enter') {
			e.preventDefault();
			if (st.pending) submit(st.pending);
		}
	});
	const tempField = h('div.field.gate-temp-field', h('label', { for: 'gate-temp' }, t('gate.temperature')),
		h('div.temp-wrap', tempIn, h('span.unit', '°C')), h('small.field-error', { 'aria-live': 'polite' }));
	const pendingBox = h('div.gate-pending', { hidden: true });
	const kindAction = h('div.gate-kind-action');
	const controls = h('form.form.gate-controls', { novalidate: true, onsubmit: (e) => e.preventDefault() },
		h('div.form-error.alert.alert-error', { role: 'alert', hidden: true }), h('div.gate-row', tempField, dirBox), kindBox, kindAction, pendingBox);

	function drawKindAction() {
		kindAction.replaceChildren(...kids(st.kind !== 'resident' ? button(t('gate.record_kind', { kind: t('gate.kind_' + st.kind) }), {
			class: 'btn btn-primary btn-huge', 'data-act': 'record-kind', onclick: () => submit({}),
		}) : null));
	}

	function setPending(p) {
		st.pending = p;
		pendingBox.hidden = !p;
		if (!p) { pendingBox.replaceChildren(); return; }
		pendingBox.replaceChildren(
			h('p', h('strong', p.token ? t('gate.pending_pass') : t('gate.pending_doc')), ' ', t('gate.pending_need_temp')),
			h('div.form-actions',
				button(t('gate.submit'), { class: 'btn btn-primary', 'data-act': 'submit-pending', onclick: () => submit(p) }),
				button(t('common.cancel'), { class: 'btn', onclick: () => setPending(null) })));
	}

	// ----- camera -----
	const video = h('video.gate-video', { playsinline: true, muted: true, autoplay: true });
	video.muted = true;
	const canvas = h('canvas', { hidden: true });
	const camStatus = h('div.gate-cam-status', t('gate.camera_off'));
	const camBtn = button(t('gate.camera_start'), { class: 'btn btn-primary btn-huge', 'data-act': 'camera', onclick: () => { if (st.starting) return; if (st.stream) stopCamera(); else startCamera(); } });
	const camBox = h('div.gate-camera', { dataset: { state: 'off' } }, h('div.gate-viewport', video, h('div.gate-frame', { 'aria-hidden': 'true' })), camStatus, camBtn, canvas);
	let detector = null;

	async function startCamera() {
		if (st.starting || st.stream) return;
		st.starting = true;
		try {
			await openCamera();
		} finally {
			st.starting = false;
		}
	}

	async function openCamera() {
		if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
			camStatus.textContent = t('gate.camera_unavailable');
			return;
		}
		audio();
		camStatus.textContent = t('gate.camera_starting');
		try {
			st.stream = await navigator.mediaDevices.getUserMedia({
				video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false,
			});
		} catch (err) {
			st.stream = null;
			camStatus.textContent = t('gate.camera_denied', { error: (err && err.name) || '' });
			camBox.dataset.state = 'error';
			return;
		}
		if (!camBox.isConnected) { stopCamera(); return; }
		video.srcObject = st.stream;
		try {
			await video.play();
		} catch {
			/* autoplay with muted video is allowed */
		}
		detector = null;
		try {
			if ('BarcodeDetector' in window) {
				const formats = await window.BarcodeDetector.getSupportedFormats();
				if (formats.includes('qr_code')) detector = new window.BarcodeDetector({ formats: ['qr_code'] });
			}
		} catch {
			detector = null;
		}
		if (!detector) {
			try {
				await loadJsQR();
			} catch {
				camStatus.textContent = t('gate.decoder_missing');
				return;
			}
		}
		camBox.dataset.state = 'on';
		camBox.dataset.decoder = detector ? 'barcode-detector' : 'jsqr';
		camBtn.textContent = t('gate.camera_stop');
		camStatus.textContent = t('gate.camera_on');
		tick();
	}

	function stopCamera() {
		clearTimeout(st.timer);
		st.timer = null;
		if (st.stream) for (const tr of st.stream.getTracks()) tr.stop();
		st.stream = null;
		video.srcObject = null;
		camBox.dataset.state = 'off';
		camBtn.textContent = t('gate.camera_start');
		camStatus.textContent = t('gate.camera_off');
	}

	async function tick() {
		if (!st.stream) return;
		if (!camBox.isConnected) { stopCamera(); return; }
		try {
			if (!st.paused && !st.busy && video.readyState >= 2 && video.videoWidth) {
				const text = await decodeFrame();
				if (text) onCode(text);
			}
		} catch {
			/* a frame that cannot be read: try the next */
		}
		st.timer = setTimeout(tick, SCAN_EVERY_MS);
	}

	async function decodeFrame() {
		if (detector) {
			const codes = await detector.detect(video);
			return codes && codes[0] ? codes[0].rawValue : null;
		}
		const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
		const w = Math.round(video.videoWidth * scale);
		const hh = Math.round(video.videoHeight * scale);
		canvas.width = w;
		canvas.height = hh;
		const c2 = canvas.getContext('2d', { willReadFrequently: true });
		c2.drawImage(video, 0, 0, w, hh);
		const img = c2.getImageData(0, 0, w, hh);
		const code = window.jsQR(img.data, w, hh, { inversionAttempts: 'dontInvert' });
		return code && code.data ? code.data : null;
	}

	function onCode(text) {
		const now = Date.now();
		if (text === st.lastToken && now - st.lastAt < SAME_TOKEN_MS) return;
		st.lastToken = text;
		st.lastAt = now;
		camStatus.textContent = t('gate.code_read');
		submit({ token: text.trim() });
	}

	// ----- fallback: a typed document, or a token typed by a hand scanner -----
	const docType = select('doc_type', DOC_TYPES.map((x) => [x, docTypeLabel(x)]), 'resident_id', { 'aria-label': t('persons.doc_type') });
	const docIn = h('input', { name: 'doc_number', type: 'text', class: 'mono big-input', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: 32, placeholder: t('gate.doc_placeholder') });
	const tokenIn = h('input', { name: 'token', type: 'text', class: 'mono', autocomplete: 'off', spellcheck: 'false', placeholder: t('gate.token_placeholder') });
	const fallback = h('form.form.gate-fallback', { novalidate: true },
		h('div.form-error.alert.alert-error', { role: 'alert', hidden: true }),
		h('div.field', h('label', t('gate.doc_number')), h('div.doc-row', docType, docIn), h('small.field-error', { 'aria-live': 'polite' })),
		button(t('gate.check_doc'), { type: 'submit', class: 'btn btn-primary btn-huge', 'data-act': 'check-doc' }),
		h('div.field.token-field', h('label', t('gate.token')), tokenIn, h('small.hint', t('gate.token_hint')), h('small.field-error', { 'aria-live': 'polite' })),
		button(t('gate.check_token'), { class: 'btn', 'data-act': 'check-token', onclick: () => { const v = tokenIn.value.trim(); if (v) { tokenIn.value = ''; submit({ token: v }); } } }));
	fallback.addEventListener('submit', (e) => {
		e.preventDefault();
		const v = docIn.value.trim().replace(/\s/g, '');
		if (!v) { showError(fallback, { field: 'doc_number' }, t('errors.required')); return; }
		submit({ doc_number: v.toUpperCase(), doc_type: docType.value });
	});
	tokenIn.addEventListener('keydown', (e) => {
		if (e.key === 'Enter') {
			e.preventDefault();
			const v = tokenIn.value.trim();
			if (v) { tokenIn.value = ''; submit({ token: v }); }
		}
	});

	// ----- sending a scan -----
	async function submit(ident) {
		if (st.busy) return;
		clearErrors(controls);
		clearErrors(fallback);
		const temp = parseTemp(tempIn.value);
		if (Number.isNaN(temp) || (temp != null && (temp < 30 || temp > 45))) {
			showError(controls, { field: 'temperature' }, t('gate.measure_again'));
			showProblem(t('gate.measure_again'));
			return;
		}
		const hasIdent = !!(ident.token || ident.doc_number);
		if (st.kind === 'resident' && !hasIdent) return;
		if (hasIdent && st.direction === 'in' && st.kind === 'resident' && temp == null) {
			// 凡进必测: the pass is read; the temperature comes first.
			setPending(ident);
			showError(controls, { field: 'temperature' }, t('gate.temp_first'));
			tempIn.focus();
			decision.className = 'gate-decision waiting';
			decision.dataset.state = 'waiting';
			decision.replaceChildren(h('div.gate-decision-word', t('gate.need_temp')), h('div.gate-decision-why', t('gate.pending_need_temp')));
			return;
		}
		const body = { direction: st.direction, kind: st.kind, client_id: clientId() };
		if (ident.token) body.token = ident.token;
		if (ident.doc_number) { body.doc_number = ident.doc_number; body.doc_type = ident.doc_type || 'resident_id'; }
		if (temp != null) body.temperature = temp;
		st.busy = true;
		st.paused = true;
		showChecking();
		const label = t('gate.scan_label', {
			kind: t('gate.kind_' + st.kind), dir: t('gate.dir_' + st.direction),
			who: body.token ? t('gate.by_pass') : body.doc_number ? maskDoc(body.doc_number) : '',
		});
		try {
			const r = await send(`/api/v1/gates/${gate.id}/scans`, body, { kind: 'scan', label, scope: `gate:${gate.id}`, withAt: false, timeoutMs: 8000 });
			if (r.sent) {
				showDecision(r.res);
				addLocal({ ...r.res, kind: st.kind });
				refreshToday();
			} else {
				showQueued(body);
				addQueued(body, label);
			}
			// The next person: a new temperature, a resident again.
			tempIn.value = '';
			tempIn.classList.remove('fever');
			docIn.value = '';
			setPending(null);
			if (st.kind !== 'resident') {
				st.kind = 'resident';
				for (const x of kindBox.querySelectorAll('input')) x.checked = x.value === 'resident';
				drawKindAction();
			}
		} catch (err) {
			if (err.handled) return;
			const fieldName = err.field === 'doc_number' || err.field === 'doc_type' ? err.field : null;
			if (fieldName) showError(fallback, err);
			else if (err.field === 'temperature') showError(controls, err, t('gate.measure_again'));
			showProblem(err.field === 'temperature' ? t('gate.measure_again') : errText(err));
		} finally {
			st.busy = false;
			setTimeout(() => { st.paused = false; if (st.stream) camStatus.textContent = t('gate.camera_on'); }, RESUME_MS);
		}
	}

	// ----- today's figures and the last scans -----
	const todayBox = h('div.gate-today');
	function drawToday(g) {
		const x = g.today || {};
		todayBox.replaceChildren(
			h('span.gate-count.allow', { dataset: { count: 'allow' } }, t('gate.today_allow', { n: x.allow ?? 0 })),
			h('span.gate-count.deny', { dataset: { count: 'deny' } }, t('gate.today_deny', { n: x.deny ?? 0 })));
	}
	drawToday(gate);
	async function refreshToday() {
		try {
			const g = await api('GET', `/api/v1/gates/${gate.id}`);
			drawToday(g);
		} catch {
			/* offline */
		}
	}

	const canList = ctx.hasPerm('gates.scan');
	const lastList = h('ul.gate-last');
	const local = []; // queued scans and late results, shown above the server's list
	function scanLine(s) {
		const allow = s.decision === 'allow';
		return h('li.gate-line', { class: s.queued ? 'queued' : allow ? 'allow' : 'deny', dataset: { decision: s.queued ? 'queued' : s.decision, client: s.client_id || '' } },
			h('span.gate-line-word', s.queued ? t('gate.queued_short') : allow ? t('gate.allow') : t('gate.deny')),
			h('span.gate-line-who',
				h('strong', (s.person && s.person.name) || s.person_name || (s.queued ? s.label : t('gate.kind_' + (s.kind || 'resident')))),
				' ', h('span.muted', t('gate.dir_' + s.direction), s.temperature != null ? ` · ${Number(s.temperature).toFixed(1)} °C` : '')),
			h('span.gate-line-why', s.queued ? t('gate.queued_why_short') : reasonWords(s)),
			h('span.gate-line-time.muted', fmtTime(s.at).slice(11)));
	}
	async function loadLast() {
		if (!canList) return;
		try {
			const res = await api('GET', `/api/v1/gates/${gate.id}/scans` + qs({ limit: 10 }));
			const items = res.items || [];
			lastList.replaceChildren(...local.filter((x) => x.queued).map(scanLine), ...items.map(scanLine));
			if (!lastList.children.length) lastList.append(h('li.muted', t('gate.no_scans')));
		} catch {
			drawLocal();
		}
	}
	function drawLocal() {
		const seen = new Set();
		const lines = [];
		for (const x of local) {
			if (seen.has(x.client_id || x.scan_id)) continue;
			seen.add(x.client_id || x.scan_id);
			lines.push(scanLine(x));
		}
		lastList.replaceChildren(...lines);
	}
	function addLocal(ans) {
		local.unshift({ ...ans });
		local.splice(20);
		loadLast();
	}
	function addQueued(body, label) {
		local.unshift({ queued: true, client_id: body.client_id, direction: body.direction, temperature: body.temperature, kind: body.kind, label, at: Math.floor(Date.now() / 1000) });
		local.splice(20);
		drawLocal();
	}

	const stopSettled = onSettled(({ entry, res, err, dropped }) => {
		if (!decision.isConnected) { stopSettled(); return; }
		if (entry.scope !== `gate:${gate.id}`) return;
		const i = local.findIndex((x) => x.client_id === entry.client_id);
		if (i >= 0) local.splice(i, 1);
		if (!dropped && res) {
			local.unshift({ ...res, client_id: entry.client_id, kind: entry.body.kind });
			toast(t('gate.late_toast', { decision: res.decision === 'allow' ? t('gate.allow') : t('gate.deny'), who: (res.person && res.person.name) || entry.label, why: reasonWords(res) }), res.decision === 'allow' ? 'ok' : 'error');
			if (decision.dataset.state === 'queued' && decision.dataset.client === entry.client_id) showDecision(res, true);
			refreshToday();
		} else if (dropped) {
			toast(t('gate.dropped', { error: errText(err) }), 'error');
		}
		loadLast();
	});

	ctx.root.replaceChildren(h('div.field-page.gate-page',
		h('div.gate-head',
			h('div', h('h1', gate.name), h('p.gate-unit', gate.unit_name || '')),
			h('a.btn.btn-small', { href: '#/gate?choose=1' }, t('gate.change'))),
		todayBox,
		noticeBar(),
		decision,
		camBox,
		controls,
		disclosure(t('gate.fallback'), fallback),
		h('section.gate-last-box', h('h2', t('gate.last_scans')), lastList)));
	drawKindAction();
	loadLast();
	stopPage = () => { stopCamera(); stopSettled(); };
	// The camera starts by itself where it is allowed already.
	try {
		if (navigator.permissions && navigator.permissions.query) {
			const p = await navigator.permissions.query({ name: 'camera' });
			if (p.state === 'granted' && decision.isConnected) startCamera();
		}
	} catch {
		/* the button starts it */
	}
}

function maskDoc(s) {
	return s.length > 8 ? `${s.slice(0, 4)}****${s.slice(-4)}` : s;
}

let jsqrLoading = null;
function loadJsQR() {
	if (window.jsQR) return Promise.resolve();
	if (!jsqrLoading) {
		jsqrLoading = new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = '/vendor/jsQR.js';
			s.async = true;
			s.onload = () => (window.jsQR ? resolve() : reject(new Error('jsQR')));
			s.onerror = () => { jsqrLoading = null; reject(new Error('jsQR')); };
			document.head.append(s);
		});
	}
	return jsqrLoading;
}

// A beep and a vibration a guard notices in the street: one high for
// allow, two low for deny.
let actx = null;
function audio() {
	try {
		if (!actx) actx = new (window.AudioContext || window.webkitAudioContext)();
		if (actx.state === 'suspended') actx.resume();
	} catch {
		actx = null;
	}
	return actx;
}

function feedback(allow) {
	try {
		if (navigator.vibrate) navigator.vibrate(allow === false ? [200, 100, 200] : allow ? 80 : 0);
	} catch {
		/* no vibration */
	}
	const a = actx;
	if (!a || allow == null) return;
	const beep = (freq, start, dur) => {
		const o = a.createOscillator();
		const g = a.createGain();
		o.frequency.value = freq;
		g.gain.value = 0.15;
		o.connect(g);
		g.connect(a.destination);
		o.start(a.currentTime + start);
		o.stop(a.currentTime + start + dur);
	};
	if (allow) beep(1320, 0, 0.12);
	else { beep(330, 0, 0.18); beep(330, 0.26, 0.18); }
}

