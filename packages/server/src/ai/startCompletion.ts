import { calculateRequestCost } from '@accesspoint/core'
import type { Span } from '@opentelemetry/api'
import type { Access } from '../access/types.js'
import { ForbiddenRoleError } from '../auth/errors.js'
import type { Principal } from '../auth/types.js'
import { countInputTokensUpperBound } from '../billing/countInputTokensUpperBound.js'
import type { CaptureParameters, LedgerWriter } from '../billing/createLedgerWriter.js'
import {
  BillingUnavailableError,
  CostCapExceededError,
  InsufficientBalanceError,
  PaymentFailedError,
} from '../billing/errors.js'
import {
  type EstimateWorstCaseReturnType,
  estimateWorstCase,
} from '../billing/estimateWorstCase.js'
import { getBalance } from '../billing/getBalance.js'
import type { RequestScope } from '../http/getRequestScope.js'
import { instrumentProviderStream } from '../metrics/instrumentProviderStream.js'
import type { ResolvedModel } from '../providers/createProviderRegistry.js'
import type { ChatMessage } from '../providers/types.js'
import { traceProviderStream } from '../tracing/traceProviderStream.js'
import { withSpan } from '../tracing/withSpan.js'
import type { Services } from '../trpc/context.js'
import { createGeneration, type Generation } from './createGeneration.js'
import { type ProviderCall, startProviderCall } from './startProviderCall.js'

export type StartCompletionParameters = {
  services: Services
  principal: Principal
  wallet: Access
  /** Unique per request; the ledger's key, so one request id is never charged twice. */
  requestId: string
  model: string
  messages: readonly ChatMessage[]
  /** Longest answer wanted; clamped to what the cap and the balance allow. */
  maxTokens?: number | undefined
  temperature?: number | undefined
  /** Which of the wallet's passes pays (sessions); an API key always bills its own pass. */
  passTokenId?: bigint | undefined
  stream: boolean
  /**
   * The HTTP request's scope: provider time for its overhead header, the pass for its logs, and
   * its trace, under which the hold, provider, capture (or release) spans start.
   */
  scope?:
    | (Pick<RequestScope, 'enterProvider' | 'bindLog'> & Partial<Pick<RequestScope, 'trace'>>)
    | undefined
}

export type StartCompletionReturnType = Generation

/**
 * Admits one AI request and starts it: the model must exist and be allowed to the caller's roles,
 * its worst-case cost (input upper bound + `maxTokens` of output) must fit under the per-request
 * cap and the pass's available balance (`maxTokens` is clamped to fit), and the hold is placed
 * atomically before the provider is called. The generation then runs to its end; its charge
 * (the provider's reported usage, at the price the hold used) is committed before the final
 * event is released to anyone, and a provider failure releases the hold without a charge.
 * With tracing on, the admission is the `accesspoint.hold` span, the call `accesspoint.provider`
 * and the charge `accesspoint.capture` (a failure's release: `accesspoint.release`).
 */
export async function startCompletion(
  parameters: StartCompletionParameters,
): Promise<StartCompletionReturnType> {
  const { services, principal, requestId, model, messages, temperature, stream, scope } = parameters
  const { ledger, generations, metrics } = services
  const trace = scope?.trace
  const startCall = (resolved: ResolvedModel, maxTokens: number) =>
    startProviderCall({
      open: (signal) =>
        instrumentProviderStream({
          events: traceProviderStream({
            parent: trace,
            events: resolved.provider.stream({
              model: resolved.providerModel,
              messages,
              maxTokens,
              temperature,
              signal,
            }),
            provider: resolved.model.provider,
            model,
            stream,
          }),
          metrics,
          provider: resolved.model.provider,
          model,
          enter: scope?.enterProvider,
        }),
    })
  const { price, call } = await withSpan(trace, 'accesspoint.hold', admitCompletion, {
    ...parameters,
    startCall,
  })

  const generation = createGeneration({
    requestId,
    events: call.events,
    async finish({ usage, finishReason }) {
      // The ledger caps a charge at its hold: a provider reporting more than `max_tokens` allows
      // is its error, not the user's. A hold that expired and was released charges nothing.
      const { chargeMicroUsd } = await withSpan(trace, 'accesspoint.capture', capture, {
        ledger,
        capture: {
          requestId,
          chargeMicroUsd: calculateRequestCost({ usage, price }).totalMicroUsd,
          usage,
          aborted: finishReason === 'abort',
          finishReason,
        },
      })
      return {
        type: 'done',
        requestId,
        model,
        finishReason,
        usage,
        costMicroUsd: chargeMicroUsd ?? 0n,
      }
    },
    async fail(error) {
      // No usage report, no charge: we never bill an estimate.
      await withSpan(trace, 'accesspoint.release', release, { ledger, requestId })
      return error
    },
  })
  generations.add(generation, principal.walletAddress)
  return generation
}

/**
 * The model and its roles, the paying pass, its balance, the worst case and the hold, and the
 * provider call started (`startCall`): the `accesspoint.hold` span (attributes: the pass, the
 * held micro-USD as a string, the ledger's request id).
 */
async function admitCompletion(
  {
    services,
    principal,
    wallet,
    requestId,
    model,
    messages,
    maxTokens,
    passTokenId,
    stream,
    scope,
    startCall,
  }: StartCompletionParameters & {
    startCall: (resolved: ResolvedModel, maxTokens: number) => ProviderCall
  },
  span?: Span,
) {
  const { database, providers, prices, passes, holds, ai, metrics } = services
  span?.setAttribute('accesspoint.ledger.request_id', requestId)
  const resolved = providers.resolve(model)
  if (resolved.roles && !resolved.roles.some((role) => wallet.roles.includes(role)))
    throw new ForbiddenRoleError(
      `The model ${model} needs the ${resolved.roles.join(' or ')} role.`,
      {
        requiredRoles: resolved.roles,
      },
    )

  const pass = choosePass(principal, wallet, passTokenId)
  scope?.bindLog({ passTokenId: String(pass.tokenId) })
  const passId = await passes.idOf({ ...pass, owner: wallet.address })
  span?.setAttribute('accesspoint.pass.id', passId)
  span?.setAttribute('accesspoint.pass.token_id', String(pass.tokenId))
  const price = await prices.get(model)
  // Every admission is counted, refusals by reason, so a dashboard shows why passes are refused.
  const call = await admit().then(
    (admitted) => {
      metrics.holds.inc({ outcome: 'admitted' })
      return admitted
    },
    (error: unknown) => {
      metrics.holds.inc({ outcome: holdOutcome(error) })
      throw error
    },
  )
  return { price, call }

  async function admit(): Promise<ProviderCall> {
    // The pass as the last batch saw it sizes the hold without a read, when the request fits
    // unclamped by it. The hint can be stale (another instance's holds), so a refusal decides
    // again from a fresh read, which may clamp `max_tokens` instead of refusing.
    //
    // A request that fits by the hint starts its provider call while its hold commits, so the
    // commit is hidden behind the provider's own time to first token; nothing reaches the
    // client before the commit (the generation is made after it), and a refused hold aborts the
    // call. The price of a refusal there (a stale hint, an outage) is a provider call stopped at
    // once, paid by us, never the user; a pass the hint shows short does not speculate.
    const hint = holds.lastUsage(passId)
    let hinted: EstimateWorstCaseReturnType | undefined
    try {
      hinted =
        hint &&
        estimate(pass.creditMicroUsd - hint.pendingMicroUsd - hint.heldMicroUsd - hint.debtMicroUsd)
    } catch {
      // Refused by the hint: the fresh read below decides, with the right numbers.
    }
    if (hinted && !hinted.clamped) {
      const call = startCall(resolved, hinted.maxTokens)
      const admitted = await place(hinted).then(
        () => true,
        (error: unknown) => {
          call.abort(error)
          if (error instanceof InsufficientBalanceError) return false
          throw error
        },
      )
      if (admitted) return call
    }
    const balance = await getBalance({ database, passId, creditMicroUsd: pass.creditMicroUsd })
    // A suspended pass shows nothing available; say why, and what to deposit, instead.
    if (balance.suspended)
      throw new PaymentFailedError({
        debtMicroUsd: balance.debtMicroUsd,
        amountDueMicroUsd: balance.amountDueMicroUsd,
        tokenId: pass.tokenId,
      })
    const worstCase = estimate(balance.availableMicroUsd)
    await place(worstCase)
    return startCall(resolved, worstCase.maxTokens)
  }

  function estimate(availableMicroUsd: bigint) {
    return estimateWorstCase({
      price,
      inputTokensUpperBound: countInputTokensUpperBound(messages),
      maxTokens: maxTokens ?? ai.defaultMaxTokens,
      capMicroUsd: ai.capMicroUsd,
      availableMicroUsd,
      passTokenId: pass.tokenId,
    })
  }

  async function place(worstCase: EstimateWorstCaseReturnType) {
    span?.setAttribute('accesspoint.hold.micro_usd', String(worstCase.holdMicroUsd))
    await holds
      .place({
        requestId,
        walletAddress: principal.walletAddress,
        pass: { id: passId, creditMicroUsd: pass.creditMicroUsd, tokenId: pass.tokenId },
        model,
        priceId: price.id,
        holdMicroUsd: worstCase.holdMicroUsd,
        holdTtlMs: ai.holdTtlMs,
        sessionId: principal.kind === 'session' ? principal.sessionId : undefined,
        apiKeyId: principal.kind === 'apiKey' ? principal.apiKeyId : undefined,
        stream,
      })
      .catch((error: unknown) => {
        // The connection can drop after the hold committed but before we heard so: the request
        // is refused, so its hold must not stay open until it expires. Releasing a request id
        // that has no entry changes nothing, and the writer retries until the database is back.
        if (error instanceof BillingUnavailableError)
          services.ledger.release({ requestId }).catch(() => {})
        throw error
      })
  }
}

/** The `accesspoint.capture` span: the charge, committed with its batch. */
async function capture(
  { ledger, capture }: { ledger: Pick<LedgerWriter, 'capture'>; capture: CaptureParameters },
  span?: Span,
) {
  span?.setAttribute('accesspoint.ledger.request_id', capture.requestId)
  const result = await ledger.capture(capture)
  span?.setAttribute('accesspoint.charge.micro_usd', String(result.chargeMicroUsd ?? 0n))
  return result
}

/** The `accesspoint.release` span: a failed call's hold released without a charge. */
function release(
  { ledger, requestId }: { ledger: Pick<LedgerWriter, 'release'>; requestId: string },
  span?: Span,
) {
  span?.setAttribute('accesspoint.ledger.request_id', requestId)
  return ledger.release({ requestId })
}

function holdOutcome(error: unknown): string {
  if (error instanceof InsufficientBalanceError) return 'insufficient_balance'
  if (error instanceof CostCapExceededError) return 'cost_cap'
  if (error instanceof PaymentFailedError) return 'payment_failed'
  return 'error'
}

function choosePass(principal: Principal, wallet: Access, passTokenId: bigint | undefined) {
  const wanted =
    principal.kind === 'apiKey' && principal.pass ? principal.pass.tokenId : passTokenId
  const pass =
    wanted === undefined ? wallet.passes[0] : wallet.passes.find((held) => held.tokenId === wanted)
  if (!pass)
    throw new ForbiddenRoleError(
      wanted === undefined
        ? 'This wallet holds no AccessPass to bill the request to. Get a pass, then try again.'
        : `This wallet does not hold pass #${wanted}.`,
    )
  return pass
}
