import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { BaseError, type ErrorCode } from '@accesspoint/core'
import { createSiweMessage } from '@accesspoint/core/siwe'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { decodeSuperjson } from './decodeSuperjson.js'

export type CreateAdminClientParameters = {
  /** The server, e.g. `http://127.0.0.1:8787`. */
  url: string
  /** Signs in (SIWE) as this key's address, which must be an admin of the server. */
  privateKey: Hex
}

export type AdminClient = {
  query<data>(path: string): Promise<data>
  mutation<data>(path: string, input?: unknown): Promise<data>
  /** Ends the session this client opened, if any. */
  close(): Promise<void>
}

export type CreateAdminClientReturnType = AdminClient

export type AdminRequestErrorType = AdminRequestError & { name: 'AdminRequestError' }

/** The server refused or could not answer an admin call; the message is the server's. */
export class AdminRequestError extends BaseError {
  constructor(message: string, { code, cause }: { code: ErrorCode; cause?: unknown }) {
    super(message, { code, cause, name: 'AdminRequestError' })
  }
}

type TrpcAnswer = {
  result?: { data: { json: unknown; meta?: { values?: Record<string, unknown> } } }
  error?: { json: { message: string; data?: { accessPointCode?: ErrorCode } } }
}

/**
 * Calls the server's admin procedures over plain HTTP, signed in with a wallet key, as the README
 * shows any client can. `node:http` rather than `fetch`: a settlement waiting for confirmations
 * can outlast fetch's 5-minute header timeout.
 */
export function createAdminClient({
  url,
  privateKey,
}: CreateAdminClientParameters): CreateAdminClientReturnType {
  const account = privateKeyToAccount(privateKey)
  let token: Promise<string> | undefined

  const call = async <data>(
    path: string,
    { input, method, bearer }: { input?: unknown; method: 'GET' | 'POST'; bearer?: string },
  ): Promise<data> => {
    const target = new URL(`${url}/trpc/${path}`)
    if (method === 'GET' && input !== undefined)
      target.searchParams.set('input', JSON.stringify({ json: input }))
    const body = method === 'POST' ? JSON.stringify({ json: input ?? null }) : undefined
    const text = await send(target, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(bearer && { authorization: `Bearer ${bearer}` }),
      },
      body,
    })
    let answer: TrpcAnswer
    try {
      answer = JSON.parse(text) as TrpcAnswer
    } catch (cause) {
      throw new AdminRequestError(
        `${url} answered ${path} with something other than AccessPoint's API; check HOST and PORT.`,
        { code: 'SERVICE_UNAVAILABLE', cause },
      )
    }
    if (answer.error)
      throw new AdminRequestError(answer.error.json.message, {
        code: answer.error.json.data?.accessPointCode ?? 'INTERNAL',
      })
    return decodeSuperjson(answer.result?.data ?? { json: undefined }) as data
  }

  const signIn = async () => {
    const nonce = await call<{ nonce: string; domain: string; uri: string; chainIds: number[] }>(
      'auth.nonce',
      { method: 'POST' },
    )
    const message = createSiweMessage({
      domain: nonce.domain,
      uri: nonce.uri,
      nonce: nonce.nonce,
      address: account.address,
      version: '1',
      chainId: nonce.chainIds[0] ?? 31337,
      statement: 'Settle AccessPoint charges (pnpm settle).',
      issuedAt: new Date().toISOString(),
    })
    const { token } = await call<{ token: string }>('auth.signIn', {
      method: 'POST',
      input: { message, signature: await account.signMessage({ message }) },
    })
    return token
  }
  const session = () => {
    token ??= signIn()
    return token
  }

  return {
    async query(path) {
      return call(path, { method: 'GET', bearer: await session() })
    },
    async mutation(path, input) {
      return call(path, { method: 'POST', input, bearer: await session() })
    },
    async close() {
      if (!token) return
      const bearer = await token.catch(() => undefined)
      if (bearer) await call('auth.signOut', { method: 'POST', bearer }).catch(() => {})
    },
  }
}

function send(
  url: URL,
  {
    method,
    headers,
    body,
  }: { method: string; headers: Record<string, string>; body?: string | undefined },
): Promise<string> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        text += chunk
      })
      response.on('end', () => resolve(text))
      response.on('error', reject)
    })
    outgoing.on('error', (cause: NodeJS.ErrnoException) =>
      reject(
        new AdminRequestError(
          `Cannot reach the AccessPoint server at ${url.origin} (${cause.code ?? cause.message}). Is \`pnpm dev\` running with the same HOST and PORT?`,
          { code: 'SERVICE_UNAVAILABLE', cause },
        ),
      ),
    )
    if (body !== undefined) outgoing.end(body)
    else outgoing.end()
  })
}
