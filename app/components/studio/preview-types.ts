import type { LookupLabels, RecordRow } from '~/components/crm/entities'

/** What the view preview endpoint (app/routes/studio.preview.view.ts) answers. */
export type ViewPreviewData =
  | { ok: true; rows: RecordRow[]; total: number; totalIsEstimate: boolean; nextCursor: string | null; lookupLabels: LookupLabels }
  | { ok: false; message: string; issues: Array<{ path: (string | number)[]; message: string }> }

export const VIEW_PREVIEW_PATH = '/studio/preview/view'
