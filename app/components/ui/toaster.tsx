// The app's one toast system (radix Toast): a provider in the shell (AppShell) and `useToast()` to
// show one from anywhere below it. Radix announces each toast to screen readers, pauses its timer
// while hovered or focused, and F8 moves focus to the toasts. Outside a shell (e.g. the Studio's
// form preview) `useToast()` is a no-op.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { Toast } from 'radix-ui'

export type ToastAction = {
  label: string
  /** What a screen reader user does instead (radix announces it with the toast). */
  altText: string
  onClick: () => void
  /** Keep the toast open after the click (e.g. "Copy value"); closes it by default. */
  keepOpen?: boolean
}

export type ToastInput = {
  title: string
  description?: ReactNode
  tone?: 'success' | 'info' | 'warning' | 'error'
  /** Milliseconds; `Infinity` stays until dismissed. */
  duration?: number
  actions?: ToastAction[]
}

type Shown = ToastInput & { key: number }

const ShowToast = createContext<(toast: ToastInput) => void>(() => undefined)

export function useToast(): (toast: ToastInput) => void {
  return useContext(ShowToast)
}

let nextKey = 1

export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Shown[]>([])
  const show = useCallback((toast: ToastInput) => setToasts((list) => [...list.slice(-3), { ...toast, key: nextKey++ }]), [])
  const remove = (key: number) => setToasts((list) => list.filter((t) => t.key !== key))
  const value = useMemo(() => show, [show])
  return (
    <ShowToast.Provider value={value}>
      <Toast.Provider duration={6_000} label="Notification">
        {children}
        {toasts.map((t) => (
          <Toast.Root
            key={t.key}
            className={`toast toast--${t.tone ?? 'info'}`}
            duration={t.duration}
            type={t.tone === 'error' || t.tone === 'warning' ? 'foreground' : 'background'}
            defaultOpen
            onOpenChange={(open) => !open && remove(t.key)}
            data-testid="toast"
          >
            <Toast.Title className="toast__title">{t.title}</Toast.Title>
            {t.description ? <Toast.Description className="toast__text">{t.description}</Toast.Description> : null}
            {t.actions?.length ? (
              <div className="toast__actions">
                {t.actions.map((a) =>
                  a.keepOpen ? (
                    <button key={a.label} type="button" className="btn btn--secondary btn--sm" onClick={a.onClick}>
                      {a.label}
                    </button>
                  ) : (
                    <Toast.Action key={a.label} altText={a.altText} className="btn btn--secondary btn--sm" onClick={a.onClick}>
                      {a.label}
                    </Toast.Action>
                  ),
                )}
              </div>
            ) : null}
            <Toast.Close className="toast__close" aria-label="Dismiss">
              ×
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" />
      </Toast.Provider>
    </ShowToast.Provider>
  )
}
