// Aligned text columns for `rbi tree` and `rbi status <instance>` (pure): padding is computed on the plain text,
// then the status cell alone is coloured, so colour never shifts a column. Cells are made printable first: status
// messages quote container and API messages, which may carry newlines or escape sequences a terminal would obey.

/** How lines are drawn: with ANSI colours or without. */
export interface TextStyle {
  color: boolean;
}

/** One line of a table; `status` is coloured when it is a state (Ready, Pending, Failed). */
export interface Row {
  name: string;
  status: string;
  reason: string;
  message: string;
}

const COLORS: Record<string, string> = { Ready: '32', Pending: '33', Failed: '31' };
const SEPARATOR = '  ';

/**
 * One printable line: ANSI CSI sequences removed, other control characters (C0, DEL, C1) spaces, runs of
 * whitespace one space.
 */
export function printable(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control sequences is the point
      .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
      // eslint-disable-next-line no-control-regex -- as above
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** `text` cut to `max` characters, the last one an ellipsis. */
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The state word in its colour (green Ready, yellow Pending, red Failed); other words as they are. */
export function paint(status: string, style: TextStyle): string {
  const code = COLORS[status];
  return style.color && code ? `\u001b[${code}m${status}\u001b[0m` : status;
}

/** The rows as aligned lines (no trailing spaces), each prefixed with `indent`. */
export function table(rows: readonly Row[], style: TextStyle, indent = ''): string[] {
  const clean = rows.map((r) => ({
    name: r.name,
    status: printable(r.status) || '-',
    reason: printable(r.reason) || '-',
    message: printable(r.message),
  }));
  const width = (pick: (r: Row) => string) => Math.max(0, ...clean.map((r) => pick(r).length));
  const [wName, wStatus, wReason] = [width((r) => r.name), width((r) => r.status), width((r) => r.reason)];
  return clean.map((r) => {
    const status = paint(r.status, style) + ' '.repeat(wStatus - r.status.length);
    const line = [r.name.padEnd(wName), status, r.reason.padEnd(wReason), r.message].join(SEPARATOR);
    return indent + line.trimEnd();
  });
}

/** A pod's readiness and restarts, as both views print them. */
export const podFacts = (p: { ready: string; restarts: number }): string =>
  `${p.ready} ready, ${p.restarts} restart${p.restarts === 1 ? '' : 's'}`;
