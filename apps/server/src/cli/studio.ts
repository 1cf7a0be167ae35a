// pnpm db:studio — opens Prisma Studio on the configured database.
// PostgreSQL: Studio connects to DATABASE_URL. Embedded: PGlite lives inside one process, so we
// open it here and serve it over a local PostgreSQL socket for as long as Studio runs (stop
// `pnpm dev` first: one process at a time owns the data folder).
import { spawn } from 'node:child_process'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { repositoryRoot } from '../config/paths.js'
import { openDatabase } from './openDatabase.js'
import { run } from './run.js'

const studioPort = process.env.STUDIO_PORT ?? '5555'
const socketPort = Number(process.env.STUDIO_DB_PORT ?? 5433)

function studio(databaseUrl: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [`${repositoryRoot}scripts/prisma.mjs`, 'studio', '--port', studioPort, '--browser', 'none'],
    { cwd: repositoryRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'inherit' },
  )
  const stop = () => child.kill('SIGTERM')
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

await run(async (config) => {
  if (config.database.kind === 'postgres') return studio(config.database.url)

  const database = await openDatabase(config)
  if (database.kind !== 'embedded')
    throw new Error('unreachable: embedded config opened PostgreSQL')
  const server = new PGLiteSocketServer({
    db: database.pglite,
    host: '127.0.0.1',
    port: socketPort,
    maxConnections: 10,
  })
  await server.start()
  console.log(
    `Embedded database served at postgresql://postgres@127.0.0.1:${socketPort}/postgres while Studio runs.`,
  )
  try {
    await studio(`postgresql://postgres@127.0.0.1:${socketPort}/postgres?sslmode=disable`)
  } finally {
    await server.stop()
    await database.close()
  }
})
