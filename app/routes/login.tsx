import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { callForForm } from '~/utils/api-errors.server'
import { requireAnonymous } from '~/utils/session.server'
import { safeRedirect } from '~/utils/safe-redirect'
import { secret, text } from '~/utils/form-data'
import { AuthCard } from '~/components/auth-card'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Field } from '~/components/ui/field'

export const meta: MetaFunction = () => [{ title: 'Sign in · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(context, request)
  return json(null)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const result = await callForForm(
    request,
    context,
    'login',
    (trpc) => trpc.auth.login({ email: text(form, 'email'), password: secret(form, 'password') }),
    // Here UNAUTHORIZED is the answer to the form ("Invalid email or password"), not a lost session.
    { unauthorized: 'form' },
  )
  if (!result.ok) return result.response
  return redirect(safeRedirect(form.get('redirectTo')), { headers: context.resHeaders })
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const submitting = navigation.state !== 'idle' && navigation.formAction === '/login'
  const redirectTo = searchParams.get('redirectTo') ?? ''
  const registerHref = redirectTo ? `/register?${new URLSearchParams({ redirectTo })}` : '/register'
  return (
    <AuthCard
      title="Sign in"
      subtitle="Welcome back. Sign in to your workspace."
      footer={
        <>
          New to Pulse-8? <Link to={registerHref}>Create a company account</Link>
        </>
      }
    >
      {actionData && !actionData.ok ? <Alert>{actionData.message}</Alert> : null}
      <Form method="post" replace>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus error={actionData?.fieldErrors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={actionData?.fieldErrors.password} />
        <Button type="submit" className="btn--block" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </Button>
      </Form>
    </AuthCard>
  )
}
