/**
 * The sum of a metric's samples in Prometheus text, over every label set matching `labels`
 * (e.g. `{ store: 'api_key' }`); 0 when absent.
 */
export function readMetric(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  let sum = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line)
    if (!match || match[1] !== name) continue
    const set = match[2] ?? ''
    if (Object.entries(labels).every(([key, value]) => set.includes(`${key}="${value}"`)))
      sum += Number(match[3])
  }
  return sum
}
