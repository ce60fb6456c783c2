// Shows the flash an action left for this page (app/utils/flash.server.ts) as a toast, once per
// flash. Its Undo posts the previous values to the record's edit action with the version the
// update produced: the server answers with a redirect and a new flash ("Change undone"), or with a
// conflict when someone changed the record meanwhile, which is said in a toast of its own.
import { useFetcher } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import type { Flash } from '~/utils/flash'
import { useToast } from '~/components/ui/toaster'

type UndoAnswer = { message?: string; conflict?: boolean }

export function FlashToasts({ flash }: { flash: Flash | null | undefined }) {
  const toast = useToast()
  const undo = useFetcher<UndoAnswer>()
  const submitUndo = undo.submit
  const shown = useRef<string | null>(null)

  useEffect(() => {
    if (!flash || shown.current === flash.id) return
    shown.current = flash.id
    const u = flash.undo
    toast({
      title: flash.title,
      description: flash.description,
      tone: 'success',
      // Long enough to notice and reach the Undo button (radix pauses while hovered or focused).
      duration: u ? 10_000 : 5_000,
      actions: u
        ? [
            {
              label: 'Undo',
              altText: 'Undo the change by editing the record again',
              onClick: () =>
                submitUndo({ values: u.values, expectedVersion: u.expectedVersion, undo: true } as never, {
                  method: 'post',
                  action: u.action,
                  encType: 'application/json',
                }),
            },
          ]
        : undefined,
    })
  }, [flash, toast, submitUndo])

  // A successful undo redirects (and flashes); only a refusal comes back as data.
  const answer = undo.state === 'idle' ? undo.data : undefined
  const reported = useRef<UndoAnswer | undefined>(undefined)
  useEffect(() => {
    if (!answer || reported.current === answer) return
    reported.current = answer
    toast({
      title: 'Could not undo',
      description: answer.conflict ? 'Someone changed this record meanwhile; open it to see the current values.' : (answer.message ?? 'Please try again.'),
      tone: 'error',
    })
  }, [answer, toast])

  return null
}
