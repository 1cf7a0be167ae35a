import { fileURLToPath } from 'node:url'

// apps/server/{src,dist}/config/ -> the repository root, where prisma/ and .data/ live.
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url))
export const schemaPath = `${repositoryRoot}prisma/schema.prisma`
export const migrationsDir = `${repositoryRoot}prisma/migrations`
export const defaultDataDir = `${repositoryRoot}.data`
