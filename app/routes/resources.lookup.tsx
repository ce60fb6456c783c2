// Resource route: records matching a search, for lookup fields' comboboxes (GET /resources/lookup?entity=customer&q=…).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { lookupLoader } from '~/utils/record-routes.server'

export const loader = (args: LoaderFunctionArgs) => lookupLoader(args)
