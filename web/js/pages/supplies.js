// 物资保障: the warehouse's page. Tabs: stock on hand (an ECharts bar chart
// by item, the table one click away, low-stock alerts, receiving goods),
// moving stock between warehouses), the request queue (front line first;
// approving issues stock, all or part), the ledger of an item with its
// running balance (a receipt corrected by goods returned and money
// refunded, as new entries), donations (with each donor's printable
// acknowledgement) and funds (in yuan from fen; money a donor directed is
// spent by naming the donation and what it goes to).
// #/supply-request is the front line's page: ask the warehouse and follow
// one's requests. Every list exports to xlsx.
import { api, showError } from '../api.js';
import { t } from '../i18n.js';
import {
	h, loading, errorBox, field, input, select, form, values, qs, pagedTable,
	exportLink, disclosure, toast, unitPicker, errText, fmtTime, stat, empty, confirmDialog,
} from '../dom.js';

const TABS = ['stock', 'queue', 'ledger', 'donations', 'funds'];
const KINDS = ['epidemic_point', 'isolation_site', 'checkpoint', 'medical_team', 'community'];

// Yuan from fen, exactly (no floating point on money).
export function yuan(fen) {
	const neg = fen < 0;
	const a = BigInt(Math.abs(Number(fen)));
	const y = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return `${neg ? '-' : ''}${y}.${String(a % 100n).padStart(2, '0')}`;
}

// Fen from a typed amount in yuan ("1,200.50"), or null when it is not one.
function fenOf(text) {
	const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec((text || '').replace(/,/g, '').trim());
	return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
}

function clientId() {
	return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
}

function num(n) {
	return Number(n ?? 0).toLocaleString('en-US');
}

async function all(url) {
	const out = [];
	let after = null;
	for (let i = 0; i < 10; i++) {
		const res = await api('GET', url + (url.includes('?') ? '&' : '?') + qs({ limit: 500, after }).slice(1));
		out.push(...(res.items || []));
		after = res.next;
		if (!after) break;
	}
	return out;
}

// A select filled from a list; keep(item) picks which items it offers.
function asyncSelect(name, url, label, blank, attrs = {}, keep = null) {
	const s = select(name, blank == null ? [] : [['', blank]], undefined, attrs);
	s.disabled = true;
	all(url).then((items) => {
		for (const it of items) if (!keep || keep(it)) s.append(h('option', { value: it.id }, label(it)));
		s.disabled = false;
		s.dispatchEvent(new Event('change'));
	}, (err) => s.replaceChildren(h('option', { value: '' }, errText(err))));
	return s;
}

let echartsLoading = null;
function loadECharts() {
	if (window.echarts) return Promise.resolve(window.echarts);
	if (!echartsLoading) {
		echartsLoading = new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = '/vendor/echarts.min.js';
			s.async = true;
			s.onload = () => (window.echarts ? resolve(window.echarts) : reject(new Error('echarts')));
			s.onerror = () => { echartsLoading = null; reject(new Error('echarts')); };
			document.head.append(s);
		});
	}
	return echartsLoading;
}

export async function render(ctx) {
	if (ctx.key === 'supply-request') return renderRequester(ctx);
	const tabBar = h('div.tabs', { role: 'tablist' });
	const body = h('div.tab-body');
	ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.supplies'))), tabBar, body);
	const tab = TABS.includes(ctx.query.tab) ? ctx.query.tab : 'stock';
	for (const k of TABS) {
		tabBar.append(h('button', {
			type: 'button', role: 'tab', class: 'tab' + (k === tab ? ' active' : ''),
			'aria-selected': k === tab ? 'true' : 'false', dataset: { tab: k },
			onclick: () => showTab(ctx, tabBar, body, k),
		}, t('supplies.tab_' + k)));
	}
	showTab(ctx, tabBar, body, tab);
}

function showTab(ctx, bar, body, tab) {
	for (const b of bar.children) {
		const on = b.dataset.tab === tab;
		b.classList.toggle('active', on);
		b.setAttribute('aria-selected', on ? 'true' : 'false');
	}
	const q = { ...ctx.query, tab };
	if (tab === 'stock') delete q.tab;
	if (tab !== 'ledger') { delete q.item_id; delete q.warehouse_id; }
	ctx.setQuery(q);
	const canWrite = ctx.hasPerm('supplies.write');
	const tabs = { stock: stockTab, queue: queueTab, ledger: ledgerTab, donations: donationsTab, funds: fundsTab };
	body.replaceChildren(tabs[tab](ctx, canWrite));
}

// ---------- stock ----------

function stockTab(ctx, canWrite) {
	const wh = asyncSelect('warehouse_id', '/api/v1/warehouses', (w) => w.name, t('supplies.all_warehouses'));
	const stats = h('div.stats.summary');
	const alertBox = h('div.low-stock-box'); // replaced on each load, never stacked
	const chartBox = h('div.chart', { style: 'height:360px' });
	const tableBox = h('div.stock-table');
	const toggle = h('button.btn', { type: 'button' }, t('supplies.show_table'));
	let showTable = false;
	toggle.addEventListener('click', () => {
		showTable = !showTable;
		chartBox.hidden = showTable;
		tableBox.hidden = !showTable;
		toggle.textContent = t(showTable ? 'supplies.show_chart' : 'supplies.show_table');
	});
	tableBox.hidden = true;
	const exportA = h('span');
	let chart = null;

	async function load() {
		stats.replaceChildren(loading());
		const url = '/api/v1/stock' + qs({ warehouse_id: wh.value });
		exportA.replaceChildren(exportLink(url));
		try {
			const rows = (await api('GET', url)).items || [];
			// The chart sums each item over the warehouses shown.
			const byItem = new Map();
			for (const r of rows) {
				const k = r.item_id;
				const e = byItem.get(k) || { label: r.spec ? `${r.item} ${r.spec}` : r.item, unit: r.unit, q: 0 };
				e.q += r.quantity;
				byItem.set(k, e);
			}
			const low = rows.filter((r) => r.low);
			stats.replaceChildren(
				stat(t('supplies.items_n'), byItem.size),
				stat(t('supplies.warehouses_n'), new Set(rows.map((r) => r.warehouse_id)).size),
				stat(t('supplies.low_n'), low.length, low.length ? 'warn' : null));
			tableBox.replaceChildren(stockTable(rows));
			alertBox.replaceChildren(low.length ? h('div.alert.alert-warn.low-stock', { role: 'alert' },
				t('supplies.low_alert'), ' ', low.map((r) => `${r.item}${r.spec ? ' ' + r.spec : ''}（${r.warehouse}：${num(r.quantity)} ${r.unit}）`).join('，')) : '');
			drawChart([...byItem.values()]);
		} catch (err) {
			if (!err.handled) stats.replaceChildren(errorBox(err));
		}
	}

	async function drawChart(items) {
		try {
			const echarts = await loadECharts();
			if (!chart) chart = echarts.init(chartBox);
			// Quantities differ by orders of magnitude (alcohol in grams):
			// a log axis keeps every bar visible; the table has the numbers.
			chart.setOption({
				grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
				tooltip: { trigger: 'axis', formatter: (p) => `${p[0].name}<br>${num(p[0].value)} ${items[p[0].dataIndex].unit}` },
				xAxis: { type: 'log', logBase: 10, min: 1 },
				yAxis: { type: 'category', inverse: true, data: items.map((i) => i.label), axisLabel: { width: 180, overflow: 'truncate' } },
				series: [{ type: 'bar', data: items.map((i) => Math.max(i.q, 0.9)), label: { show: true, position: 'right', formatter: (p) => num(items[p.dataIndex].q) } }],
			}, true);
			chart.resize();
		} catch (err) {
			chartBox.replaceChildren(h('div.alert.alert-error', t('supplies.chart_failed')));
			showTable = true;
			tableBox.hidden = false;
		}
	}

	wh.addEventListener('change', load);
	const receive = canWrite ? receiveForm(load) : null;
	const move = canWrite ? transferForm(load) : null;
	return h('div',
		h('div.section-head', h('h2', t('supplies.tab_stock')), h('div.filters', field(t('supplies.warehouse'), wh)), toggle, exportA),
		stats, alertBox, chartBox, tableBox, receive, move);
}

function stockTable(rows) {
	if (!rows.length) return empty(t('supplies.no_stock'));
	return h('table.table.responsive',
		h('thead', h('tr', [t('supplies.item'), t('supplies.spec'), t('supplies.warehouse'), t('supplies.on_hand'), t('supplies.directed'), t('supplies.low_stock')].map((x) => h('th', x)))),
		h('tbody', rows.map((r) => h('tr', { class: r.low ? 'row-warn' : null },
			h('td', { 'data-label': t('supplies.item') }, h('a', { href: `#/supplies?tab=ledger&item_id=${r.item_id}&warehouse_id=${r.warehouse_id}` }, r.item)),
			h('td', { 'data-label': t('supplies.spec') }, r.spec || ''),
			h('td', { 'data-label': t('supplies.warehouse') }, r.warehouse),
			h('td.num', { 'data-label': t('supplies.on_hand') }, `${num(r.quantity)} ${r.unit}`),
			h('td.num', { 'data-label': t('supplies.directed') }, r.directed ? num(r.directed) : ''),
			h('td.num', { 'data-label': t('supplies.low_stock') }, r.low ? h('span.badge.badge-warn', t('supplies.low')) : (r.low_stock ? num(r.low_stock) : ''))))));
}

function receiveForm(done) {
	const source = select('source', [['purchase', t('supplies.source_purchase')], ['donation', t('supplies.source_donation')]]);
	const donation = asyncSelect('donation_id', '/api/v1/donations', (d) => `${d.donor_name} · ${d.description || yuan(d.value_fen)}`, t('common.none'));
	const fund = asyncSelect('fund_id', '/api/v1/funds', (f) => `${f.name}（${t('supplies.balance')} ${yuan(f.balance_fen)}）`, t('common.none'));
	const donationField = field(t('supplies.donation'), donation);
	// Only money donations pay for purchases.
	const payDonation = asyncSelect('pay_donation_id', '/api/v1/donations', (d) => `${d.donor_name} · ¥${yuan(d.value_fen)}${d.directed ? ' · ' + direction(d) : ''}`, t('supplies.spend_general'), {}, (d) => d.kind === 'money');
	const purchaseFields = h('div', field(t('supplies.fund'), fund),
		field(t('supplies.pay_donation'), payDonation, t('supplies.pay_donation_hint')),
		field(t('supplies.unit_price'), input('unit_price', { inputmode: 'decimal', placeholder: '85.50' })),
		field(t('supplies.supplier'), input('supplier')));
	const sync = () => { donationField.hidden = source.value !== 'donation'; purchaseFields.hidden = source.value === 'donation'; };
	source.addEventListener('change', sync);
	sync();
	const f = form([
		field(t('supplies.warehouse'), asyncSelect('warehouse_id', '/api/v1/warehouses', (w) => w.name, null)),
		field(t('supplies.item'), asyncSelect('item_id', '/api/v1/items', (i) => `${i.name}${i.spec ? ' ' + i.spec : ''}（${i.unit}）`, null)),
		field(t('supplies.quantity'), input('quantity', { inputmode: 'numeric', required: true })),
		field(t('supplies.source'), source),
		donationField, purchaseFields,
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('supplies.receive'))),
	], async (fm) => {
		const v = values(fm);
		const body = { warehouse_id: Number(v.warehouse_id), item_id: Number(v.item_id), quantity: Number(v.quantity), source: v.source, client_id: clientId() };
		if (!/^\d+$/.test(v.quantity || '')) return showError(fm, { field: 'quantity' }, t('supplies.whole_number'));
		if (v.source === 'donation') body.donation_id = v.donation_id ? Number(v.donation_id) : null;
		else {
			if (v.fund_id) body.fund_id = Number(v.fund_id);
			if (v.pay_donation_id) body.donation_id = Number(v.pay_donation_id);
			if (v.unit_price) {
				const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(v.unit_price.trim());
				if (!m) return showError(fm, { field: 'unit_price_fen' }, t('supplies.bad_price'));
				body.unit_price_fen = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
			}
			if (v.supplier) body.supplier = v.supplier;
		}
		await api('POST', '/api/v1/stock/receipts', body);
		toast(t('supplies.received'));
		fm.reset();
		sync();
		done();
	});
	return disclosure(t('supplies.receive_goods'), f);
}

// Moving stock from one warehouse to another: two entries in one go,
// general stock first, a directed donation's goods staying directed.
function transferForm(done) {
	const whs = (name) => asyncSelect(name, '/api/v1/warehouses', (w) => w.name, null);
	const from = whs('from_warehouse_id');
	const to = whs('to_warehouse_id');
	const donation = asyncSelect('donation_id', '/api/v1/donations', (d) => `${d.donor_name} · ${direction(d)}`, t('supplies.any_lot'), {}, (d) => d.directed);
	const f = form([
		field(t('supplies.from_warehouse'), from),
		field(t('supplies.to_warehouse'), to),
		field(t('supplies.item'), asyncSelect('item_id', '/api/v1/items', (i) => `${i.name}${i.spec ? ' ' + i.spec : ''}（${i.unit}）`, null)),
		field(t('supplies.quantity'), input('quantity', { inputmode: 'numeric', required: true })),
		field(t('supplies.transfer_lot'), donation),
		field(t('supplies.reason'), input('reason', { maxlength: 200 })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('supplies.transfer'))),
	], async (fm) => {
		const v = values(fm);
		if (!/^\d+$/.test(v.quantity || '') || Number(v.quantity) < 1) return showError(fm, { field: 'quantity' }, t('supplies.whole_number'));
		if (v.from_warehouse_id === v.to_warehouse_id) return showError(fm, { field: 'to_warehouse_id' }, t('supplies.same_warehouse'));
		const body = { from_warehouse_id: Number(v.from_warehouse_id), to_warehouse_id: Number(v.to_warehouse_id), item_id: Number(v.item_id), quantity: Number(v.quantity), client_id: clientId() };
		if (v.donation_id) body.donation_id = Number(v.donation_id);
		if (v.reason) body.reason = v.reason;
		const res = await api('POST', '/api/v1/stock/transfers', body);
		const out = res.entries[0];
		toast(t('supplies.transferred', { n: num(res.quantity), unit: out.unit, from: out.warehouse, to: out.peer_warehouse }));
		fm.querySelector('input[name=quantity]').value = '';
		done();
	});
	return disclosure(t('supplies.transfer_stock'), f);
}

function direction(d) {
	return [d.directed_unit, d.directed_kind ? t('supplies.kind_' + d.directed_kind) : null].filter(Boolean).join(' / ');
}

// ---------- request queue ----------

function statusText(s) {
	return t('supplies.status_' + s);
}

function linesCell(r) {
	return h('ul.plain', (r.lines || []).map((l) => h('li', `${l.item}：${num(l.issued)} / ${num(l.quantity)} ${l.unit}`)));
}

function queueTab(ctx, canWrite) {
	const status = select('status', ['open', 'done', 'closed', 'all'].map((s) => [s, t('supplies.queue_' + s)]), ctx.query.status || 'open');
	let list;
	const listBox = h('div');
	const exportA = h('span');
	function load() {
		const url = '/api/v1/supply-requests' + qs({ status: status.value });
		exportA.replaceChildren(exportLink(url));
		list = pagedTable({
			url,
			columns: [
				{ label: t('supplies.priority'), cell: (r) => h('span.badge.prio-' + r.priority, t('supplies.kind_' + r.kind)) },
				{ label: t('supplies.requester'), cell: (r) => h('div', h('strong', r.requester), h('div.muted', r.unit_name)) },
				{ label: t('supplies.lines'), cell: linesCell },
				{ label: t('supplies.asked_at'), cell: (r) => fmtTime(r.created_at) },
				{ label: t('supplies.status'), cell: (r) => statusText(r.status) },
				{ label: '', cell: (r) => (canWrite && (r.status === 'open' || r.status === 'partial')) ? approveButton(r, () => list.reload()) : '' },
			],
			rowAttrs: (r) => ({ dataset: { kind: r.kind, id: r.id } }),
			emptyText: t('supplies.queue_empty'),
		});
		listBox.replaceChildren(list.el);
	}
	status.addEventListener('change', () => { ctx.setQuery({ tab: 'queue', status: status.value }); load(); });
	load();
	return h('div', h('div.section-head', h('h2', t('supplies.tab_queue')), h('div.filters', field(t('supplies.status'), status)), exportA),
		h('p.muted', t('supplies.queue_rule')), listBox);
}

function approveButton(r, done) {
	const box = h('div.approve');
	const btn = h('button.btn.btn-primary', { type: 'button' }, t('supplies.approve'));
	btn.addEventListener('click', () => {
		btn.hidden = true;
		const rows = (r.lines || []).filter((l) => l.issued < l.quantity);
		const f = form([
			field(t('supplies.warehouse'), asyncSelect('warehouse_id', '/api/v1/warehouses', (w) => w.name, null)),
			...rows.map((l) => field(`${l.item}（${l.unit}）`, input('q_' + l.item_id, { inputmode: 'numeric', value: String(l.quantity - l.issued) }))),
			h('div.form-actions',
				h('button', { type: 'submit', class: 'btn btn-primary' }, t('supplies.issue')),
				h('button', { type: 'button', class: 'btn', onclick: () => { f.remove(); btn.hidden = false; } }, t('common.cancel'))),
		], async (fm) => {
			const v = values(fm);
			const lines = rows.map((l) => ({ item_id: l.item_id, quantity: Number(v['q_' + l.item_id] || 0) })).filter((l) => l.quantity > 0);
			if (!lines.length) return showError(fm, { field: 'quantity' }, t('supplies.nothing_to_issue'));
			await api('POST', `/api/v1/supply-requests/${r.id}/approve`, { warehouse_id: Number(v.warehouse_id), lines });
			toast(t('supplies.issued'));
			done();
		});
		box.append(f);
	});
	box.append(btn);
	return box;
}

// ---------- ledger ----------

function ledgerTab(ctx, canWrite) {
	const item = asyncSelect('item_id', '/api/v1/items', (i) => `${i.name}${i.spec ? ' ' + i.spec : ''}`, t('supplies.all_items'));
	const wh = asyncSelect('warehouse_id', '/api/v1/warehouses', (w) => w.name, t('supplies.all_warehouses'));
	const listBox = h('div');
	const exportA = h('span');
	let first = true;
	function load() {
		// The URL's filters apply once the choices have loaded.
		if (first) {
			if (ctx.query.item_id) item.value = ctx.query.item_id;
			if (ctx.query.warehouse_id) wh.value = ctx.query.warehouse_id;
		}
		if (item.disabled || wh.disabled) return;
		first = false;
		const url = '/api/v1/stock/ledger' + qs({ item_id: item.value, warehouse_id: wh.value });
		exportA.replaceChildren(exportLink(url));
		const list = pagedTable({
			url,
			columns: [
				{ label: t('supplies.entry_no'), cell: (e) => h('span.mono', String(e.id)) },
				{ label: t('supplies.time'), cell: (e) => fmtTime(e.at) },
				{ label: t('supplies.item'), cell: (e) => e.item },
				{ label: t('supplies.warehouse'), cell: (e) => e.warehouse },
				{ label: t('supplies.kind'), cell: (e) => t('supplies.entry_' + e.kind) },
				{ label: t('supplies.quantity'), class: 'num', cell: (e) => `${e.quantity > 0 ? '+' : ''}${num(e.quantity)}` },
				{ label: t('supplies.balance'), class: 'num', cell: (e) => `${num(e.balance)} ${e.unit}` },
				{ label: t('supplies.detail'), cell: entryDetail },
				{ label: '', cell: (e) => (canWrite && e.kind === 'receipt') ? correctButton(e, () => list.reload()) : '' },
			],
			rowAttrs: (e) => ({ dataset: { id: e.id, kind: e.kind } }),
			emptyText: t('supplies.ledger_empty'),
		});
		listBox.replaceChildren(list.el);
	}
	item.addEventListener('change', load);
	wh.addEventListener('change', load);
	// The on-hand summaries proved equal to the ledger (GET /stock/check).
	const checkBox = h('p.ledger-check');
	api('GET', '/api/v1/stock/check').then((c) => {
		checkBox.className = 'ledger-check ' + (c.ok ? 'muted' : 'alert alert-error');
		checkBox.textContent = c.ok ? t('supplies.check_ok', { n: num(c.entries) }) : t('supplies.check_bad', { n: num(c.mismatches) });
	}, (err) => { checkBox.textContent = errText(err); });
	return h('div', h('div.section-head', h('h2', t('supplies.tab_ledger')),
		h('div.filters', field(t('supplies.item'), item), field(t('supplies.warehouse'), wh)), exportA),
	h('p.muted', t('supplies.ledger_rule')), checkBox, listBox);
}

function entryDetail(e) {
	const parts = [];
	if (e.source) parts.push(t('supplies.source_' + e.source));
	if (e.donor) parts.push(e.donor);
	if (e.supplier) parts.push(e.supplier);
	if (e.amount_fen && e.corrects_id && e.amount_fen < 0) parts.push(`${t('supplies.refund')} ¥${yuan(-e.amount_fen)}`);
	else if (e.amount_fen) parts.push(`¥${yuan(e.amount_fen)}`);
	if (e.to_unit) parts.push(`→ ${e.to_unit}`);
	if (e.peer_warehouse) parts.push(`${e.quantity < 0 ? '→' : '←'} ${e.peer_warehouse}`);
	if (e.request_id) parts.push(`${t('supplies.request_no')} ${e.request_id}`);
	if (e.reason) parts.push(e.reason);
	if (e.corrects_id) parts.push(`${t('supplies.corrects')} ${e.corrects_id}`);
	return parts.join(' · ');
}

// A receipt corrected: goods sent back leave stock by an entry naming the
// receipt, money the supplier pays back returns to the fund; the receipt
// itself stays as it was.
function correctButton(e, done) {
	const box = h('div.correct');
	const btn = h('button.btn', { type: 'button' }, t('supplies.correct'));
	btn.addEventListener('click', () => {
		btn.hidden = true;
		const f = form([
			field(t('supplies.returned'), input('returned', { inputmode: 'numeric' })),
			// Named as the API's field so its errors show beside it (typed in yuan).
			e.fund_id ? field(t('supplies.refund_yuan'), input('refund_fen', { inputmode: 'decimal' }), e.unit_price_fen ? t('supplies.refund_hint', { price: yuan(e.unit_price_fen) }) : null) : null,
			field(t('supplies.reason'), input('reason', { required: true, maxlength: 200 })),
			h('div.form-actions',
				h('button', { type: 'submit', class: 'btn btn-primary' }, t('supplies.correct')),
				h('button', { type: 'button', class: 'btn', onclick: () => { f.remove(); btn.hidden = false; } }, t('common.cancel'))),
		], async (fm) => {
			const v = values(fm);
			const body = { reason: v.reason, client_id: clientId() };
			if (v.returned) {
				if (!/^\d+$/.test(v.returned)) return showError(fm, { field: 'returned' }, t('supplies.whole_number'));
				body.returned = Number(v.returned);
			}
			if (v.refund_fen) {
				const fen = fenOf(v.refund_fen);
				if (fen == null) return showError(fm, { field: 'refund_fen' }, t('supplies.bad_price'));
				body.refund_fen = fen;
			}
			if (!body.returned && !body.refund_fen) return showError(fm, { field: 'returned' }, t('supplies.correct_nothing'));
			if (!v.reason) return showError(fm, { field: 'reason' }, t('supplies.reason_needed'));
			const refund = body.refund_fen ?? (body.returned || 0) * (e.unit_price_fen || 0);
			if (!(await confirmDialog(t('supplies.confirm_correct', { id: e.id, returned: num(body.returned || 0), unit: e.unit, refund: yuan(e.fund_id ? refund : 0) }), { okLabel: t('supplies.correct') }))) return;
			await api('POST', `/api/v1/stock/receipts/${e.id}/corrections`, body);
			toast(t('supplies.corrected'));
			done();
		});
		box.append(f);
	});
	box.append(btn);
	return box;
}

// ---------- donations ----------

function donationsTab(ctx, canWrite) {
	const list = pagedTable({
		url: '/api/v1/donations',
		columns: [
			{ label: t('supplies.donor'), cell: (d) => h('div', h('strong', d.donor_name), h('div.muted', t('supplies.donor_' + d.donor_kind))) },
			{ label: t('supplies.donation_kind'), cell: (d) => t('supplies.gift_' + d.kind) },
			{ label: t('supplies.value'), class: 'num', cell: (d) => `¥${yuan(d.value_fen)}` },
			{ label: t('supplies.direction'), cell: (d) => d.directed ? direction(d) : t('supplies.not_directed') },
			{ label: t('supplies.received_goods'), class: 'num', cell: (d) => d.kind === 'goods' ? `${d.receipts} / ${num(d.received_quantity)}` : `${d.fund || ''} · ${t('supplies.left')} ¥${yuan(d.left_fen)}` },
			{ label: t('supplies.received_at'), cell: (d) => fmtTime(d.received_at) },
			{ label: '', cell: (d) => h('a', { href: `/api/v1/donations/${d.id}/acknowledgement`, target: '_blank', rel: 'noopener' }, t('supplies.acknowledgement')) },
		],
		emptyText: t('supplies.no_donations'),
	});
	let add = null;
	if (canWrite) {
		const kind = select('kind', [['goods', t('supplies.gift_goods')], ...(ctx.hasPerm('funds.write') ? [['money', t('supplies.gift_money')]] : [])]);
		const fund = asyncSelect('fund_id', '/api/v1/funds', (f) => f.name, t('common.none'));
		const fundField = field(t('supplies.fund'), fund);
		const sync = () => { fundField.hidden = kind.value !== 'money'; };
		kind.addEventListener('change', sync);
		sync();
		add = disclosure(t('supplies.add_donation'), form([
			field(t('supplies.donor'), input('donor_name', { required: true })),
			field(t('supplies.donor_kind'), select('donor_kind', [['org', t('supplies.donor_org')], ['person', t('supplies.donor_person')]])),
			field(t('supplies.contact'), input('contact')),
			field(t('supplies.donation_kind'), kind),
			fundField,
			field(t('supplies.value_yuan'), input('value', { inputmode: 'decimal', required: true })),
			field(t('supplies.description'), input('description')),
			field(t('supplies.directed_kind'), select('directed_kind', [['', t('supplies.not_directed')], ...KINDS.map((k) => [k, t('supplies.kind_' + k)])])),
			field(t('supplies.directed_unit'), unitPicker('directed_unit_id', null)),
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
		], async (f) => {
			const v = values(f);
			const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec((v.value || '').replace(/,/g, '').trim());
			if (!m) return showError(f, { field: 'value_fen' }, t('supplies.bad_price'));
			const body = {
				donor_name: v.donor_name, donor_kind: v.donor_kind, kind: v.kind,
				value_fen: Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')),
			};
			if (v.contact) body.contact = v.contact;
			if (v.description) body.description = v.description;
			if (v.kind === 'money') body.fund_id = v.fund_id ? Number(v.fund_id) : null;
			if (v.directed_kind || v.directed_unit_id) {
				body.directed = true;
				if (v.directed_kind) body.directed_kind = v.directed_kind;
				if (v.directed_unit_id) body.directed_unit_id = Number(v.directed_unit_id);
			}
			await api('POST', '/api/v1/donations', body);
			toast(t('common.added'));
			f.reset();
			sync();
			list.reload();
		}));
	}
	return h('div', h('div.section-head', h('h2', t('supplies.tab_donations')), exportLink('/api/v1/donations')), add, list.el);
}

// ---------- funds ----------

function fundsTab(ctx) {
	const canFunds = ctx.hasPerm('funds.write');
	const entriesBox = h('div');
	const list = pagedTable({
		url: '/api/v1/funds',
		columns: [
			{ label: t('supplies.fund'), cell: (f) => h('a', { href: '#', onclick: (e) => { e.preventDefault(); showEntries(f); } }, f.name) },
			{ label: t('supplies.allocated'), class: 'num', cell: (f) => yuan(f.allocated_fen) },
			{ label: t('supplies.donated'), class: 'num', cell: (f) => yuan(f.donations_fen) },
			{ label: t('supplies.spent'), class: 'num', cell: (f) => yuan(f.spent_fen) },
			{ label: t('supplies.balance'), class: 'num', cell: (f) => h('strong', yuan(f.balance_fen)) },
		],
		emptyText: t('supplies.no_funds'),
	});
	function showEntries(f) {
		const url = `/api/v1/funds/${f.id}/entries`;
		const entries = pagedTable({
			url,
			columns: [
				{ label: t('supplies.time'), cell: (e) => fmtTime(e.at) },
				{ label: t('supplies.kind'), cell: (e) => t('supplies.fund_' + e.kind) },
				{ label: t('supplies.amount'), class: 'num', cell: (e) => yuan(e.amount_fen) },
				{ label: t('supplies.balance'), class: 'num', cell: (e) => yuan(e.balance_fen) },
				{ label: t('supplies.purpose'), cell: (e) => [e.donor, e.purpose].filter(Boolean).join(' · ') },
			],
		});
		const kind = select('kind', [['allocation', t('supplies.fund_allocation')], ['spend', t('supplies.fund_spend')]]);
		// Money a donor directed is spent by naming the donation and what
		// it goes to; the server refuses anything else, naming the field.
		const donation = select('donation_id', [['', t('supplies.spend_general')]]);
		const dirHint = h('small.hint.direction-hint');
		const byId = new Map();
		all('/api/v1/donations').then((ds) => {
			for (const d of ds.filter((x) => x.kind === 'money' && x.fund_id === f.id)) {
				byId.set(String(d.id), d);
				donation.append(h('option', { value: d.id }, `${d.donor_name} · ¥${yuan(d.value_fen)}${d.directed ? ' · ' + direction(d) : ''}`));
			}
		}, () => {});
		const spendFields = h('div.spend-fields',
			field(t('supplies.spend_donation'), donation), dirHint,
			field(t('supplies.spend_unit'), unitPicker('unit_id', null)),
			field(t('supplies.spend_for_kind'), select('for_kind', [['', t('common.none')], ...KINDS.map((k) => [k, t('supplies.kind_' + k)])])));
		const sync = () => {
			spendFields.hidden = kind.value !== 'spend';
			const d = byId.get(donation.value);
			dirHint.textContent = d && d.directed ? t('supplies.spend_directed', { direction: direction(d) }) : t('supplies.spend_rule');
		};
		kind.addEventListener('change', sync);
		donation.addEventListener('change', sync);
		sync();
		const post = canFunds ? disclosure(t('supplies.fund_entry'), form([
			field(t('supplies.kind'), kind),
			// Named as the API's field so its errors show beside it (typed in yuan).
			field(t('supplies.amount_yuan'), input('amount_fen', { inputmode: 'decimal', required: true })),
			field(t('supplies.purpose'), input('purpose', { required: true })),
			spendFields,
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
		], async (fm) => {
			const v = values(fm);
			const fen = fenOf(v.amount_fen);
			if (fen == null) return showError(fm, { field: 'amount_fen' }, t('supplies.bad_price'));
			const body = { kind: v.kind, amount_fen: fen, purpose: v.purpose, client_id: clientId() };
			if (v.kind === 'spend') {
				if (v.donation_id) body.donation_id = Number(v.donation_id);
				if (v.unit_id) body.unit_id = Number(v.unit_id);
				if (v.for_kind) body.for_kind = v.for_kind;
			}
			await api('POST', url, body);
			toast(t('common.added'));
			list.reload();
			showEntries(f);
		})) : null;
		entriesBox.replaceChildren(h('h2', f.name), h('div.section-head', exportLink(url)), post, entries.el);
	}
	const add = canFunds ? disclosure(t('supplies.add_fund'), form([
		field(t('supplies.fund'), input('name', { required: true })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (f) => {
		await api('POST', '/api/v1/funds', { name: values(f).name });
		f.reset();
		list.reload();
	})) : null;
	return h('div', h('div.section-head', h('h2', t('supplies.tab_funds')), exportLink('/api/v1/funds')), h('p.muted', t('supplies.fen_rule')), add, list.el, entriesBox);
}

// ---------- the front line's page ----------

async function renderRequester(ctx) {
	const items = [];
	const lineBox = h('div.lines');
	function addLine() {
		const row = h('div.line-row',
			field(t('supplies.item'), asyncSelect('item_' + items.length, '/api/v1/items', (i) => `${i.name}${i.spec ? ' ' + i.spec : ''}（${i.unit}）`, null)),
			field(t('supplies.quantity'), input('qty_' + items.length, { inputmode: 'numeric' })));
		items.push(row);
		lineBox.append(row);
	}
	addLine();
	const mine = pagedTable({
		url: '/api/v1/supply-requests?status=all',
		columns: [
			{ label: t('supplies.requester'), cell: (r) => h('div', h('strong', r.requester), h('div.muted', t('supplies.kind_' + r.kind))) },
			{ label: t('supplies.lines'), cell: linesCell },
			{ label: t('supplies.asked_at'), cell: (r) => fmtTime(r.created_at) },
			{ label: t('supplies.status'), cell: (r) => statusText(r.status) },
		],
		emptyText: t('supplies.no_requests'),
	});
	const f = form([
		field(t('supplies.unit'), unitPicker('unit_id', ctx.me && ctx.me.scope_unit)),
		field(t('supplies.requester_kind'), select('kind', [['', t('supplies.kind_auto')], ...KINDS.map((k) => [k, t('supplies.kind_' + k)])])),
		field(t('supplies.requester'), input('requester', { placeholder: t('supplies.requester_hint') })),
		lineBox,
		h('button.btn', { type: 'button', onclick: addLine }, t('supplies.add_line')),
		field(t('supplies.note'), input('note')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('supplies.send_request'))),
	], async (fm) => {
		const v = values(fm);
		const lines = items.map((_, i) => ({ item_id: Number(v['item_' + i]), quantity: Number(v['qty_' + i] || 0) })).filter((l) => l.item_id && l.quantity);
		const body = { unit_id: Number(v.unit_id), lines, client_id: crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random() };
		if (v.kind) body.kind = v.kind;
		if (v.requester) body.requester = v.requester;
		if (v.note) body.note = v.note;
		await api('POST', '/api/v1/supply-requests', body);
		toast(t('supplies.request_sent'));
		mine.reload();
	});
	ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.supply_request'))),
		h('section.card', h('h2', t('supplies.new_request')), f),
		h('section.card', h('h2', t('supplies.my_requests')), mine.el));
}
