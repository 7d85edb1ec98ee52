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
  constructor(container, series, { keep = 300, height = 180, empty = "no data yet" } = {}) {
    this.container = container;
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
    const axes = [axis];
    const used = new Set(this.series.map((s) => s.scale || "y"));
    for (const scale of used) {
      scales[scale] = { range: (u, min, max) => [0, Math.max(1, max * 1.15)] };
      axes.push({ ...axis, scale, side: axes.length === 1 ? 3 : 1, grid: { show: axes.length === 1, stroke: css("--line") } });
    }
    return {
      ...this.size(),
      scales,
      axes,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
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
    values.forEach((v, i) => this.data[i + 1].push(v));
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
