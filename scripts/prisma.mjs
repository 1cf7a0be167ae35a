#!/usr/bin/env node
// Runs the Prisma CLI (generate, studio, ...) on machines with and without internet.
//
// Prisma 7's CLI wants its native schema-engine binary, which it downloads on first use.
// `generate` and `studio` never run it, so where the download is impossible (offline CI,
// air-gapped machines) we point PRISMA_SCHEMA_ENGINE_BINARY at a stub that explains where
// migrations live instead. Where the binary is already present or can be fetched, Prisma is
// left alone.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const require = createRequire(join(root, 'package.json'))
const prismaBin = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js')
const stub = join(root, 'scripts', 'schema-engine-offline.sh')

function nativeEngineInstalled() {
  try {
    const enginesDir = dirname(
      require.resolve('@prisma/engines/package.json', { paths: [dirname(prismaBin)] }),
    )
    return readdirSync(enginesDir).some((file) => file.startsWith('schema-engine'))
  } catch {
    return false
  }
}

async function canDownload() {
  try {
    await fetch('https://binaries.prisma.sh', { method: 'HEAD', signal: AbortSignal.timeout(3000) })
    return true
  } catch {
    return false
  }
}

const env = { ...process.env }
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !nativeEngineInstalled() && !(await canDownload())) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub
}
if (!existsSync(join(root, 'prisma', 'schema.prisma'))) {
  console.error('prisma/schema.prisma is missing: run this from an AccessPoint checkout.')
  process.exit(1)
}
const result = spawnSync(process.execPath, [prismaBin, ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
