// UI strings: every text the browser shows comes from /i18n/<lang>.json, merged
// at build time from web/i18n/<lang>/*.json (one file per feature).
// zh-CN is the default; before sign-in the choice is kept in localStorage,
// after sign-in it follows the user's `lang` (PATCH /api/v1/me remembers it).
export const LANGS = ['zh-CN', 'en'];
const STORE_KEY = 'cordon.lang';

let lang = 'zh-CN';
let dict = {};
let fallback = {};
const cache = {};

async function fetchDict(l) {
	if (cache[l]) return cache[l];
	const res = await fetch(`/i18n/${l}.json`, { credentials: 'same-origin' });
	if (!res.ok) throw new Error(`i18n ${l}: HTTP ${res.status}`);
	cache[l] = await res.json();
	return cache[l];
}

export function normLang(l) {
	if (!l) return null;
	if (LANGS.includes(l)) return l;
	if (/^zh/i.test(l)) return 'zh-CN';
	if (/^en/i.test(l)) return 'en';
	return null;
}

// The language remembered in this browser (before sign-in).
export function storedLang() {
	try {
		return normLang(localStorage.getItem(STORE_KEY)) || 'zh-CN';
	} catch {
		return 'zh-CN';
	}
}

export function rememberLang(l) {
	try {
		localStorage.setItem(STORE_KEY, l);
	} catch {
		/* private mode: the choice lasts this page */
	}
}

// Loads the strings of language l (falling back to zh-CN for missing keys).
export async function setLang(l) {
	l = normLang(l) || 'zh-CN';
	try {
		fallback = await fetchDict('zh-CN');
	} catch {
		fallback = {};
	}
	try {
		dict = await fetchDict(l);
	} catch {
		dict = fallback;
		l = 'zh-CN';
	}
	lang = l;
	document.documentElement.lang = l;
	return l;
}

export function getLang() {
	return lang;
}

// t('units.children', {n: 3}) → the string with {n} replaced.
export function t(key, vars) {
	let s = dict[key];
	if (s == null) s = fallback[key];
	if (s == null) return key;
	if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m));
	return s;
}

// 1 if key exists (for optional labels).
export function has(key) {
	return dict[key] != null || fallback[key] != null;
}
