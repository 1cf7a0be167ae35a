// Checks the built package (run after `tsc -p tsconfig.build.json`): the server is a type-only
// dependency, so no emitted JavaScript may import it, and no declaration a user's compiler
// reads (reachable from an export's `types`) may mention it, since users do not install it.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'

const manifest = JSON.parse(await readFile('package.json', 'utf8'))
const server = '@accesspoint/server'
const problems = []

async function* files(folder) {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else yield path
  }
}

for await (const file of files('dist'))
  if (file.endsWith('.js') && (await readFile(file, 'utf8')).includes(server))
    problems.push(`${file} imports ${server} at runtime`)

const seen = new Set()
const queue = Object.values(manifest.exports)
  .map((entry) => (typeof entry === 'object' ? entry.types : undefined))
  .filter(Boolean)
  .map((path) => resolve(path))
while (queue.length) {
  const file = queue.pop()
  if (seen.has(file)) continue
  seen.add(file)
  if (!existsSync(file)) {
    problems.push(`${relative('.', file)} is referenced but missing`)
    continue
  }
  const text = await readFile(file, 'utf8')
  if (text.includes(server)) problems.push(`${relative('.', file)} mentions ${server}`)
  for (const [, specifier] of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g))
    queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.d.ts')))
}

console.log(
  `declarations reachable from the exports: ${seen.size}; free of ${server}: ${problems.length === 0}`,
)
if (problems.length) {
  console.error(problems.join('\n'))
  process.exitCode = 1
}
