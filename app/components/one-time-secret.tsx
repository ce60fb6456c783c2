// A secret the server returns once (an API token, a tenant secret): shown with a copy button and
// the warning that it will not be shown again.
import { useState } from 'react'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'

export function OneTimeSecret({ message, secret, testId }: { message: string; secret: string; testId: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <Alert tone="success">
      <strong>{message}</strong> Copy it now: it will not be shown again.
      <div className="secret">
        <code data-testid={testId}>{secret}</code>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(() => setCopied(true))
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </Alert>
  )
}
