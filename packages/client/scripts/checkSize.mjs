// The browser bundle budget: bundles the main entry as a dapp's bundler would (minified,
// tree-shaken, peer dependencies left out), gzips what a page loads up front, prints the size
// and fails above the budget. Also fails if server code, Node built-ins or the EventSource
// ponyfill reach that code. Run from the package folder: `node scripts/checkSize.mjs`.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const budgetBytes = 15_000
const external = ['viem', 'viem/*', '@trpc/client', '@tanstack/query-core']
const outdir = await mkdtemp(join(tmpdir(), 'ap-client-size-'))

try {
  const result = await build({
    entryPoints: { index: 'src/exports/index.ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // Lazy imports (the Node-only EventSource ponyfill) become chunks a browser never loads.
    splitting: true,
    outdir,
    // `buffer`: apg-js (under @accesspoint/core's SIWE parser) requires it. Bundlers resolve
    // every import before tree-shaking, so it must resolve to something; the checks below make
    // sure nothing of it is left in what browsers load.
    external: [...external, 'buffer'],
    // Workspace packages from source, like the rest of the repository does.
    conditions: ['@accesspoint/source'],
    metafile: true,
    logLevel: 'warning',
  })

  const outputs = result.metafile.outputs
  const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint)
  if (!entry) throw new Error('esbuild produced no entry chunk')
  // What a page loads up front: the entry and the chunks it imports statically.
  const eager = new Set()
  const visit = (file) => {
    if (eager.has(file)) return
    eager.add(file)
    for (const { path, kind } of outputs[file]?.imports ?? [])
      if (kind === 'import-statement' && outputs[path]) visit(path)
  }
  visit(entry)

  let raw = 0
  let gzip = 0
  const eagerInputs = new Set()
  for (const file of eager) {
    const code = await readFile(file)
    raw += code.length
    gzip += gzipSync(code, { level: 9 }).length
    for (const input of Object.keys(outputs[file]?.inputs ?? {})) eagerInputs.add(input)
  }
  const lazy = Object.keys(outputs).filter((file) => file.endsWith('.js') && !eager.has(file))
  let lazyGzip = 0
  for (const file of lazy) lazyGzip += gzipSync(await readFile(file), { level: 9 }).length

  const forbidden = [
    [/packages\/server\//, 'server code (@accesspoint/server must stay a type import)'],
    [/node_modules\/(\.pnpm\/)?(eventsource|eventsource-parser)[@/]/, 'the EventSource ponyfill'],
    [/siwe-parser/, "@accesspoint/core's SIWE parser"],
    [/node_modules\/(\.pnpm\/)?zod[@/]/, 'zod'],
    [/^node:/, 'a Node built-in'],
  ]
  const problems = []
  for (const input of eagerInputs)
    for (const [pattern, what] of forbidden)
      if (pattern.test(input)) problems.push(`${what}: ${input}`)
  for (const file of eager)
    for (const { path, external: isExternal } of outputs[file]?.imports ?? [])
      if (
        isExternal &&
        !external.some((name) => path === name || path.startsWith(`${name.replace('/*', '')}/`))
      )
        problems.push(`an unexpected external import: ${path}`)

  const kb = (bytes) => `${(bytes / 1000).toFixed(2)} kB`
  console.log(
    `@accesspoint/client browser bundle (${external.join(', ')} external): ` +
      `${kb(raw)} minified, ${kb(gzip)} gzip (${gzip} bytes; budget ${kb(budgetBytes)})`,
  )
  if (lazy.length)
    console.log(
      `  lazy chunks, loaded by the first stream: ${lazy.map((file) => relative(outdir, file)).join(', ')} (${kb(lazyGzip)} gzip)`,
    )
  const largest = [...eagerInputs]
    .map((input) => [input, outputs[entry]?.inputs[input]?.bytesInOutput ?? 0])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
  console.log(
    `  largest inputs: ${largest.map(([input, bytes]) => `${input.replace(/^.*node_modules\//, '')} ${kb(bytes)}`).join(', ')}`,
  )

  if (problems.length) {
    console.error(`Forbidden in the browser bundle:\n  ${problems.join('\n  ')}`)
    process.exitCode = 1
  }
  if (gzip > budgetBytes) {
    console.error(`Over budget by ${gzip - budgetBytes} bytes.`)
    process.exitCode = 1
  }
} finally {
  await rm(outdir, { recursive: true, force: true })
}
