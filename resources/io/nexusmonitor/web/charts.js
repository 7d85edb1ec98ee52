// Line charts with uPlot (the WebJar's uPlot.iife.min.js, 50 KB, loaded before this module runs).
// Colours come from the page's CSS variables, so they follow light and dark.

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * A time chart in `container`: series [{ label, color (CSS variable), scale? }], points added
 * with push(t seconds, ...values); at most `keep` points are kept.
 */
export class TimeChart {
  constructor(container, series, { keep = 300, height = 180, empty = "no data yet", log = false } = {}) {
    this.container = container;
    this.log = log;
    this.series = series;
    this.keep = keep;
    this.height = height;
    this.data = [[], ...series.map(() => [])];
    this.plot = null;
    this.empty = document.createElement("div");
    this.empty.className = "nodata";
    this.empty.textContent = empty;
    container.replaceChildren(this.empty);
    new ResizeObserver(() => this.plot && this.plot.setSize(this.size())).observe(container);
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.rebuild());
  }

  size() {
    return { width: Math.max(200, this.container.clientWidth), height: this.height };
  }

  options() {
    const axis = { stroke: css("--muted"), grid: { stroke: css("--line"), width: 1 }, ticks: { stroke: css("--line") } };
    const scales = { x: { time: true } };
    // the time of day only: the date would not fit under a small chart
    const axes = [{ ...axis, values: (u, splits) => splits.map((v) => new Date(v * 1000).toLocaleTimeString([], { hour12: false })) }];
    const used = new Set(this.series.map((s) => s.scale || "y"));
    for (const scale of used) {
      // a log scale shows a 100 ms median beside a 7 s tail; a linear one starts at zero
      scales[scale] = this.log
        ? { distr: 3, log: 10 }
        : { range: (u, min, max) => [0, Math.max(1, max * 1.15)] };
      const y = { ...axis, scale, size: 64, side: axes.length === 1 ? 3 : 1, grid: { show: axes.length === 1, stroke: css("--line"), width: 1 } };
      // a log axis labels and rules its decades only
      if (this.log) {
        const decades = (u, splits) => splits.map((v) => (Number.isInteger(Math.log10(v)) ? v : null));
        y.filter = decades;
        y.grid = { ...y.grid, filter: decades };
        y.ticks = { ...y.ticks, filter: decades };
      }
      axes.push(y);
    }
    return {
      ...this.size(),
      scales,
      axes,
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      series: [
        {},
        ...this.series.map((s) => ({
          label: s.label,
          scale: s.scale || "y",
          stroke: css(s.color),
          width: 2,
          points: { show: s.points ?? false, size: 5, fill: css(s.color) },
          spanGaps: false,
        })),
      ],
    };
  }

  rebuild() {
    if (!this.plot) return;
    this.plot.destroy();
    this.plot = new window.uPlot(this.options(), this.data, this.container);
  }

  /** Replaces every point: rows of [t seconds, ...values]. */
  set(rows) {
    this.data = [rows.map((r) => r[0]), ...this.series.map((s, i) => rows.map((r) => r[i + 1]))];
    this.draw();
  }

  push(t, ...values) {
    this.data[0].push(t);
    values.forEach((v, i) => this.data[i + 1].push(this.log && !(v > 0) ? null : v));
    if (this.data[0].length > this.keep) this.data.forEach((col) => col.shift());
    this.draw();
  }

  draw() {
    if (this.data[0].length === 0 || !window.uPlot) {
      this.container.replaceChildren(this.empty);
      if (this.plot) {
        this.plot.destroy();
        this.plot = null;
      }
      return;
    }
    if (!this.plot) {
      this.container.replaceChildren();
      this.plot = new window.uPlot(this.options(), this.data, this.container);
    } else {
      this.plot.setData(this.data);
    }
  }
}
