/**
 * Request handlers of every framework in the registry, with `$STMT` where a statement of the
 * handler goes (indented by the shape). `async` says whether the handler can `await`; `keepAlive`
 * what the framework offers to keep work alive after the response.
 */
export interface PromiseHandlerShape {
  readonly name: string;
  readonly filename: string;
  readonly framework: string;
  readonly code: string;
  readonly async: boolean;
  readonly keepAlive?: { readonly call: (expression: string) => string; readonly api: string; readonly addImport?: string };
  /** A statement that sends `$VALUE` as (part of) the response, and how `no-missing-await` names it. */
  readonly sink?: { readonly statement: string; readonly messageId: 'response' | 'serialized' | 'returned'; readonly name: string };
  /** The framework awaits a returned promise, so a sync handler may be made async. */
  readonly awaitsReturn: boolean;
}

/** A helper every shape can call: it returns a promise. */
export const promiseHelpers = 'declare function notify(order: unknown): Promise<void>;\n';

export const promiseHandlerShapes: readonly PromiseHandlerShape[] = [
  {
    name: 'Express 5 app.post',
    filename: 'app.ts',
    framework: 'Express 5',
    code: "import express from 'express';\n\nconst app = express();\napp.post('/orders', (req, res) => {\n  $STMT\n  res.status(201).json(req.body);\n});\n",
    async: false,
    awaitsReturn: true,
    sink: { statement: 'res.json({ order: $VALUE });', messageId: 'response', name: 'res.json' },
  },
  {
    name: 'Express 5 Router, async',
    filename: 'routes.ts',
    framework: 'Express 5',
    code: "import { Router } from 'express';\n\nexport const router = Router();\nrouter.post('/orders', async (req, res) => {\n  $STMT\n  res.status(201).json(req.body);\n});\n",
    async: true,
    awaitsReturn: true,
    sink: { statement: 'res.status(201).json({ order: $VALUE });', messageId: 'response', name: 'res.json' },
  },
  {
    name: 'Express 5 middleware',
    filename: 'app.ts',
    framework: 'Express 5',
    code: "import express from 'express';\n\nconst app = express();\napp.use((req, res, next) => {\n  $STMT\n  next();\n});\n",
    async: false,
    awaitsReturn: true,
    sink: { statement: 'res.send($VALUE);', messageId: 'response', name: 'res.send' },
  },
  {
    name: 'Fastify route',
    filename: 'server.ts',
    framework: 'Fastify',
    code: "import Fastify from 'fastify';\n\nconst fastify = Fastify();\nfastify.post('/orders', async (request, reply) => {\n  $STMT\n  return reply.code(201).send(request.body);\n});\n",
    async: true,
    awaitsReturn: true,
    sink: { statement: 'reply.send({ order: $VALUE });', messageId: 'response', name: 'reply.send' },
  },
  {
    name: 'Fastify onResponse hook',
    filename: 'server.ts',
    framework: 'Fastify',
    code: "import Fastify from 'fastify';\n\nconst fastify = Fastify();\nfastify.addHook('onRequest', async (request) => {\n  $STMT\n  request.log.info('seen');\n});\n",
    async: true,
    awaitsReturn: true,
  },
  {
    name: 'Koa middleware',
    filename: 'app.ts',
    framework: 'Koa',
    code: "import Koa from 'koa';\n\nconst app = new Koa();\napp.use(async (ctx) => {\n  $STMT\n  ctx.status = 202;\n});\n",
    async: true,
    awaitsReturn: true,
    sink: { statement: 'ctx.body = { order: $VALUE };', messageId: 'response', name: 'ctx.body' },
  },
  {
    name: '@koa/router route',
    filename: 'routes.ts',
    framework: '@koa/router',
    code: "import Router from '@koa/router';\n\nexport const router = new Router();\nrouter.post('/orders', (ctx) => {\n  $STMT\n  ctx.status = 202;\n});\n",
    async: false,
    awaitsReturn: true,
    sink: { statement: 'ctx.response.body = $VALUE;', messageId: 'response', name: 'ctx.response.body' },
  },
  {
    name: 'Hono route',
    filename: 'app.ts',
    framework: 'Hono',
    code: "import { Hono } from 'hono';\n\nexport const app = new Hono();\napp.post('/orders', async (c) => {\n  $STMT\n  return c.json({ ok: true }, 201);\n});\n",
    async: true,
    keepAlive: { call: (expression) => `c.executionCtx.waitUntil(${expression})`, api: 'c.executionCtx.waitUntil' },
    awaitsReturn: true,
    sink: { statement: 'c.json({ order: $VALUE });', messageId: 'response', name: 'c.json' },
  },
  {
    name: 'Next.js App Router POST',
    filename: 'src/app/api/users/route.ts',
    framework: 'Next.js App Router',
    code: "export async function POST(request: Request) {\n  $STMT\n  return Response.json({ ok: true }, { status: 201 });\n}\n",
    async: true,
    keepAlive: { call: (expression) => `after(() => ${expression})`, api: 'after', addImport: "import { after } from 'next/server';\n" },
    awaitsReturn: true,
    sink: { statement: 'Response.json({ order: $VALUE });', messageId: 'serialized', name: 'Response.json' },
  },
  {
    name: 'Next.js pages API route',
    filename: 'pages/api/login.ts',
    framework: 'Next.js pages API',
    code: 'export default function handler(req: unknown, res: { json(body: unknown): void }) {\n  $STMT\n  res.json({ ok: true });\n}\n',
    async: false,
    keepAlive: { call: (expression) => `after(() => ${expression})`, api: 'after', addImport: "import { after } from 'next/server';\n" },
    awaitsReturn: true,
    sink: { statement: 'res.json({ order: $VALUE });', messageId: 'response', name: 'res.json' },
  },
  {
    name: 'NestJS controller method',
    filename: 'users.controller.ts',
    framework: 'NestJS',
    code: "import { Controller, Post } from '@nestjs/common';\n\n@Controller('orders')\nexport class OrdersController {\n  @Post()\n  async create() {\n    $STMT\n    return { ok: true };\n  }\n}\n",
    async: true,
    awaitsReturn: true,
  },
  {
    name: 'node:http createServer listener',
    filename: 'server.ts',
    framework: 'node:http',
    code: "import { createServer } from 'node:http';\n\nexport const server = createServer((req, res) => {\n  $STMT\n  res.end('ok');\n});\n",
    async: false,
    awaitsReturn: false,
    sink: { statement: 'res.write(JSON.stringify({ order: $VALUE }));', messageId: 'serialized', name: 'JSON.stringify' },
  },
  {
    name: 'AWS Lambda handler',
    filename: 'lambda.ts',
    framework: 'AWS Lambda',
    code: "import type { APIGatewayProxyHandler } from 'aws-lambda';\n\nexport const handler: APIGatewayProxyHandler = async (event) => {\n  $STMT\n  return { statusCode: 202, body: '' };\n};\n",
    async: true,
    awaitsReturn: true,
    sink: { statement: 'console.log(JSON.stringify({ order: $VALUE }));', messageId: 'serialized', name: 'JSON.stringify' },
  },
];
