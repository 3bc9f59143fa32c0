// One module the ApexChart Razor component imports: create a chart, then update it in place over the circuit.
import ApexCharts from 'apexcharts';

export function create(element, options) {
  const chart = new ApexCharts(element, options);
  chart.render();
  element.dataset.chartReady = 'true';
  return chart;
}

export function updateSeries(chart, series) {
  // no animation: live counters update several times a second
  chart.updateSeries(series, false);
  const el = chart.el;
  if (el) {
    el.dataset.chartUpdates = String(Number(el.dataset.chartUpdates || '0') + 1);
    el.dataset.chartSeries = JSON.stringify(series);
  }
}

export function updateOptions(chart, options) {
  chart.updateOptions(options, false, false, false);
}

export function destroy(chart) {
  chart.destroy();
}
