import type { UsageRow } from '@accesspoint/client'
import { useUsage } from '@accesspoint/react'
import { errorCode, errorMessage } from '../ui/errors'
import { formatCount, formatDateTime, usd, usd6 } from '../ui/format'
import { Notice } from '../ui/Notice'
import { Spinner } from '../ui/Spinner'
import { SpendChart } from './SpendChart'

const statusLabels: Record<UsageRow['status'], string> = {
  HELD: 'In progress',
  CHARGED: 'Charged',
  RELEASED: 'Released',
}

/** The wallet's requests and charges, newest first, a page at a time, and spend over time. */
export function UsagePage() {
  const usage = useUsage({ limit: 20 })
  const rows = usage.data?.pages.flatMap((page) => page.items) ?? []
  const totals = usage.data?.pages[0]?.totals

  return (
    <div className="stack">
      <div className="stats">
        <div className="card stat">
          <p className="eyebrow">Total charged</p>
          <p
            className="stat-value"
            data-testid="usage-total"
            data-micro-usd={totals?.chargedMicroUsd.toString()}
          >
            {totals ? usd(totals.chargedMicroUsd) : '—'}
          </p>
        </div>
        <div className="card stat">
          <p className="eyebrow">Requests</p>
          <p className="stat-value">{totals ? formatCount(totals.count) : '—'}</p>
        </div>
        <div className="card stat">
          <p className="eyebrow">Charged requests</p>
          <p className="stat-value">{totals ? formatCount(totals.chargedCount) : '—'}</p>
        </div>
      </div>

      <SpendChart />

      <section className="card">
        <div className="section-head">
          <h2 className="section-title">Requests</h2>
          {usage.isFetching && !usage.isFetchingNextPage ? <Spinner size="sm" /> : null}
        </div>
        {usage.error ? (
          <Notice
            tone="danger"
            title="Could not load usage"
            code={errorCode(usage.error)}
            actions={
              <button type="button" className="btn" onClick={() => void usage.refetch()}>
                Try again
              </button>
            }
          >
            {errorMessage(usage.error)}
          </Notice>
        ) : usage.isPending ? (
          <p className="muted">
            <Spinner size="sm" /> Loading usage…
          </p>
        ) : rows.length === 0 ? (
          <p className="muted empty-state">
            No requests yet. Ask something in the chat; each request shows up here with what it
            cost.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table usage-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Tokens in / out
                  </th>
                  <th scope="col" className="num">
                    Charge
                  </th>
                  <th scope="col">Settled</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={row.requestId}
                    data-testid="usage-row"
                    data-request-id={row.requestId}
                    data-charge-micro-usd={(row.chargeMicroUsd ?? 0n).toString()}
                  >
                    <td data-label="Time">{formatDateTime(row.createdAt)}</td>
                    <td data-label="Model">
                      <span>
                        <span className="mono">{row.model}</span>
                        {row.stream ? <span className="tag">stream</span> : null}
                        {row.aborted ? <span className="tag">stopped</span> : null}
                      </span>
                    </td>
                    <td data-label="Status">
                      <span className={`status status-${row.status.toLowerCase()}`}>
                        {statusLabels[row.status]}
                      </span>
                    </td>
                    <td data-label="Tokens" className="num">
                      {row.inputTokens === null ? '—' : formatCount(row.inputTokens)} /{' '}
                      {row.outputTokens === null ? '—' : formatCount(row.outputTokens)}
                    </td>
                    <td data-label="Charge" className="num">
                      {row.chargeMicroUsd === null ? (
                        <span className="muted">hold {usd6(row.holdMicroUsd)}</span>
                      ) : (
                        usd6(row.chargeMicroUsd)
                      )}
                    </td>
                    <td data-label="Settled">
                      {row.settled ? (
                        <span className="status status-charged">On-chain</span>
                      ) : (
                        <span className="muted">Pending</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {usage.hasNextPage ? (
          <div className="load-more">
            <button
              type="button"
              className="btn"
              data-testid="usage-load-more"
              disabled={usage.isFetchingNextPage}
              onClick={() => void usage.fetchNextPage()}
            >
              {usage.isFetchingNextPage ? <Spinner size="sm" /> : null}
              Load more
            </button>
          </div>
        ) : null}
        <p className="muted small">
          Charges are deducted from your pass on-chain once a day, in batches; until then they are
          pending and already count against your available balance.
        </p>
      </section>
    </div>
  )
}
