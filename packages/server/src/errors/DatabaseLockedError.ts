import { BaseError } from '@accesspoint/core'

export type DatabaseLockedErrorType = DatabaseLockedError & { name: 'DatabaseLockedError' }

/** Another process has the embedded database open; PGlite allows one process per data dir. */
export class DatabaseLockedError extends BaseError {
  constructor({ dataDir, cause }: { dataDir: string; cause?: unknown }) {
    super(`The embedded database at ${dataDir} is in use by another process.`, {
      code: 'SERVICE_UNAVAILABLE',
      cause,
      docsPath: '/database#embedded',
      metaMessages: [
        'Only one process can open an embedded (PGlite) database at a time.',
        'Stop the other AccessPoint process (e.g. `pnpm dev`), or set DATA_DIR to another folder.',
      ],
      name: 'DatabaseLockedError',
    })
  }
}
