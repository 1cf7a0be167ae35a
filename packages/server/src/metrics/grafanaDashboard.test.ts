import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { devAccount, signInAs } from '../../test/signInAs.js'

// ops/grafana/accesspoint-dashboard.json may only chart what /metrics serves, and every metric
// of ours has a panel: the dashboard cannot drift from the code.
const dashboardPath = new URL('../../../../ops/grafana/accesspoint-dashboard.json', import.meta.url)

type Target = { expr?: string; datasource?: { uid?: string } }
type Panel = {
  type: string
  title: string
  datasource?: { type?: string; uid?: string }
  targets?: Target[]
  panels?: Panel[]
}
type Dashboard = {
  __inputs: { name: string; type: string; pluginId: string }[]
  schemaVersion: number
  panels: Panel[]
  templating: { list: { name: string; query: string | { query: string } }[] }
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's import placeholder, not a template.
const datasourceInput = '${DS_PROMETHEUS}'

const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
])

/** The metric names a PromQL expression selects; not functions, labels, numbers or variables. */
function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ')
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, ' ')
  const names: string[] = []
  for (const match of bare.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const rest = bare.slice((match.index ?? 0) + match[0].length).trimStart()
    if (rest.startsWith('(') || keywords.has(match[0])) continue
    names.push(match[0])
  }
  return names
}

/** Metric family → type, from a Prometheus text scrape's `# TYPE` lines. */
function familiesOf(scrape: string): Map<string, string> {
  const families = new Map<string, string>()
  for (const [, name, type] of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    if (name && type) families.set(name, type)
  return families
}

/** Whether `name` is served: a family, or a histogram's / summary's series. */
function isServed(name: string, families: Map<string, string>): boolean {
  if (families.has(name)) return true
  const series = /^(.+)_(bucket|sum|count)$/.exec(name)
  if (!series?.[1]) return false
  const type = families.get(series[1])
  return type === 'histogram' || (type === 'summary' && series[2] !== 'bucket')
}

function panelsOf(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])])
}

describe('the Grafana dashboard', () => {
  let dashboard: Dashboard
  let server: TestServer
  let families: Map<string, string>

  beforeAll(async () => {
    dashboard = JSON.parse(await readFile(dashboardPath, 'utf8')) as Dashboard
    server = await createTestServer('embedded')
    // A metered request first, so the scrape is what a serving instance shows.
    const { token } = await signInAs(server.client(), devAccount(1))
    await server.client(token).ai.complete.mutate({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'hello' }],
      maxTokens: 4,
    })
    const scrape = await fetch(`${server.url}/metrics`)
    expect(scrape.status).toBe(200)
    families = familiesOf(await scrape.text())
  })
  afterAll(() => server?.close())

  const charted = () => {
    const panels = panelsOf(dashboard.panels).filter((panel) => panel.type !== 'row')
    return panels.map((panel) => ({
      panel,
      exprs: (panel.targets ?? []).map((target) => target.expr ?? ''),
    }))
  }

  test('reads metric names out of PromQL, and nothing else', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (le, route) (rate(a_seconds_bucket{instance=~"$instance", route="x y"}[$__rate_interval]))) / 1e6 + on (job) group_left (le) b_total > bool 0 or time() - c',
      ),
    ).toEqual(['a_seconds_bucket', 'b_total', 'c'])
  })

  test('imports anywhere: one Prometheus data source input, used by every panel and query', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36)
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({
        name: 'DS_PROMETHEUS',
        type: 'datasource',
        pluginId: 'prometheus',
      }),
    ])
    for (const { panel, exprs } of charted()) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: datasourceInput })
      expect(exprs.length, panel.title).toBeGreaterThan(0)
      for (const target of panel.targets ?? [])
        expect(target.datasource?.uid, panel.title).toBe(datasourceInput)
    }
  })

  test('every metric in every panel and variable is on /metrics', () => {
    const used = new Map<string, string>()
    for (const { panel, exprs } of charted())
      for (const expr of exprs) {
        const names = metricNamesOf(expr)
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0)
        for (const name of names) used.set(name, panel.title)
      }
    for (const variable of dashboard.templating.list) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query.query
      const metric = /^label_values\(([^,{]+)/.exec(query)?.[1]?.trim()
      expect(metric, variable.name).toBeDefined()
      used.set(metric as string, `variable ${variable.name}`)
    }
    const missing = [...used].filter(([name]) => !isServed(name, families))
    expect(missing).toEqual([])
    expect(used.size).toBeGreaterThan(30)
  })

  test('every AccessPoint metric has a panel (Node.js and process defaults aside)', () => {
    const used = new Set(
      charted().flatMap(({ exprs }) =>
        exprs.flatMap(metricNamesOf).map((name) => {
          const series = /^(.+)_(bucket|sum|count)$/.exec(name)?.[1]
          return series && families.has(series) ? series : name
        }),
      ),
    )
    const ours = [...families.keys()].filter((name) => !/^accesspoint_(process|nodejs)_/.test(name))
    expect(ours.length).toBeGreaterThan(20)
    expect(ours.filter((name) => !used.has(name))).toEqual([])
  })
})
