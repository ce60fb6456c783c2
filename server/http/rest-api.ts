// The REST surface (docs/decisions/023-platform.md): the procedures whose meta names a route
// (`openapi: { method, path }`) answer `METHOD /api/v1<path>` (and the seed's `/api<path>` as an
// alias), described by GET /api/openapi.json and rendered at /api/docs. No second API: each route
// calls its procedure through the same caller as tRPC, so tenancy, permissions, token scopes,
// input checks and error mapping are the procedure's own.
//
// trpc-to-openapi reads routes from a *view* of the router made here, for two reasons:
// - it documents a procedure only when it has an output parser, and our procedures have none
//   (their output types come from inference; an `.output()` would replace them). The view gives
//   each one a documented "JSON of the procedure's result".
// - a query string carries text: the view declares a GET's non-text inputs (filter, sort, numbers)
//   as JSON-encoded strings, and its caller decodes them before calling the procedure.
// - it loosens the schemas it is given (coercion on number fields): the view's schemas are copies
//   for documentation, never the procedures' own, which alone check the input.
import type { IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import express, { type Router as ExpressRouter } from 'express'
import { TRPCError, type AnyTRPCProcedure } from '@trpc/server'
import { z } from 'zod'
import { createOpenApiNodeHttpHandler, generateOpenApiDocument, instanceofZodTypeLikeString, type OpenApiRouter } from 'trpc-to-openapi'
import type { AppRouter } from '../app-router'
import { badRequest } from '../trpc/bad-request'
import { createCallerFactory, type Meta } from '../trpc/init'
import { createRequestContext, type Services } from '../trpc/context'
import { requestIdOf } from './request-log'

export const REST_PREFIX = '/api/v1'

type Decode = (input: Record<string, unknown> | undefined) => Record<string, unknown> | undefined
type Route = { procedure: string; decode: Decode }

const RESULT = z.unknown().meta({ description: "The procedure's result as JSON (dates as ISO strings); docs/api.md describes each" })

/** The router as trpc-to-openapi sees it, and how each route's query input is decoded. */
function restView(router: AppRouter) {
  const procedures: Record<string, { _def: AnyTRPCProcedure['_def'] }> = {}
  const routes: Route[] = []
  for (const [name, procedure] of Object.entries(router._def.procedures as unknown as Record<string, AnyTRPCProcedure>)) {
    const meta = procedure._def.meta as Meta | undefined
    if (!meta?.openapi || procedure._def.type === 'subscription') continue
    const input = procedure._def.inputs[0] as z.ZodType | undefined
    const { schema, jsonKeys } = restInput(input, meta.openapi.method === 'GET' || meta.openapi.method === 'DELETE')
    procedures[name] = { _def: { ...procedure._def, inputs: schema ? [schema] : [], output: RESULT } as unknown as AnyTRPCProcedure['_def'] }
    routes.push({ procedure: name, decode: jsonKeys.length ? decodeJsonKeys(jsonKeys) : (input) => input })
  }
  return { procedures, routes }
}

/**
 * The input as trpc-to-openapi sees it. Text fields stay as they are (path parameters must be
 * text). A GET's or DELETE's other fields (numbers, filter objects, sort lists) are JSON-encoded
 * query strings, documented with the JSON Schema they must decode to. A body's other fields are
 * documented by their JSON Schema on a fresh `unknown`: the library sets `coerce` on the number
 * schemas it is given, and must never reach (and loosen) the procedures' own.
 */
function restInput(input: z.ZodType | undefined, inQuery: boolean): { schema: z.ZodType | undefined; jsonKeys: string[] } {
  if (!input) return { schema: undefined, jsonKeys: [] }
  const optional = input.safeParse(undefined).success
  const object = (input instanceof z.ZodOptional ? input.unwrap() : input) as z.ZodObject
  const jsonKeys: string[] = []
  const shape: Record<string, z.ZodType> = {}
  for (const [key, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
    if (instanceofZodTypeLikeString(field)) {
      shape[key] = field
      continue
    }
    const { $schema: _, ...wanted } = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' })
    let documented: z.ZodType
    if (inQuery) {
      jsonKeys.push(key)
      documented = z.string().meta({ description: `JSON-encoded: ${Object.keys(wanted).length ? JSON.stringify(wanted) : 'any JSON value (docs/api.md)'}` })
    } else {
      documented = z.unknown().meta(wanted)
    }
    shape[key] = field.safeParse(undefined).success ? documented.optional() : documented
  }
  const schema = z.strictObject(shape)
  return { schema: optional ? schema.optional() : schema, jsonKeys }
}

function decodeJsonKeys(keys: string[]): Decode {
  return (input) => {
    if (!input) return input
    const decoded: Record<string, unknown> = { ...input }
    for (const key of keys) {
      const text = input[key]
      if (typeof text !== 'string') continue
      try {
        decoded[key] = JSON.parse(text)
      } catch {
        throw badRequest([{ path: [key], message: 'Expected JSON (e.g. a number, or an object encoded with JSON.stringify)' }])
      }
    }
    return decoded
  }
}

let cachedDocument: ReturnType<typeof generateOpenApiDocument> | undefined

/** The OpenAPI 3.1 document of the REST surface (made once per process: the routes are static). */
export function openApiDocument(router: AppRouter): ReturnType<typeof generateOpenApiDocument> {
  cachedDocument ??= generateOpenApiDocument(asOpenApiRouter(router, restView(router).procedures), {
    title: 'Pulse-8 REST API',
    description:
      'The REST form of the Pulse-8 procedures (the same code as the tRPC API: docs/api.md). Send an API token as `Authorization: Bearer p8_…`. ' +
      'GET query parameters that are not plain text (numbers, `filter`, `sort`) are JSON-encoded. Errors: `{message, code, data}` with the HTTP status of the code.',
    version: '1',
    baseUrl: REST_PREFIX,
    tags: ['Customers', 'Deals', 'Cases', 'Config'],
  })
  return cachedDocument
}

function asOpenApiRouter(
  router: AppRouter,
  procedures: Record<string, { _def: AnyTRPCProcedure['_def'] }>,
  createCaller?: (ctx: unknown) => unknown,
): OpenApiRouter {
  return { ...router, _def: { ...router._def, procedures }, ...(createCaller && { createCaller }) } as unknown as OpenApiRouter
}

/** Express routes: the REST surface at /api/v1 and /api, the document and the reference page. */
export function restRoutes(services: Services, router: AppRouter, opts: { maxBodyBytes: number }): ExpressRouter {
  const { procedures, routes } = restView(router)
  const createCaller = createCallerFactory(router)
  // The handler calls `router.createCaller(ctx)` and walks the procedure's path: give it, per
  // request, a tree whose leaves decode the query's JSON and call the real procedure.
  const restCaller = (ctx: unknown) => {
    const caller = createCaller(ctx as Parameters<typeof createCaller>[0]) as unknown as Record<string, Record<string, (input: unknown) => unknown>>
    const tree: Record<string, Record<string, (input: Record<string, unknown> | undefined) => unknown>> = {}
    for (const { procedure, decode } of routes) {
      const [domain, name] = procedure.split('.') as [string, string]
      ;(tree[domain] ??= {})[name] = (input) => caller[domain]![name]!(decode(input))
    }
    return tree
  }
  const handler = createOpenApiNodeHttpHandler({
    router: asOpenApiRouter(router, procedures, restCaller),
    maxBodySize: opts.maxBodyBytes,
    createContext: ({ req }: { req: IncomingMessage }) => createRequestContext(services, req),
    onError: ({ error, path: procedure, req }: { error: TRPCError; path?: string; req: IncomingMessage }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        services.logger.error('rest error', { requestId: requestIdOf(req), procedure, error: String(error.cause ?? error) })
    },
  } as unknown as Parameters<typeof createOpenApiNodeHttpHandler>[0])

  const rest = express.Router()
  rest.get('/api/openapi.json', (_req, res) => void res.json(openApiDocument(router)))
  rest.get('/api/docs', (_req, res) => void res.type('html').send(DOCS_PAGE))
  rest.get('/api/docs/init.js', (_req, res) => void res.type('js').send(DOCS_INIT))
  for (const file of DOCS_ASSETS) rest.get(`/api/docs/${file}`, (_req, res) => res.sendFile(path.join(swaggerUiDir(), file), { maxAge: '1h' }))
  const serve: express.RequestHandler = (req, res, next) => void handler(req, res, next)
  rest.use(REST_PREFIX, serve)
  // The seed's paths (/api/crm/customers, /api/admin/config/…) are the same routes without `/v1`.
  rest.use('/api', serve)
  return rest
}

// The API reference: Swagger UI from the swagger-ui-dist package, served by the app (no CDN), with
// our own initializer file so the page needs no inline script under the CSP.
const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const
const swaggerUiDir = () => path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pulse-8 API reference</title>
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`
// validatorUrl: null keeps the page from calling the public validator badge service.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#api-reference', validatorUrl: null, deepLinking: true, persistAuthorization: false })\n`
