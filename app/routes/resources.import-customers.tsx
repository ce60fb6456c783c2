// Resource route: one chunk of a CSV import (POST JSON { rows, mapping, dryRun }) → customers.importRows.
import type { ActionFunctionArgs } from '@remix-run/node'
import { importCustomersAction } from '~/utils/record-routes.server'

export const action = (args: ActionFunctionArgs) => importCustomersAction(args)
