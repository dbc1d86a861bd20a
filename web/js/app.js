// The browser app's entry: loads the current user (GET /api/v1/me), builds
// the header and the menu from the user's permissions, and routes
// #/page/param?filters to the page modules in js/pages/. A page module
// exports render(ctx) and, optionally, update(ctx) to redraw in place when
// only its parameters change. A route without a menu entry of its own names
// the entry to highlight with navAs. Field pages (field: the permission that
// writes there) show the count of writes waiting in the offline queue
// (js/offline.js) in the header to those who hold it; other pages and other
// users see it only while something waits.
import { api, setCsrf, setUnauthenticatedHandler, errText } from './api.js';
import { t, setLang, storedLang, rememberLang, getLang, LANGS } from './i18n.js';
import { h, loading, toast, setDistrictOffset } from './dom.js';
import { startOffline, badge as offlineBadge } from './offline.js';

// Each menu entry belongs to a group of the work (GROUPS, in menu order):
// the desktop menu shows the groups, each opening its entries; on a phone
// the open menu lists every entry under its group's heading.
const GROUPS = ['command', 'population', 'field', 'health', 'supplies', 'enterprises', 'admin'];

const ROUTES = {
	login: { mod: './pages/login.js', public: true },
	dashboard: { mod: './pages/dashboard.js', perm: 'units.read', nav: 'nav.dashboard', group: 'command' },
	units: { mod: './pages/units.js', perm: 'units.read', nav: 'nav.units', group: 'command' },
	command: { mod: './pages/command.js', perm: 'units.read', nav: 'nav.command', group: 'command' },
	reports: { mod: './pages/reports.js', perm: 'reports.read', nav: 'nav.reports', group: 'command', field: 'reports.write' },
	dispatch: { mod: './pages/dispatch.js', perm: 'reports.read', nav: 'nav.dispatch', group: 'command' },
	notices: { mod: './pages/notices.js', perm: 'units.read', nav: 'nav.notices', group: 'command' },
	supervision: { mod: './pages/supervision.js', perm: 'reports.read', nav: 'nav.supervision', group: 'command' },
	volunteers: { mod: './pages/volunteers.js', perm: 'reports.read', nav: 'nav.volunteers', group: 'command' },
	persons: { mod: './pages/people.js', perm: 'people.read', nav: 'nav.persons', group: 'population' },
	households: { mod: './pages/people.js', perm: 'people.read', navAs: 'persons' },
	areas: { mod: './pages/areas.js', perm: 'people.read', nav: 'nav.areas', group: 'population' },
	discrepancies: { mod: './pages/discrepancies.js', perm: 'people.read', nav: 'nav.discrepancies', group: 'population' },
	rounds: { mod: './pages/screening.js', perm: 'screening.read', nav: 'nav.screening', group: 'population' },
	imports: { mod: './pages/imports.js', perm: 'import', nav: 'nav.imports', group: 'population' },
	visit: { mod: './pages/screening.js', perm: 'screening.write', nav: 'nav.visit', group: 'field' },
	checkpoints: { mod: './pages/checkpoints.js', perm: 'checkpoints.read', nav: 'nav.checkpoints', field: 'checkpoints.write', group: 'field' },
	gate: { mod: './pages/gate.js', perm: 'gates.scan', nav: 'nav.gate', field: 'gates.scan', group: 'field' },
	passes: { mod: './pages/passes.js', perm: 'passes.write', nav: 'nav.passes', group: 'field' },
	isolation: { mod: './pages/isolation.js', perm: 'isolation.read', nav: 'nav.isolation', group: 'health' },
	mypeople: { mod: './pages/isolation.js', perm: null, nav: 'nav.mypeople', group: 'health' },
	// The health side's list (medics, officers, grid workers): not the
	// checkpoint staff's, whose desktop menu it pushed onto a second row.
	fevers: { mod: './pages/fevers.js', perm: 'isolation.read', nav: 'nav.fevers', group: 'health' },
	cases: { mod: './pages/cases.js', perm: 'cases.read', nav: 'nav.cases', group: 'health' },
	epipoints: { mod: './pages/epipoints.js', perm: 'cases.read', nav: 'nav.epipoints', group: 'health' },
	supplies: { mod: './pages/supplies.js', perm: 'supplies.read', nav: 'nav.supplies', group: 'supplies' },
	'supply-request': { mod: './pages/supplies.js', perm: 'supplies.request', nav: 'nav.supply_request', group: 'supplies' },
	enterprises: { mod: './pages/enterprises.js', perm: 'enterprises.read', nav: 'nav.enterprises', group: 'enterprises' },
	users: { mod: './pages/users.js', perm: 'users.admin', nav: 'nav.users', group: 'admin' },
	devices: { mod: './pages/devices.js', perm: 'users.admin', nav: 'nav.devices', group: 'admin' },
	audit: { mod: './pages/audit.js', perm: 'audit.read', nav: 'nav.audit', group: 'admin' },
	settings: { mod: './pages/settings.js', perm: 'settings.admin', nav: 'nav.settings', group: 'admin' },
	account: { mod: './pages/account.js', perm: null },
};

// The page each role works in, where it lands after signing in (the first
// of the list it may open); others land on their first menu entry.
const ROLE_HOME = {
	admin: ['users'],
	commander: ['dashboard', 'command', 'units'],
	group_lead: ['command', 'units'],
	officer: ['persons'],
	grid_worker: ['visit'],
	checkpoint_staff: ['checkpoints'],
	medic: ['isolation', 'persons'],
	warehouse: ['supplies'],
	inspector: ['command'],
	enterprise: ['enterprises'],
};

const state = {
	me: null, // {user, scope_unit}
	current: null, // {key, mod, ctx}
	routeSeq: 0,
};

const app = document.getElementById('app') || document.body.appendChild(h('div#app'));

export function hasPerm(p) {
	return !!(state.me && state.me.user && (state.me.user.permissions || []).includes(p));
}

function parseHash() {
	let raw = location.hash.replace(/^#\/?/, '');
	let query = {};
	const qi = raw.indexOf('?');
	if (qi >= 0) {
		query = Object.fromEntries(new URLSearchParams(raw.slice(qi + 1)));
		raw = raw.slice(0, qi);
	}
	const parts = raw.split('/').filter(Boolean).map(decodeURIComponent);
	return { key: parts[0] || '', params: parts.slice(1), query };
}

function defaultPage() {
	const role = state.me && state.me.user && state.me.user.role;
	for (const key of ROLE_HOME[role] || []) {
		const r = ROUTES[key];
		if (r && (r.perm == null || hasPerm(r.perm))) return key;
	}
	for (const g of GROUPS)
		for (const [key, r] of Object.entries(ROUTES)) if (r.nav && r.group === g && hasPerm(r.perm)) return key;
	return 'account';
}

export function go(hash) {
	if (location.hash === hash) route();
	else location.hash = hash;
}

// Replaces the filters in the URL without re-running the route.
function setQuery(obj) {
	const { key, params } = parseHash();
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(obj)) if (v != null && v !== '') p.set(k, v);
	const s = p.toString();
	const hash = '#/' + [key, ...params].map(encodeURIComponent).join('/') + (s ? '?' + s : '');
	history.replaceState(null, '', hash);
}

async function loadMe() {
	try {
		const me = await api('GET', '/api/v1/me', null, { noAuthRedirect: true });
		setSession(me);
		return true;
	} catch (err) {
		if (err.status === 401) {
			state.me = null;
			return false;
		}
		throw err;
	}
}

// Takes a /me or /session answer: the user, the CSRF token, the scope unit.
export function setSession(res) {
	setCsrf(res.csrf_token);
	state.me = { user: res.user, scope_unit: res.scope_unit || (state.me && state.me.scope_unit) || null };
	// Writes queued offline by this user are sent in this session.
	if (res.user) startOffline(res.user.id);
}

export function me() {
	return state.me;
}

// After a successful sign-in (from login.js).
export async function signedIn(res) {
	setSession(res);
	if (!res.scope_unit) {
		try {
			await loadMe();
		} catch {
			/* the scope unit is only a nicety here */
		}
	}
	// A language chosen on the login page is kept and saved as the
	// account's; otherwise the account's saved language applies.
	const picked = state.langPicked;
	state.langPicked = null;
	const l = state.me.user.lang;
	if (picked && picked === getLang() && picked !== l) {
		try {
			const r = await api('PATCH', '/api/v1/me', { lang: picked });
			if (r && r.user) state.me.user = r.user;
		} catch (err) {
			if (!err.handled) toast(errText(err), 'error');
		}
	} else if (l && l !== getLang()) {
		await setLang(l);
		rememberLang(getLang());
	}
	state.current = null;
	go('#/' + defaultPage());
}

async function signOut() {
	try {
		await api('DELETE', '/api/v1/session');
	} catch {
		/* signed out anyway */
	}
	setCsrf(null);
	state.me = null;
	state.current = null;
	go('#/login');
}

async function switchLang(l) {
	if (l === getLang()) return;
	if (!state.me) state.langPicked = l; // on the login page: saved at sign-in
	if (state.me) {
		try {
			const res = await api('PATCH', '/api/v1/me', { lang: l });
			if (res && res.user) state.me.user = res.user;
		} catch (err) {
			if (!err.handled) toast(errText(err), 'error');
			return;
		}
	}
	await setLang(l);
	rememberLang(getLang());
	state.current = null;
	route();
}

export function langSwitch() {
	return h('div.lang-switch', { role: 'group', 'aria-label': t('header.language') },
		LANGS.map((l) => h('button', {
			type: 'button', class: 'btn btn-lang' + (l === getLang() ? ' active' : ''),
			'aria-pressed': l === getLang() ? 'true' : 'false', lang: l, 'data-lang': l,
			onclick: () => switchLang(l),
		}, t('lang.' + l))));
}

function closeGroups(except) {
	for (const g of document.querySelectorAll('.nav-group.open')) {
		if (g === except) continue;
		g.classList.remove('open');
		const b = g.querySelector('.nav-group-btn');
		if (b) b.setAttribute('aria-expanded', 'false');
	}
}

document.addEventListener('click', (e) => {
	if (!e.target.closest || !e.target.closest('.nav-group')) closeGroups(null);
});
document.addEventListener('keydown', (e) => {
	if (e.key === 'Escape') closeGroups(null);
});

// The menu: one entry per group the user may open; a group with a single
// page is a plain link, others a button opening their pages.
function navGroups(activeKey) {
	const activeGroup = ROUTES[activeKey] && ROUTES[activeKey].group;
	const link = (key, r) => h('a', {
		href: '#/' + key, class: 'nav-link' + (key === activeKey ? ' active' : ''),
		'aria-current': key === activeKey ? 'page' : null, 'data-page': key,
	}, t(r.nav));
	const out = [];
	for (const g of GROUPS) {
		const entries = Object.entries(ROUTES).filter(([, r]) => r.nav && r.group === g && hasPerm(r.perm));
		if (!entries.length) continue;
		if (entries.length === 1) {
			out.push(h('div.nav-group.single', { 'data-group': g }, link(...entries[0])));
			continue;
		}
		const id = 'nav-drop-' + g;
		const box = h('div.nav-group', { 'data-group': g, class: g === activeGroup ? 'current' : null });
		const btn = h('button', {
			type: 'button', class: 'nav-group-btn' + (g === activeGroup ? ' active' : ''),
			'aria-expanded': 'false', 'aria-controls': id,
			onclick: () => {
				const open = !box.classList.contains('open');
				closeGroups(box);
				box.classList.toggle('open', open);
				btn.setAttribute('aria-expanded', open ? 'true' : 'false');
			},
		}, h('span.nav-group-label', t('nav.group.' + g)), h('span.caret', { 'aria-hidden': 'true' }, '▾'));
		box.append(btn, h('div.nav-drop', { id }, entries.map(([k, r]) => link(k, r))));
		out.push(box);
	}
	return out;
}

function buildShell(activeKey, field) {
	const user = state.me.user;
	const navLinks = navGroups(activeKey);
	const menu = h('div.menu#menu',
		h('nav.nav', { 'aria-label': t('header.nav') }, navLinks),
		h('div.userbox',
			h('a.user', { href: '#/account', class: activeKey === 'account' ? 'active' : null, title: t('nav.account') },
				h('span.user-name', user.name || user.username),
				h('span.user-role', t('roles.' + user.role))),
			langSwitch(),
			h('button', { type: 'button', class: 'btn btn-signout', onclick: signOut }, t('header.sign_out'))));
	const toggle = h('button', {
		type: 'button', class: 'btn menu-toggle', 'aria-controls': 'menu', 'aria-expanded': 'false',
		'aria-label': t('header.menu'),
		onclick: () => {
			const open = menu.classList.toggle('open');
			toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
		},
	}, h('span.burger', { 'aria-hidden': 'true' }), h('span.menu-label', t('header.menu')));
	menu.addEventListener('click', (e) => {
		if (e.target.closest('a')) {
			closeGroups(null);
			menu.classList.remove('open');
			toggle.setAttribute('aria-expanded', 'false');
		}
	});
	const header = h('header.topbar',
		h('div.topbar-inner',
			h('a.brand', { href: '#/' + defaultPage() }, h('span.brand-mark', { 'aria-hidden': 'true' }, '科'), h('span.brand-name', t('app.name'))),
			offlineBadge({ always: !!field }),
			toggle,
			menu));
	const main = h('main.main#main', { tabindex: '-1' });
	app.replaceChildren(header, main);
	return main;
}

async function route() {
	const seq = ++state.routeSeq;
	const { key, params, query } = parseHash();
	const boot = !state.booted;
	state.booted = true;
	if (!state.me && (key !== 'login' || boot)) {
		let ok = false;
		try {
			ok = await loadMe();
		} catch (err) {
			app.replaceChildren(h('div.boot-error.alert.alert-error', errText(err)));
			return;
		}
		if (seq !== state.routeSeq) return;
		if (!ok) {
			if (key === 'login') route();
			else location.replace('#/login');
			return;
		}
		if (state.me.user.lang && state.me.user.lang !== getLang()) {
			await setLang(state.me.user.lang);
			rememberLang(getLang());
		}
	}
	if (key === 'login' && state.me) {
		location.replace('#/' + defaultPage());
		return;
	}
	const r = ROUTES[key];
	if (!r) {
		location.replace('#/' + (state.me ? defaultPage() : 'login'));
		return;
	}
	document.title = t('app.title');
	const mod = await import(r.mod);
	if (seq !== state.routeSeq) return;
	// canOpen: whether the user may open a page (a link to it is worth showing)
	const canOpen = (k) => !!ROUTES[k] && !ROUTES[k].public && (ROUTES[k].perm == null || hasPerm(ROUTES[k].perm));
	const ctx = { params, query, key, me: state.me, setQuery, go, hasPerm, canOpen };

	if (r.public) {
		state.current = null;
		const root = h('div.public');
		app.replaceChildren(root);
		ctx.root = root;
		await mod.render(ctx);
		return;
	}
	if (state.current && state.current.key === key && mod.update && document.getElementById('main')) {
		ctx.root = state.current.ctx.root;
		state.current.ctx = ctx;
		await mod.update(ctx);
		return;
	}
	// The queue's badge is for those who write on the page: a read-only
	// role has nothing to queue (and the badge cost the header its one row).
	const main = buildShell(r.navAs || key, !!r.field && hasPerm(r.field));
	if (r.perm && !hasPerm(r.perm)) {
		main.append(h('div.alert.alert-error', t('errors.forbidden_page')));
		state.current = null;
		return;
	}
	const root = h('div.page.page-' + key);
	main.append(root);
	ctx.root = root;
	state.current = { key, mod, ctx };
	root.append(loading());
	try {
		await mod.render(ctx);
	} catch (err) {
		if (!err.handled) root.replaceChildren(h('div.alert.alert-error', errText(err)));
	}
}

setUnauthenticatedHandler(() => {
	state.me = null;
	state.current = null;
	if (parseHash().key !== 'login') location.hash = '#/login';
});

window.addEventListener('hashchange', route);

(async function start() {
	fetch('/healthz').then((r) => r.json()).then((j) => setDistrictOffset(j.utc_offset_s)).catch(() => {});
	await setLang(storedLang());
	document.title = t('app.title');
	route();
})();
