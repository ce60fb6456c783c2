import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { callForForm } from '~/utils/api-errors.server'
import { requireAnonymous } from '~/utils/session.server'
import { safeRedirect } from '~/utils/safe-redirect'
import { PASSWORD_MIN_LENGTH } from '../../server/config-language/password-rule'
import { secret, text } from '~/utils/form-data'
import { AuthCard } from '~/components/auth-card'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Field } from '~/components/ui/field'

/** The inputs' labels: shown on the page and named in its error messages ("Company name must be …"). */
const LABELS = { name: 'Your name', email: 'Work email', password: 'Password', tenantName: 'Company name' }

export const meta: MetaFunction = () => [{ title: 'Create an account · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(context, request)
  return json({ passwordMinLength: PASSWORD_MIN_LENGTH })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const result = await callForForm(
    request,
    context,
    'register',
    (trpc) =>
      trpc.auth.register({
        name: text(form, 'name'),
        email: text(form, 'email'),
        password: secret(form, 'password'),
        tenantName: text(form, 'tenantName'),
      }),
    { labels: LABELS },
  )
  if (!result.ok) return result.response
  return redirect(safeRedirect(form.get('redirectTo')), { headers: context.resHeaders })
}

export default function RegisterPage() {
  const { passwordMinLength } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const submitting = navigation.state !== 'idle' && navigation.formAction === '/register'
  const errors = actionData?.fieldErrors
  const [searchParams] = useSearchParams()
  const redirectTo = searchParams.get('redirectTo') ?? ''
  return (
    <AuthCard
      title="Create your company account"
      subtitle="You become the admin of a new tenant and can invite your team."
      footer={
        <>
          Already have an account? <Link to={redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : '/login'}>Sign in</Link>
        </>
      }
    >
      {actionData && !actionData.ok ? <Alert>{actionData.message}</Alert> : null}
      <Form method="post">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label={LABELS.name} name="name" autoComplete="name" required autoFocus error={errors?.name} />
        <Field label={LABELS.email} name="email" type="email" autoComplete="email" required error={errors?.email} />
        <Field
          label={LABELS.password}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={passwordMinLength}
          hint={`At least ${passwordMinLength} characters.`}
          error={errors?.password}
        />
        <Field label={LABELS.tenantName} name="tenantName" autoComplete="organization" required minLength={2} error={errors?.tenantName} />
        <Button type="submit" className="btn--block" disabled={submitting}>
          {submitting ? 'Creating…' : 'Create account'}
        </Button>
      </Form>
    </AuthCard>
  )
}
