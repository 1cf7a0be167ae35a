import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { SessionStorage } from './types.js'

export type FileStorageParameters = {
  /** The JSON file, e.g. `.accesspoint/sessions.json`; created (mode 0600) when missing. */
  path: string
}

export type FileStorageReturnType = SessionStorage

/**
 * Sessions in a JSON file, for bots (Node only): a restarted bot reuses its session instead of
 * signing again. The file holds bearer tokens, so it is created readable by its owner only
 * (0600, in a 0700 folder when that is created too), and written atomically (a temporary file
 * renamed over it) so a crash mid-write never leaves it truncated. Writes from one process are
 * queued; separate processes sharing the file may lose each other's last write, which costs at
 * most one extra signature.
 */
export function fileStorage(
  pathOrParameters: string | FileStorageParameters,
): FileStorageReturnType {
  const path = typeof pathOrParameters === 'string' ? pathOrParameters : pathOrParameters.path
  let writes: Promise<unknown> = Promise.resolve()

  async function read(): Promise<Record<string, string>> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw error
    }
    try {
      const values: unknown = JSON.parse(text)
      if (typeof values !== 'object' || values === null || Array.isArray(values)) return {}
      return Object.fromEntries(
        Object.entries(values).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      )
    } catch {
      // A damaged file only holds sessions, which a signature recreates: start afresh.
      return {}
    }
  }

  async function write(values: Record<string, string>): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(temporary, `${JSON.stringify(values, null, 2)}\n`, {
        mode: 0o600,
        flag: 'wx',
      })
      await rename(temporary, path)
    } catch (error) {
      await unlink(temporary).catch(() => {})
      throw error
    }
  }

  function update(change: (values: Record<string, string>) => void): Promise<void> {
    const next = writes.then(async () => {
      const values = await read()
      change(values)
      await write(values)
    })
    // One failed write must not block the ones queued after it.
    writes = next.catch(() => {})
    return next
  }

  return {
    async get(key) {
      await writes
      return (await read())[key]
    },
    set: (key, value) =>
      update((values) => {
        values[key] = value
      }),
    remove: (key) =>
      update((values) => {
        delete values[key]
      }),
  }
}
