export type FormatTableParameters = {
  headers: readonly string[]
  rows: readonly (readonly string[])[]
  /** Rows under a rule at the end, e.g. totals. */
  footer?: readonly (readonly string[])[] | undefined
  /** Columns aligned right (amounts); by index. */
  alignRight?: readonly number[] | undefined
}

export type FormatTableReturnType = string

/**
 * A plain-text table with aligned columns. Written here rather than taken from `cli-table3`:
 * twenty lines do what the summary needs, and the server app keeps no dependency for it.
 */
export function formatTable({
  headers,
  rows,
  footer = [],
  alignRight = [],
}: FormatTableParameters): FormatTableReturnType {
  const all = [headers, ...rows, ...footer]
  const widths = headers.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? '').length)),
  )
  const line = (row: readonly string[]) =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? ''
        return alignRight.includes(column) ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [
    line(headers),
    rule,
    ...rows.map(line),
    ...(footer.length ? [rule, ...footer.map(line)] : []),
  ].join('\n')
}
