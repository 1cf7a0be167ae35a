import { useSpendHistory } from '@accesspoint/react'
import { useEffect, useId, useRef, useState } from 'react'
import { errorCode, errorMessage } from '../ui/errors'
import { formatCount, usd, usd6 } from '../ui/format'
import { Spinner } from '../ui/Spinner'

type Range = { bucket: 'hour' | 'day'; count: number; label: string }

const ranges: readonly Range[] = [
  { bucket: 'hour', count: 24, label: 'Last 24 hours' },
  { bucket: 'day', count: 30, label: 'Last 30 days' },
]

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: 'numeric' })
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const fullLabel = {
  hour: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
  day: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }),
}

// Geometry of the SVG in CSS pixels; the width follows the card's.
const height = 200
const top = 22
const bottom = 26
const left = 4
const right = 4

/**
 * Spend over time as a bar chart, drawn by hand in SVG: a charting library would add ~100 kB
 * (gzip: tens of kB) to the bundle for this one bar chart. The buckets come zero-filled, oldest
 * first, from `useSpendHistory`; amounts stay bigint micro-USD until they become bar heights.
 */
export function SpendChart() {
  const [range, setRange] = useState<Range>(ranges[0] as Range)
  const history = useSpendHistory({ bucket: range.bucket, count: range.count })
  const titleId = useId()
  const [frame, width] = useWidth(720)
  const buckets = history.data?.buckets ?? []
  let max = 0n
  for (const item of buckets) if (item.chargedMicroUsd > max) max = item.chargedMicroUsd
  const slot = (width - left - right) / Math.max(1, buckets.length)
  const barWidth = Math.max(2, slot * 0.7)
  const plot = height - top - bottom
  // A label every ~56 px at least, counted from the current bucket, which is always labelled.
  const labelEvery = Math.max(1, Math.ceil(56 / slot))
  const last = buckets.length - 1

  return (
    <section className="card spend" data-testid="spend-chart" data-bucket={range.bucket}>
      <div className="spend-head">
        <div>
          <h2 className="section-title" id={titleId}>
            Spend
          </h2>
          <p className="muted small">
            {history.data
              ? `${usd(history.data.totalMicroUsd)} over the ${range.label.toLowerCase()}`
              : range.label}
          </p>
        </div>
        <fieldset className="segmented">
          <legend className="visually-hidden">Period</legend>
          {ranges.map((item) => (
            <label key={item.bucket} className="segment">
              <input
                type="radio"
                name="spend-range"
                value={item.bucket}
                checked={item.bucket === range.bucket}
                onChange={() => setRange(item)}
              />
              <span>{item.bucket === 'hour' ? '24 h' : '30 days'}</span>
            </label>
          ))}
        </fieldset>
      </div>

      {history.error ? (
        <p className="error-text" role="alert" data-code={errorCode(history.error)}>
          {errorMessage(history.error)}
        </p>
      ) : !history.data ? (
        <div className="chart-placeholder">
          <Spinner size="sm" /> Loading…
        </div>
      ) : null}
      <div className="chart-frame" ref={frame}>
        {history.data ? (
          <svg
            className="chart"
            width={width}
            height={height}
            viewBox={`0 0 ${width} ${height}`}
            role="img"
            aria-labelledby={titleId}
          >
            <title>
              {`Spend per ${range.bucket}, ${range.label.toLowerCase()}: ${usd(history.data.totalMicroUsd)} in total`}
            </title>
            <line
              className="chart-axis"
              x1={left}
              x2={width - right}
              y1={height - bottom}
              y2={height - bottom}
            />
            {max > 0n ? (
              <>
                <line className="chart-grid" x1={left} x2={width - right} y1={top} y2={top} />
                <text className="chart-label" x={left} y={top - 7} textAnchor="start">
                  {usd6(max)}
                </text>
              </>
            ) : null}
            {buckets.map((item, index) => {
              // bigint ratio in basis points keeps money out of floating point until pixels.
              const share = max === 0n ? 0 : Number((item.chargedMicroUsd * 10_000n) / max) / 10_000
              const barHeight = item.chargedMicroUsd > 0n ? Math.max(2, share * plot) : 0
              const x = left + index * slot + (slot - barWidth) / 2
              const when = fullLabel[range.bucket].format(item.start)
              return (
                <g key={item.start.getTime()}>
                  <rect
                    className="chart-bar"
                    x={x}
                    y={height - bottom - barHeight}
                    width={barWidth}
                    height={barHeight}
                    rx={2}
                  >
                    <title>
                      {`${when}: ${usd6(item.chargedMicroUsd)}, ${formatCount(item.requests)} requests`}
                    </title>
                  </rect>
                  {(last - index) % labelEvery === 0 ? (
                    <text
                      className="chart-label"
                      x={index === last ? x + barWidth : x + barWidth / 2}
                      y={height - 8}
                      textAnchor={index === last ? 'end' : x < 20 ? 'start' : 'middle'}
                    >
                      {range.bucket === 'hour'
                        ? hourLabel.format(item.start)
                        : dayLabel.format(item.start)}
                    </text>
                  ) : null}
                </g>
              )
            })}
            {max === 0n ? (
              <text className="chart-empty" x={width / 2} y={(height - bottom) / 2}>
                No spend in this period yet
              </text>
            ) : null}
          </svg>
        ) : null}
      </div>
    </section>
  )
}

/** The element's content width in CSS pixels, kept up to date. */
function useWidth(initial: number) {
  const ref = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(initial)
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.floor(entry.contentRect.width)))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return [ref, width] as const
}
