import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import type { SchemaEngine } from '@prisma/schema-engine-wasm'

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm')

// Node has WebAssembly, but @types/node only types it with the DOM lib, which the server omits.
type WasmExports = Record<string, unknown>
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: WasmExports } }>
}

let modulePromise: Promise<SchemaEngineModule> | undefined

/**
 * Instantiates Prisma's wasm schema engine once per process.
 *
 * The package's entry does `import * as wasm from './schema_engine_bg.wasm'`, which Node 20
 * cannot load without `--experimental-wasm-modules`, so we wire the wasm-bindgen glue by hand.
 */
function loadModule(): Promise<SchemaEngineModule> {
  modulePromise ??= (async () => {
    const require = createRequire(import.meta.url)
    const entry = require.resolve('@prisma/schema-engine-wasm')
    const bg = (await import(
      '@prisma/schema-engine-wasm/schema_engine_bg'
    )) as SchemaEngineModule & { __wbg_set_wasm(exports: WasmExports): void }
    const bytes = await readFile(entry.replace(/schema_engine\.js$/, 'schema_engine_bg.wasm'))
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bg,
    })
    bg.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as () => void)()
    return bg
  })()
  return modulePromise
}

export type LoadSchemaEngineParameters = {
  /** The database the engine migrates or introspects. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory
  /** `schema.prisma` contents, when the command needs the data model (diffs). */
  schema?: { path: string; content: string } | undefined
  /** Receives the engine's JSON log lines. */
  onLog?: ((line: string) => void) | undefined
}

export type LoadSchemaEngineReturnType = {
  /** Call `engine.free()` when done with it. */
  engine: SchemaEngine
  /**
   * The engine reports a driver failure as "External error id#N"; this swaps that for the
   * driver's own error (e.g. `relation "X" does not exist`), kept as the cause.
   */
  resolveError(error: unknown): unknown
}

/** A schema engine bound to one database. */
export async function loadSchemaEngine({
  adapterFactory,
  schema,
  onLog,
}: LoadSchemaEngineParameters): Promise<LoadSchemaEngineReturnType> {
  const { SchemaEngine } = await loadModule()
  const bound = bindMigrationAwareSqlAdapterFactory(adapterFactory)
  const engine = await SchemaEngine.new(
    { datamodels: schema ? [[schema.path, schema.content]] : undefined },
    (line: string) => onLog?.(line),
    bound,
  )
  return {
    engine,
    resolveError(error) {
      const id = /External error id#(\d+)/.exec(String(error))?.[1]
      const external = id === undefined ? undefined : bound.errorRegistry.consumeError(Number(id))
      return external ? external.error : error
    },
  }
}
