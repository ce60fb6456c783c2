import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Inbox · Pulse-8' }]

export default function InboxPage() {
  return (
    <PlaceholderPage
      title="Inbox"
      description="Messages from email, chat, SMS and web forms."
      empty={
        <p>
          Incoming messages will appear here, threaded by conversation and matched to customers. New messages arrive live; reply, assign, or open a case from
          here.
        </p>
      }
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
