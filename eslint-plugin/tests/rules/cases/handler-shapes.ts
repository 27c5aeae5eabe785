/**
 * Real-world places a blocking call runs while serving requests, one per framework registration
 * shape, with `$CALL` where the call goes. `async` says whether an `await` could be added there.
 */
export interface HandlerShape {
  readonly name: string;
  readonly filename: string;
  readonly imports: string;
  readonly body: string;
  readonly async: boolean;
}

export const handlerShapes: readonly HandlerShape[] = [
  {
    name: 'Express app.get',
    filename: 'app.ts',
    imports: "import express from 'express';",
    body: "const app = express();\napp.get('/users', (req, res) => {\n  const data = $CALL;\n  res.json(data);\n});",
    async: false,
  },
  {
    name: 'Express Router.post, async',
    filename: 'routes.ts',
    imports: "import { Router } from 'express';",
    body: "export const router = Router();\nrouter.post('/users', async (req, res) => {\n  res.status(201).json({ saved: $CALL });\n});",
    async: true,
  },
  {
    name: 'Express route().put',
    filename: 'app.ts',
    imports: "import express from 'express';",
    body: "const app = express();\napp.route('/users/:id').put(function updateUser(req, res) {\n  res.send($CALL);\n});",
    async: false,
  },
  {
    name: 'Express middleware',
    filename: 'app.ts',
    imports: "import express from 'express';",
    body: 'const app = express();\napp.use((req, res, next) => {\n  $CALL;\n  next();\n});',
    async: false,
  },
  {
    name: 'Fastify shorthand route',
    filename: 'server.ts',
    imports: "import Fastify from 'fastify';",
    body: "const fastify = Fastify();\nfastify.get('/report', async (request, reply) => {\n  return reply.send($CALL);\n});",
    async: true,
  },
  {
    name: 'Fastify route({ handler })',
    filename: 'server.ts',
    imports: "import Fastify from 'fastify';",
    body: "const fastify = Fastify();\nfastify.route({\n  method: 'GET',\n  url: '/x',\n  handler(request, reply) {\n    reply.send($CALL);\n  },\n});",
    async: false,
  },
  {
    name: 'Fastify preHandler hook',
    filename: 'server.ts',
    imports: "import Fastify from 'fastify';",
    body: "const fastify = Fastify();\nfastify.addHook('preHandler', async (request) => {\n  request.log.info($CALL);\n});",
    async: true,
  },
  {
    name: 'Koa middleware',
    filename: 'app.ts',
    imports: "import Koa from 'koa';",
    body: 'const app = new Koa();\napp.use(async (ctx, next) => {\n  ctx.body = $CALL;\n  await next();\n});',
    async: true,
  },
  {
    name: '@koa/router route',
    filename: 'routes.ts',
    imports: "import Router from '@koa/router';",
    body: "export const router = new Router();\nrouter.get('/notes', (ctx) => {\n  ctx.body = $CALL;\n});",
    async: false,
  },
  {
    name: 'Hono route',
    filename: 'app.ts',
    imports: "import { Hono } from 'hono';",
    body: "export const app = new Hono();\napp.get('/products', (c) => {\n  return c.json({ data: $CALL });\n});",
    async: false,
  },
  {
    name: 'Hono middleware',
    filename: 'app.ts',
    imports: "import { Hono } from 'hono';",
    body: "export const app = new Hono();\napp.use('*', async (c, next) => {\n  c.header('x-data', String($CALL));\n  await next();\n});",
    async: true,
  },
  {
    name: 'node:http createServer listener',
    filename: 'server.ts',
    imports: "import { createServer } from 'node:http';",
    body: 'export const server = createServer((req, res) => {\n  res.end($CALL);\n});',
    async: false,
  },
  {
    name: "node:http server.on('request')",
    filename: 'server.ts',
    imports: "import http from 'node:http';",
    body: "export const server = http.createServer();\nserver.on('request', function onRequest(req, res) {\n  res.end(String($CALL));\n});",
    async: false,
  },
  {
    name: 'Next.js App Router GET',
    filename: 'src/app/api/users/route.ts',
    imports: '',
    body: 'export async function GET(request: Request) {\n  return Response.json({ users: $CALL });\n}',
    async: true,
  },
  {
    name: 'Next.js pages API route',
    filename: 'pages/api/login.ts',
    imports: '',
    body: 'export default function handler(req: unknown, res: { json(body: unknown): void }) {\n  res.json({ ok: $CALL });\n}',
    async: false,
  },
  {
    name: 'NestJS controller method',
    filename: 'users.controller.ts',
    imports: "import { Controller, Get } from '@nestjs/common';",
    body: "@Controller('users')\nexport class UsersController {\n  @Get()\n  list() {\n    return $CALL;\n  }\n}",
    async: false,
  },
  {
    name: 'NestJS middleware',
    filename: 'users.controller.ts',
    imports: "import { Injectable, type NestMiddleware } from '@nestjs/common';",
    body: '@Injectable()\nexport class AuditMiddleware implements NestMiddleware {\n  use(req: unknown, res: unknown, next: () => void) {\n    void $CALL;\n    next();\n  }\n}',
    async: false,
  },
  {
    name: 'AWS Lambda handler',
    filename: 'lambda.ts',
    imports: "import type { APIGatewayProxyHandler } from 'aws-lambda';",
    body: "export const handler: APIGatewayProxyHandler = async () => {\n  return { statusCode: 200, body: String($CALL) };\n};",
    async: true,
  },
  {
    name: 'plain async function',
    filename: 'file.ts',
    imports: '',
    body: 'export async function loadReport() {\n  const report = $CALL;\n  return report;\n}',
    async: true,
  },
  {
    name: 'async class method',
    filename: 'file.ts',
    imports: '',
    body: 'export class ReportService {\n  async build() {\n    return $CALL;\n  }\n}',
    async: true,
  },
  {
    name: 'callback nested in an async function',
    filename: 'file.ts',
    imports: '',
    body: "export async function all(names: string[]) {\n  return names.map((name) => name + String($CALL));\n}",
    async: false,
  },
];

/** Blocking calls in the import forms users write, with the catalog id each resolves to. */
export interface CallForm {
  readonly name: string;
  readonly imports: string;
  readonly call: string;
  readonly id: string;
  /** What the suggestion writes, spelled out by hand: the call's replacement and the imports it adds (ESM, or CommonJS in files without imports). */
  readonly suggestion: { readonly replacement: string; readonly esm: readonly string[]; readonly cjs: readonly string[] };
}

const readFileImport = "import { readFile } from 'node:fs/promises';";
const promisifyImport = "import { promisify } from 'node:util';";

export const callForms: readonly CallForm[] = [
  {
    name: 'named import',
    imports: "import { readFileSync } from 'node:fs';",
    call: "readFileSync('data.json', 'utf8')",
    id: 'node:fs:readFileSync',
    suggestion: { replacement: "await readFile('data.json', 'utf8')", esm: [readFileImport], cjs: [] },
  },
  {
    name: 'aliased import',
    imports: "import { readFileSync as read } from 'fs';",
    call: "read('data.json', 'utf8')",
    id: 'node:fs:readFileSync',
    suggestion: { replacement: "await readFile('data.json', 'utf8')", esm: [readFileImport], cjs: [] },
  },
  {
    name: 'namespace import',
    imports: "import * as fs from 'node:fs';",
    call: "fs.existsSync('data.json')",
    id: 'node:fs:existsSync',
    suggestion: {
      replacement: "await access('data.json').then(() => true, () => false)",
      esm: ["import { access } from 'node:fs/promises';"],
      cjs: [],
    },
  },
  {
    name: 'default import',
    imports: "import crypto from 'node:crypto';",
    call: "crypto.pbkdf2Sync('pw', 'salt', 1000, 32, 'sha256')",
    id: 'node:crypto:pbkdf2Sync',
    suggestion: { replacement: "await promisify(crypto.pbkdf2)('pw', 'salt', 1000, 32, 'sha256')", esm: [promisifyImport], cjs: [] },
  },
  {
    name: 'require destructuring',
    imports: "const { execSync } = require('node:child_process');",
    call: "execSync('git rev-parse HEAD')",
    id: 'node:child_process:execSync',
    suggestion: {
      replacement: "(await promisify(exec)('git rev-parse HEAD', { encoding: 'buffer' })).stdout",
      esm: ["import { exec } from 'node:child_process';", promisifyImport],
      cjs: ["const { exec } = require('node:child_process');", "const { promisify } = require('node:util');"],
    },
  },
  {
    name: 'namespace .default',
    imports: "import * as zlib from 'zlib';",
    call: "zlib.default.gzipSync('payload')",
    id: 'node:zlib:gzipSync',
    suggestion: { replacement: "await promisify(zlib.gzip)('payload')", esm: [promisifyImport], cjs: [] },
  },
  {
    name: 'package import',
    imports: "import bcrypt from 'bcryptjs';",
    call: "bcrypt.hashSync('pw', 10)",
    id: 'bcryptjs:hashSync',
    suggestion: { replacement: "await bcrypt.hash('pw', 10)", esm: [], cjs: [] },
  },
];

/** Places the call in the shape: the code, the call's position (1-based), and the file after the suggestion. */
export function compose(
  shape: HandlerShape,
  form: CallForm,
): { code: string; line: number; column: number; endColumn: number; suggested: string } {
  const imports = [shape.imports, form.imports].filter((line) => line !== '').join('\n');
  const template = `${imports}\n${shape.body}\n`;
  const index = template.indexOf('$CALL');
  const before = template.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  const rewritten = template.replace('$CALL', form.suggestion.replacement);
  const lines = rewritten.split('\n');
  const lastImport = lines.map((text) => text.startsWith('import ')).lastIndexOf(true);
  const lastRequire = lines.map((text) => /^const .* = require\(/.test(text)).lastIndexOf(true);
  // New imports go after the last import; a CommonJS file gets `require`s after its last one (or at the top).
  const suggested =
    lastImport === -1
      ? [...lines.slice(0, lastRequire + 1), ...form.suggestion.cjs, ...lines.slice(lastRequire + 1)].join('\n')
      : [...lines.slice(0, lastImport + 1), ...form.suggestion.esm, ...lines.slice(lastImport + 1)].join('\n');
  return { code: template.replace('$CALL', form.call), line, column, endColumn: column + form.call.length, suggested };
}
