// Used by the Prisma CLI (`prisma generate`, `prisma studio`, `prisma migrate deploy` where the native
// engine can be downloaded). Our own scripts apply migrations through the wasm engine instead.
import { defineConfig } from 'prisma/config'

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'pnpm db:seed' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
})
