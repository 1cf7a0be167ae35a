import { formatUsd } from '@accesspoint/core'

/** Money for people: exact micro-USD as dollars, never rounded ($49.999877, $0.01). */
export function usd(microUsd: bigint): string {
  return formatUsd(microUsd)
}

/** A request's cost, with all six decimals ($0.000123). */
export function usd6(microUsd: bigint): string {
  return formatUsd(microUsd, { minDecimals: 6 })
}

/** `0x7099…79C8` */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })
const integer = new Intl.NumberFormat()

export function formatDateTime(value: Date): string {
  return dateTime.format(value)
}

export function formatDate(value: Date): string {
  return date.format(value)
}

export function formatTime(value: Date): string {
  return time.format(value)
}

export function formatCount(value: number): string {
  return integer.format(value)
}

/** "in 3 days", "2 hours ago" */
export function formatRelative(value: Date, now = Date.now()): string {
  const seconds = Math.round((value.getTime() - now) / 1000)
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ]
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit)
  return format.format(seconds, 'second')
}
