import type { Span } from '@opentelemetry/api'
import type { Access } from '../access/types.js'

/** The `accesspoint.roles` span's attributes: the roles the wallet holds and how many passes. */
export function describeAccess(span: Span, access: Access): void {
  span.setAttribute('accesspoint.roles', access.roles)
  span.setAttribute('accesspoint.passes', access.passes.length)
}
