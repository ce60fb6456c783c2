import { TRPCError } from '@trpc/server'
import { expect } from 'vitest'

/** Awaits `promise`, expects it to fail with a TRPCError of `code`, and returns the error. */
export async function expectTRPCError(promise: Promise<unknown>, code: TRPCError['code']): Promise<TRPCError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err, `expected ${code}, got success`).toBeInstanceOf(TRPCError)
  expect((err as TRPCError).code).toBe(code)
  return err as TRPCError
}
