// Dashboard: plots avg, min and max per bucket of one series and refreshes itself.
// Reads only the query API of this server: /api/series and /api/buckets.
"use strict";

// The average line's colour; the browser test looks for pixels of it.
const LINE_COLOR = "#0b6bcb";
const BAND_COLOR = "rgba(11, 107, 203, 0.15)";

const seriesSelect = document.getElementById("series");
const windowSelect = document.getElementById("window");
const refreshSelect = document.getElementById("refresh");
const chartElement = document.getElementById("chart");
const statusElement = document.getElementById("status");

let chart = null;
let timer = null;

function showStatus(text, isError) {
  statusElement.textContent = text;
  statusElement.classList.toggle("error", Boolean(isError));
}

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const detail = Array.isArray(body.detail) ? body.detail.map((item) => item.msg).join("; ") : body.detail;
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

async function loadSeries() {
  const body = await fetchJson("api/series");
  const params = new URLSearchParams(window.location.search);
  const requested = `${params.get("source")}/${params.get("metric")}`;
  seriesSelect.replaceChildren();
  for (const series of body.series) {
    const option = document.createElement("option");
    option.value = `${series.source}/${series.metric}`;
    option.textContent = `${series.source} / ${series.metric}`;
    option.dataset.source = series.source;
    option.dataset.metric = series.metric;
    option.selected = option.value === requested;
    seriesSelect.append(option);
  }
  return body.series.length;
}

function bucketsUrl() {
  const option = seriesSelect.selectedOptions[0];
  const windowOption = windowSelect.selectedOptions[0];
  const end = new Date();
  const start = new Date(end.getTime() - Number(windowOption.value) * 1000);
  const query = new URLSearchParams({
    source: option.dataset.source,
    metric: option.dataset.metric,
    width: windowOption.dataset.width,
    start: start.toISOString(),
    end: end.toISOString(),
  });
  return `api/buckets?${query}`;
}

function toColumns(buckets) {
  const times = [], averages = [], minimums = [], maximums = [];
  for (const bucket of buckets) {
    times.push(Date.parse(bucket.bucket) / 1000);
    averages.push(bucket.avg);
    minimums.push(bucket.min);
    maximums.push(bucket.max);
  }
  return [times, averages, minimums, maximums];
}

function drawChart(data) {
  const width = Math.max(chartElement.clientWidth, 300);
  if (chart !== null) {
    chart.setData(data);
    return;
  }
  chart = new uPlot(
    {
      width: width,
      height: 400,
      series: [
        {},
        { label: "avg", stroke: LINE_COLOR, width: 2 },
        { label: "min", stroke: "#9a9a9a", width: 1 },
        { label: "max", stroke: "#9a9a9a", width: 1 },
      ],
      bands: [{ series: [3, 2], fill: BAND_COLOR }],
    },
    data,
    chartElement,
  );
}

async function refresh() {
  if (seriesSelect.selectedOptions.length === 0) {
    return;
  }
  try {
    const body = await fetchJson(bucketsUrl());
    drawChart(toColumns(body.buckets));
    const label = seriesSelect.selectedOptions[0].textContent;
    showStatus(`${label}: ${body.buckets.length} buckets, updated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    showStatus(`Loading buckets failed: ${error.message}`, true);
  }
}

function schedule() {
  clearInterval(timer);
  const seconds = Number(refreshSelect.value);
  if (seconds > 0) {
    timer = setInterval(refresh, seconds * 1000);
  }
}

async function start() {
  try {
    const count = await loadSeries();
    if (count === 0) {
      showStatus("No series stored yet: start the sampling loop and reload.");
      return;
    }
  } catch (error) {
    showStatus(`Loading series failed: ${error.message}`, true);
    return;
  }
  seriesSelect.addEventListener("change", () => { chart?.destroy(); chart = null; refresh(); });
  windowSelect.addEventListener("change", refresh);
  refreshSelect.addEventListener("change", schedule);
  await refresh();
  schedule();
}

start();
