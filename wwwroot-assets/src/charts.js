// One module the ApexChart Razor component imports: create a chart, then update it in place over the circuit.
import ApexCharts from 'apexcharts';

const dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const charts = new Set();

// the console's palette (MudBlazor's CSS variables), read when the chart is drawn and again when the browser switches light/dark
function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function resolve(color) {
  const m = typeof color === 'string' && color.match(/^var\((--[^,)]+)(?:,\s*([^)]+))?\)$/);
  return m ? cssVar(m[1], m[2] || '#888') : color;
}

function themed() {
  const isDark = !!(dark && dark.matches);
  return {
    theme: { mode: isDark ? 'dark' : 'light' },
    chart: { background: 'transparent', foreColor: cssVar('--mud-palette-text-secondary', isDark ? '#c8c8d8' : '#555') },
    grid: { borderColor: cssVar('--mud-palette-lines-default', isDark ? 'rgba(255,255,255,.16)' : 'rgba(0,0,0,.14)') },
    tooltip: { theme: isDark ? 'dark' : 'light' },
  };
}

function merge(options) {
  const t = themed();
  return {
    ...options,
    colors: Array.isArray(options.colors) ? options.colors.map(resolve) : options.colors,
    theme: { ...(options.theme || {}), ...t.theme },
    chart: { ...(options.chart || {}), ...t.chart },
    grid: { ...(options.grid || {}), ...t.grid },
    tooltip: { ...(options.tooltip || {}), ...t.tooltip },
  };
}

let pending = 0;
function retheme() {
  // MudBlazor rewrites its palette variables after the page loads and whenever the browser switches light/dark
  clearTimeout(pending);
  pending = setTimeout(() => charts.forEach(c => c.updateOptions(themed(), false, false, false)), 50);
}
if (dark && dark.addEventListener) dark.addEventListener('change', retheme);
if (window.MutationObserver) new MutationObserver(retheme).observe(document.head, { childList: true, subtree: true, characterData: true });

export function create(element, options) {
  const chart = new ApexCharts(element, merge(options));
  chart.render();
  charts.add(chart);
  element.dataset.chartReady = 'true';
  element.dataset.chartTheme = dark && dark.matches ? 'dark' : 'light';
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
  charts.delete(chart);
  chart.destroy();
}
