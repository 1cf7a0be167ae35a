import type { ErrorCode } from '@accesspoint/core'
import { TRPCClientError } from '@trpc/client'
import { expect } from 'vitest'

/** Awaits a tRPC call that must fail with our stable `code` (and its HTTP status). */
export async function expectError(
  call: Promise<unknown>,
  code: ErrorCode,
  status?: number,
): Promise<TRPCClientError<never>> {
  const error = await call.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(error, `expected ${code}`).toBeInstanceOf(TRPCClientError)
  const data = (error as TRPCClientError<never>).data as unknown as {
    accessPointCode?: string
    httpStatus?: number
  }
  expect({ code: data.accessPointCode, message: (error as Error).message }).toMatchObject({ code })
  if (status !== undefined) expect(data.httpStatus).toBe(status)
  // What users see: one sentence, without the docs and version lines meant for logs.
  expect((error as Error).message).not.toMatch(/Docs:|Version:/)
  return error as TRPCClientError<never>
}
