// The report page's charts over time: every job's learning curve, and the campaign's spend.
globalThis.SegsweepCurves = (() => {
  const { COLORS, el, note, plural, widthOf, opacity, metricText, canvasMark, withHover, hoverPoints } = globalThis.SegsweepKit;

  /** Row i's curve decoded (PageRows.curves): epochs and values, or null. */
  function curveOf(data, i) {
    const curve = data.rows.curves[i];
    if (curve === null) return null;
    const [epochs, steps] = curve;
    const values = new Float64Array(steps.length);
    let sum = 0;
    steps.forEach((step, k) => {
      sum += step;
      values[k] = sum / data.curveScale;
    });
    return { epochs: typeof epochs === "number" ? steps.map((_, k) => epochs + k) : epochs, values };
  }

  function curves(body, data) {
    const decoded = data.rows.curves.map((_, i) => curveOf(data, i));
    const withCurve = decoded.flatMap((curve, i) => (curve === null ? [] : [i]));
    if (withCurve.length === 0) {
      return note(
        body,
        "No learning curves in this report: per-epoch metrics come from the campaign's metric source, and none were recorded.",
      );
    }
    const best = data.best ? data.rows.job.indexOf(data.best.job) : -1;
    const stopped = (i) => data.rows.terminated[i] >= 0;
    // Drawn in this order: the others, then the jobs stopped early, then the best on top.
    const groups = [
      withCurve.filter((i) => i !== best && !stopped(i)),
      withCurve.filter((i) => i !== best && stopped(i)),
      withCurve.filter((i) => i === best),
    ];
    const { epochs, values, total } = extents(decoded, withCurve);
    const owner = new Int32Array(total);
    const hover = hoverPoints(total, (k) => {
      const i = owner[k];
      const curve = decoded[i];
      const at = k - hover.first[i];
      const reason = stopped(i) ? ` · stopped early: ${data.rows.terminationReasons[data.rows.terminated[i]]}` : "";
      return `${data.rows.job[i]} · epoch ${curve.epochs[at]} · ${data.objective} ${metricText(curve.values[at])}${reason}`;
    });
    hover.first = new Int32Array(data.rows.job.length);
    const lines = curveLines(decoded, groups, hover, owner);
    legend(body, data, groups);
    const step = Math.max(1, Math.ceil((epochs[1] - epochs[0]) / 12));
    const figure = Plot.plot({
      width: widthOf(body, 1200),
      height: 380,
      marginLeft: 50,
      x: { domain: epochs, label: "epoch", grid: true, ticks: d3.range(epochs[0], epochs[1] + 1, step), tickFormat: "d" },
      y: { domain: values, nice: true, label: data.objective, grid: true },
      marks: [lines],
    });
    body.append(withHover(figure, hover));
    const missing = data.rows.job.length - withCurve.length;
    if (missing > 0) note(body, `${plural(missing, "job")} without a learning curve ${missing === 1 ? "is" : "are"} not drawn.`);
  }

  /** The curves on a canvas, group by group; fills in the hover points as it draws. */
  function curveLines(decoded, groups, hover, owner) {
    const styles = [
      { stroke: COLORS.line, width: 1, alpha: opacity(groups[0].length) },
      { stroke: COLORS.terminated, width: 1, alpha: Math.min(0.8, 1.5 * opacity(groups[1].length)) },
      { stroke: COLORS.best, width: 2.5, alpha: 1 },
    ];
    return canvasMark((context, x, y) => {
      let k = 0;
      groups.forEach((group, g) => {
        Object.assign(context, { strokeStyle: styles[g].stroke, lineWidth: styles[g].width, globalAlpha: styles[g].alpha });
        for (const i of group) {
          const curve = decoded[i];
          hover.first[i] = k;
          context.beginPath();
          curve.values.forEach((value, e) => {
            owner[k] = i;
            hover.px[k] = x(curve.epochs[e]);
            hover.py[k] = y(value);
            context.lineTo(hover.px[k], hover.py[k]);
            k++;
          });
          context.stroke();
          // Where the campaign stopped it: a cross at its last epoch.
          if (g === 1) cross(context, hover.px[k - 1], hover.py[k - 1], Math.min(1, 3 * styles[1].alpha));
        }
      });
      return groups[0].length + groups[1].length + groups[2].length;
    });
  }

  /** The epochs and values the curves span, and how many points they have. */
  function extents(decoded, indexes) {
    let epochs = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    let values = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    let total = 0;
    for (const i of indexes) {
      const curve = decoded[i];
      epochs = [Math.min(epochs[0], curve.epochs[0]), Math.max(epochs[1], curve.epochs[curve.epochs.length - 1])];
      values = [Math.min(values[0], d3.min(curve.values)), Math.max(values[1], d3.max(curve.values))];
      total += curve.values.length;
    }
    return { epochs, values, total };
  }

  /** What the colours mean: [others, stopped early, best]. */
  function legend(body, data, groups) {
    const node = body.appendChild(el("div", "legend"));
    const entry = (color, text) => {
      const item = node.appendChild(el("span"));
      item.appendChild(el("span", "swatch")).style.background = color;
      item.append(text);
    };
    entry(COLORS.line, plural(groups[0].length, groups[1].length + groups[2].length > 0 ? "other job" : "job"));
    if (groups[1].length > 0)
      entry(COLORS.terminated, `${plural(groups[1].length, "job")} stopped early by the campaign (× where stopped)`);
    if (groups[2].length > 0) entry(COLORS.best, `best: ${data.best.job}`);
  }

  function cross(context, x, y, alpha) {
    context.save();
    context.globalAlpha = alpha;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(x - 3, y - 3);
    context.lineTo(x + 3, y + 3);
    context.moveTo(x - 3, y + 3);
    context.lineTo(x + 3, y - 3);
    context.stroke();
    context.restore();
  }

  function cost(body, data) {
    const series = data.cost;
    if (series.startMs === null) {
      note(body, series.running > 0 ? `Nothing billed yet: ${plural(series.running, "job")} still running.` : "Nothing billed.");
      for (const line of series.lines) note(body, line);
      return;
    }
    const usd = series.unit === "usd";
    const index = series.seconds.map((_, k) => k);
    const x = (k) => new Date(series.startMs + series.seconds[k] * 1000);
    const y = (k) => series.values[k];
    body.append(
      Plot.plot({
        width: widthOf(body, 1200),
        height: 260,
        marginLeft: 60,
        marginRight: 40,
        x: { type: "utc", label: null },
        y: { label: usd ? `cumulative cost (USD)${data.simulated ? "*" : ""}` : "billable instance-hours (cost unknown)", grid: true },
        marks: [
          Plot.areaY(index, { x, y, fill: COLORS.line, fillOpacity: 0.15 }),
          Plot.line(index, { x, y, stroke: COLORS.line, tip: true }),
          Plot.ruleY([0]),
        ],
      }),
    );
    note(body, "Times are UTC. A job's billable time accrues evenly from its training start to its end.");
    if (!usd)
      note(body, "The dollar cost is unknown (an instance type has no price), so the chart shows billable instance-hours, not dollars.");
    for (const line of series.lines) note(body, line);
  }

  return { curves, cost };
})();
