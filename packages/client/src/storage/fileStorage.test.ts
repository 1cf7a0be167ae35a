import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { fileStorage } from './fileStorage.js'

let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ap-file-storage-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

test('values survive a new instance (a restarted bot)', async () => {
  const path = join(folder, 'nested', 'sessions.json')
  await fileStorage(path).set('a', '1')
  expect(await fileStorage({ path }).get('a')).toBe('1')
  expect(await fileStorage(path).get('missing')).toBeUndefined()
})

test('the file and a folder it creates are private (0600 / 0700)', async () => {
  const path = join(folder, 'nested', 'sessions.json')
  await fileStorage(path).set('a', '1')
  expect((await stat(path)).mode & 0o777).toBe(0o600)
  expect((await stat(join(folder, 'nested'))).mode & 0o777).toBe(0o700)
})

test('concurrent writes are queued: none is lost, no temporary file is left', async () => {
  const path = join(folder, 'sessions.json')
  const storage = fileStorage(path)
  await Promise.all(Array.from({ length: 20 }, (_, i) => storage.set(`k${i}`, String(i))))
  await storage.remove('k3')
  const values = JSON.parse(await readFile(path, 'utf8'))
  expect(Object.keys(values)).toHaveLength(19)
  expect(values.k7).toBe('7')
  expect(await readdir(folder)).toEqual(['sessions.json'])
})

test('a damaged file is started afresh', async () => {
  const path = join(folder, 'sessions.json')
  await writeFile(path, '{"a": "1", "b": ')
  const storage = fileStorage(path)
  expect(await storage.get('a')).toBeUndefined()
  await storage.set('c', '3')
  expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ c: '3' })
})
