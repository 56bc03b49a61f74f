// Result rows and how they are printed. A row is what `--json` prints, one per line:
//   { scenario, metric, value, unit, target, better }   (target null where there is none)
// Scenarios return rows without `scenario`; bench/run.mjs adds it.

/** One figure. `better` says which direction is good: 'lower' or 'higher'. */
export function figure(metric, value, unit, { target = null, better = 'lower' } = {}) {
  return { metric, value, unit, target, better };
}

/**
 * The same figure for our server and the relay, and their ratio ours/relay. `target` applies to
 * our figure, `ratioTarget` to the ratio (e.g. 1.2: at most 20 % worse than the relay).
 */
export function compared(metric, values, unit, { target = null, ratioTarget = null, better = 'lower' } = {}) {
  return [
    figure(`${metric} (ours)`, values.ours, unit, { target, better }),
    figure(`${metric} (relay)`, values.relay, unit, { better }),
    figure(`${metric} ours/relay`, values.ours / values.relay, '×', { target: ratioTarget, better }),
  ];
}

/** Whether a row meets its target: true, false, or null when it has none. */
export function met(row) {
  if (row.target === null || !Number.isFinite(row.value)) return row.target === null ? null : false;
  return row.better === 'lower' ? row.value <= row.target : row.value >= row.target;
}

function formatValue(value, unit) {
  if (unit === 'bool') return value ? 'yes' : 'no';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

function formatTarget(row) {
  if (row.target === null) return '';
  if (row.unit === 'bool') return row.target ? 'yes' : 'no';
  return `${row.better === 'lower' ? '≤' : '≥'} ${formatValue(row.target, row.unit)}`;
}

/** Rounds a value for JSON output (no 17-digit noise). */
export function rounded(value) {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : null;
}

/** The rows as a plain-text table. */
export function table(rows) {
  const lines = rows.map((row) => {
    const ok = met(row);
    return [
      row.scenario,
      row.metric,
      formatValue(row.value, row.unit),
      row.unit === 'bool' ? '' : row.unit,
      formatTarget(row),
      ok === null ? '' : ok ? 'met' : 'MISSED',
    ];
  });
  const header = ['scenario', 'metric', 'value', 'unit', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) =>
    cells
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}
