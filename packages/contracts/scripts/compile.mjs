#!/usr/bin/env node
// Compiles contracts/**/*.sol with solc-js (offline, no download) into src/generated/<Name>.ts,
// each exporting `<name>Abi` (as const, for viem's type inference) and `<name>Bytecode`.
// Runs on `pnpm install` (postinstall) and before build/typecheck/test, so it must be quiet and
// cheap when nothing changed: a stamp of every input's hash lets it return without loading solc.
//
// Usage: node scripts/compile.mjs [--force]
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const contractsDir = join(packageDir, 'contracts')
const outDir = join(packageDir, 'src', 'generated')
const stampFile = join(outDir, '.stamp')
const require = createRequire(join(packageDir, 'package.json'))

// Cancun, not the compiler's newer default, so the bytecode deploys on any current EVM chain.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
}

main()

function main() {
  const sources = readSources()
  const expectedFiles = readStampFiles()

  let solcVersion
  try {
    solcVersion = readPackageVersion('solc')
  } catch {
    // An installed copy of this package (not the workspace) has no solc but ships the output.
    if (expectedFiles?.every((file) => existsSync(join(outDir, file)))) return
    fail('the `solc` package is missing, so the contracts cannot be compiled. Run `pnpm install`.')
  }

  const hash = hashInputs({ sources, solcVersion })
  if (!process.argv.includes('--force') && isUpToDate(hash)) return

  const solc = require('solc')
  const input = { language: 'Solidity', sources, settings }
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }))

  const errors = (output.errors ?? []).filter((error) => error.severity === 'error')
  const warnings = (output.errors ?? []).filter((error) => error.severity !== 'error')
  for (const warning of warnings) process.stderr.write(`${warning.formattedMessage}\n`)
  if (errors.length > 0) {
    for (const error of errors) process.stderr.write(`${error.formattedMessage}\n`)
    fail(`compilation failed with ${errors.length} error(s).`)
  }

  const files = writeOutputs({ output, sources, solcVersion })
  writeAtomically(stampFile, `${JSON.stringify({ hash, files }, null, 2)}\n`)
  process.stdout.write(
    `@accesspoint/contracts: compiled ${files.length} contracts with solc ${solcVersion}\n`,
  )
}

/** Every .sol file under contracts/, keyed by a source unit name relative to the package. */
function readSources() {
  const sources = {}
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.sol')) {
        // Posix separators: the name ends up in the bytecode metadata, which must not depend on
        // the OS that compiled it.
        const name = relative(packageDir, path).split(sep).join('/')
        sources[name] = { content: readFileSync(path, 'utf8') }
      }
    }
  }
  walk(contractsDir)
  return sources
}

function byName(a, b) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** Resolves `@scope/package/path.sol` imports from node_modules, e.g. OpenZeppelin. */
function findImport(path) {
  const match = /^((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(path)
  if (!match) return { error: `Cannot resolve import "${path}": expected "<package>/<path>".` }
  const [, packageName, file] = match
  try {
    const packageJson = require.resolve(`${packageName}/package.json`)
    return { contents: readFileSync(join(packageJson, '..', file), 'utf8') }
  } catch (error) {
    return { error: `Cannot resolve import "${path}": ${error.message}` }
  }
}

function readPackageVersion(name) {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version
}

function hashInputs({ sources, solcVersion }) {
  const hash = createHash('sha256')
  // Imports are not read until solc runs, so their package version stands in for their content.
  const openzeppelin = readPackageVersion('@openzeppelin/contracts')
  hash.update(JSON.stringify({ solcVersion, openzeppelin, settings }))
  hash.update(readFileSync(fileURLToPath(import.meta.url)))
  for (const [name, { content }] of Object.entries(sources)) hash.update(`\0${name}\0${content}`)
  return hash.digest('hex')
}

function readStampFiles() {
  try {
    const { files } = JSON.parse(readFileSync(stampFile, 'utf8'))
    return Array.isArray(files) ? files : undefined
  } catch {
    return undefined
  }
}

function isUpToDate(hash) {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'))
    return stamp.hash === hash && stamp.files.every((file) => existsSync(join(outDir, file)))
  } catch {
    return false
  }
}

/** Writes one file per deployable contract of ours and removes outputs of deleted contracts. */
function writeOutputs({ output, sources, solcVersion }) {
  mkdirSync(outDir, { recursive: true })
  const files = []
  for (const sourceName of Object.keys(sources)) {
    for (const [contractName, contract] of Object.entries(output.contracts[sourceName] ?? {})) {
      const bytecode = contract.evm.bytecode.object
      // Interfaces and abstract contracts cannot be deployed; nothing to export.
      if (!bytecode) continue
      const file = `${contractName}.ts`
      if (files.includes(file)) fail(`two contracts are named ${contractName}.`)
      files.push(file)
      const name = camelCase(contractName)
      const text = [
        `// Generated by scripts/compile.mjs from ${sourceName} (solc ${solcVersion}). Do not edit.`,
        '',
        `export const ${name}Abi = ${JSON.stringify(contract.abi, null, 2)} as const`,
        '',
        `export const ${name}Bytecode: \`0x\${string}\` = '0x${bytecode}'`,
        '',
      ].join('\n')
      writeAtomically(join(outDir, file), text)
    }
  }
  for (const entry of readdirSync(outDir))
    if (entry.endsWith('.ts') && !files.includes(entry)) rmSync(join(outDir, entry))
  return files
}

// Several scripts (build, typecheck, test) may compile at once; a rename is atomic, so no reader
// ever sees a half-written file.
function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, text)
  renameSync(temporary, path)
}

/** `AccessPass` → `accessPass`, `MockUSDC` → `mockUsdc`, `TestERC1155` → `testErc1155`. */
function camelCase(name) {
  const words = name.match(/[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+/g) ?? [name]
  return words
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word[0].toUpperCase() + word.slice(1).toLowerCase(),
    )
    .join('')
}

function fail(message) {
  process.stderr.write(`@accesspoint/contracts: ${message}\n`)
  process.exit(1)
}
