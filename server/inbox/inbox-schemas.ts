// The inbox's inputs, bounded to what their columns store (the router and the HTTP endpoint use
// the same schemas; an out-of-bound value is a BAD_REQUEST with zod issues, never a 500).
import { z } from 'zod'

export const CHANNELS = ['email', 'chat', 'sms', 'webform', 'api'] as const
export type Channel = (typeof CHANNELS)[number]
export const THREAD_STATUSES = ['open', 'pending', 'closed'] as const
export type ThreadStatus = (typeof THREAD_STATUSES)[number]

/** Largest text or sanitised HTML body kept (the endpoint's body limit is 1 MB in all). */
export const MAX_BODY_CHARS = 200_000
const id = z.string().min(1).max(100)
const externalRef = z.string().trim().min(1).max(500)

export const ingestInput = z.strictObject({
  externalId: externalRef,
  channel: z.enum(CHANNELS),
  from: z
    .strictObject({
      email: z.email().max(320).optional(),
      phone: z.string().trim().min(3).max(40).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      handle: z.string().trim().min(1).max(200).optional(),
    })
    .refine((f) => f.email || f.phone || f.handle, { message: 'Give the sender an email, a phone or a handle' }),
  to: z.union([z.string().max(500), z.array(z.string().max(500)).max(50)]).optional(),
  subject: z.string().max(500).optional(),
  text: z.string().max(MAX_BODY_CHARS),
  html: z.string().max(MAX_BODY_CHARS).optional(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  externalThreadId: externalRef.optional(),
  inReplyTo: externalRef.optional(),
  attachments: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(300),
        contentType: z.string().min(1).max(200),
        size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        url: z.url().max(2000),
      }),
    )
    .max(50)
    .optional(),
})
export type IngestInput = z.infer<typeof ingestInput>

export const listThreadsInput = z
  .strictObject({
    status: z.enum(THREAD_STATUSES).optional(),
    channel: z.enum(CHANNELS).optional(),
    /** `me`, `unassigned` or a member's user id. */
    assignee: id.optional(),
    customerId: id.optional(),
    caseId: id.optional(),
    search: z.string().max(200).optional(),
    cursor: z.string().max(400).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .optional()
export type ListThreadsInput = NonNullable<z.infer<typeof listThreadsInput>>

export const threadInput = z.strictObject({ threadId: id, cursor: z.string().max(400).optional() })
export const replyInput = z.strictObject({
  threadId: id,
  text: z.string().trim().min(1).max(MAX_BODY_CHARS),
  expectedVersion: z.number().int().min(1).max(2_147_483_647).optional(),
})
export const noteInput = z.strictObject({ threadId: id, text: z.string().trim().min(1).max(MAX_BODY_CHARS) })
export const assignInput = z.strictObject({ threadId: id, userId: id.nullable() })
export const setStatusInput = z.strictObject({ threadId: id, status: z.enum(THREAD_STATUSES) })
/** `values`: case fields beyond the prefilled subject and customer (validated by the case schema). */
export const openCaseInput = z.strictObject({ threadId: id, values: z.record(z.string().max(100), z.unknown()).optional() })
export const linkToCaseInput = z.strictObject({ threadId: id, caseId: id })
export const markReadInput = z.strictObject({ threadId: id })
