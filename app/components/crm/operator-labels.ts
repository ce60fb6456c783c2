// The words an operator reads as in a condition ("Stage is Won", "Amount at least 1000"), shared by
// the CRM's filter chips and the Studio's condition editor.
import type { Operator } from '../../../server/config-language'

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: 'is',
  neq: 'is not',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  in: 'is any of',
  notIn: 'is none of',
  contains: 'contains',
  startsWith: 'starts with',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
  changed: 'changed',
  changedTo: 'changed to',
  changedFrom: 'changed from',
}
