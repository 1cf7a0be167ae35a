import { useEffect, useSyncExternalStore } from 'react'

export const routes = ['chat', 'usage', 'keys'] as const
export type Route = (typeof routes)[number]

/** `#/usage` -> 'usage'; anything else is the chat. */
function readRoute(): Route {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return routes.find((route) => route === name) ?? 'chat'
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The page in the URL hash (`#/chat`, `#/usage`, `#/keys`), so a reload stays on it. */
export function useRoute(): Route {
  const route = useSyncExternalStore(subscribe, readRoute)
  // A new page starts at its top, not where the last one was scrolled to.
  useEffect(() => {
    if (route) window.scrollTo({ top: 0 })
  }, [route])
  return route
}

export function routeHref(route: Route): string {
  return `#/${route}`
}
