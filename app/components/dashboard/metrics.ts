// What `dashboard.metrics` answers, as the dashboard's components read it.
import type { RouterOutputs } from '../../../server/app-router'

export type Metrics = RouterOutputs['dashboard']['metrics']
