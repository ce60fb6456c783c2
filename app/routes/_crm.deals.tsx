// /deals and everything below it: list, new, detail, edit (app/components/crm/record-pages.tsx).
import { Outlet } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/error-page'

export default function DealsLayout() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
