// Charts with ECharts (embedded at /vendor/echarts.min.js, loaded on first
// use so pages without a chart never fetch it). Every chart stands above
// its table, one click away, and the page's export is the table's.
let loadingECharts = null;

export function loadECharts() {
	if (window.echarts) return Promise.resolve(window.echarts);
	if (!loadingECharts) {
		loadingECharts = new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = '/vendor/echarts.min.js';
			s.async = true;
			s.onload = () => (window.echarts ? resolve(window.echarts) : reject(new Error('echarts')));
			s.onerror = () => { loadingECharts = null; reject(new Error('echarts')); };
			document.head.appendChild(s);
		});
	}
	return loadingECharts;
}

// Draws option into box (a sized element) once it is in the document;
// redraws on resize. Returns box.
export function drawChart(box, option) {
	loadECharts().then((echarts) => {
		const chart = echarts.init(box, null, { renderer: 'svg' });
		chart.setOption({ animation: false, ...option });
		box.dataset.drawn = '1';
		const ro = new ResizeObserver(() => chart.resize());
		ro.observe(box);
	}).catch(() => { box.dataset.drawn = 'failed'; });
	return box;
}
