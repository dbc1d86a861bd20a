// ECharts for the pages that draw charts: the library (served under
// /vendor/ from the binary, so the app works offline on a LAN) is loaded
// once, on the first page that needs it, and each chart resizes with the
// window. Charts draw as SVG, which prints as sharply as the text beside it.
let pending = null;

export function loadECharts() {
	if (window.echarts) return Promise.resolve(window.echarts);
	if (!pending) {
		pending = new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = '/vendor/echarts.min.js';
			s.onload = () => resolve(window.echarts);
			s.onerror = () => { pending = null; reject(new Error('echarts did not load')); };
			document.head.append(s);
		});
	}
	return pending;
}

const live = new Set();
window.addEventListener('resize', () => {
	for (const c of live) {
		if (!c.getDom().isConnected) { c.dispose(); live.delete(c); } else c.resize();
	}
});

// Draws option into el (which must have a height); returns the chart.
export async function drawChart(el, option) {
	const ec = await loadECharts();
	const c = ec.init(el, null, { renderer: 'svg' });
	c.setOption({ animation: false, ...option });
	live.add(c);
	return c;
}
