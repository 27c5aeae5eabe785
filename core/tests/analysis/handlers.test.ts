import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { findHandlers, functionName, type FunctionNode } from '../../src/analysis/index.js';
import { createProgram, parseFile } from '../support/program.js';

function handlerSummary(files: Record<string, string>, fileName: string, typed: boolean): string[] {
  const program = typed ? createProgram(files) : undefined;
  const file = program?.file(fileName) ?? parseFile(fileName, files[fileName] ?? '');
  const handlers = findHandlers(file, { checker: program?.program.getTypeChecker(), projectRoot: undefined });
  return [...handlers.entries()].map(([fn, info]) => `${describeFunction(fn)}:${info.framework.id}:${info.role}`).sort();
}

function describeFunction(fn: FunctionNode): string {
  const name = functionName(fn);
  return name === 'anonymous function' ? `line${String(fn.getSourceFile().getLineAndCharacterOfPosition(fn.getStart()).line + 1)}` : name;
}

interface Case {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly fileName: string;
  readonly expected: readonly string[];
}

const cases: readonly Case[] = ([

  [
    'express 4 app, router and route, inline and named',
    {
      'app.ts': [
        "import express from 'express';",
        'const app = express();',
        'const router = express.Router();',
        'function listUsers(req: express.Request, res: express.Response) { res.json([]); }',
        "app.get('/users', listUsers);",
        "router.post('/x', (req, res) => { res.end(); });",
        "app.route('/r').get(function routeHandler(req, res) { res.end(); });",
        'app.use([(req: express.Request, res: express.Response, next: express.NextFunction) => next()]);',
        "app.listen(3000, () => console.log('up'));",
      ].join('\n'),
    },
    'app.ts',
    ['line6:express4:handler', 'line8:express4:middleware', 'listUsers:express4:handler', 'routeHandler:express4:handler'],
  ],
  [
    'fastify shorthand, options object, route and hooks',
    {
      'server.ts': [
        "import Fastify from 'fastify';",
        'const fastify = Fastify();',
        "fastify.get('/a', async (request, reply) => reply.send('a'));",
        "fastify.post('/b', { preHandler: async function auth() {} }, async function create() { return {}; });",
        "fastify.route({ method: 'GET', url: '/c', handler: async function viaRoute() { return 1; } });",
        "fastify.addHook('onRequest', async function onRequestHook() {});",
        "fastify.addHook('onReady', async function bootHook() {});",
        'fastify.register(async function plugin(instance) { instance.get("/d", async function inPlugin() { return 2; }); });',
      ].join('\n'),
    },
    'server.ts',
    ['auth:fastify:handler', 'create:fastify:handler', 'inPlugin:fastify:handler', 'line3:fastify:handler', 'onRequestHook:fastify:hook', 'viaRoute:fastify:handler'],
  ],
  [
    'koa and @koa/router',
    {
      'app.ts': [
        "import Koa from 'koa';",
        "import Router from '@koa/router';",
        'const app = new Koa();',
        'const router = new Router();',
        "router.get('/x', async function show(ctx) { ctx.body = 1; });",
        'app.use(async function timing(ctx, next) { await next(); });',
        'app.use(router.routes());',
      ].join('\n'),
    },
    'app.ts',
    ['show:koa-router:handler', 'timing:koa:middleware'],
  ],
  [
    'hono',
    {
      'app.ts': [
        "import { Hono } from 'hono';",
        'const app = new Hono();',
        "app.get('/x', (c) => c.json({}));",
        "app.use('*', async function logger(c, next) { await next(); });",
        'app.onError(function onError(err, c) { return c.text("x", 500); });',
      ].join('\n'),
    },
    'app.ts',
    ['line3:hono:handler', 'logger:hono:middleware', 'onError:hono:error-handler'],
  ],
  [
    'node:http listeners',
    {
      'server.ts': [
        "import http from 'node:http';",
        "import { createServer } from 'http';",
        'const server = http.createServer(function listener(req, res) { res.end(); });',
        "server.on('request', function onRequest(req, res) { res.end(); });",
        "server.on('close', function onClose() {});",
        'createServer((req, res) => res.end());',
      ].join('\n'),
    },
    'server.ts',
    ['line6:node-http:handler', 'listener:node-http:handler', 'onRequest:node-http:handler'],
  ],
  [
    'next app router route file',
    {
      'app/api/users/route.ts': [
        'export async function GET(request: Request) { return Response.json([]); }',
        'export const POST = async (request: Request) => new Response(null, { status: 201 });',
        'export function helper() { return 1; }',
      ].join('\n'),
    },
    'app/api/users/route.ts',
    ['GET:next-app-router:handler', 'POST:next-app-router:handler'],
  ],
  [
    'next pages api default export',
    { 'pages/api/login.ts': 'export default function handler(req: unknown, res: { end(): void }) { res.end(); }\nexport function notAHandler() {}' },
    'pages/api/login.ts',
    ['handler:next-pages-api:handler'],
  ],
  [
    'nestjs controller, middleware and guard',
    {
      'users.controller.ts': [
        "import { Controller, Get, Post, Injectable, type NestMiddleware, type CanActivate } from '@nestjs/common';",
        "@Controller('users')",
        'export class UsersController {',
        '  @Get() list() { return []; }',
        '  @Post() async create() { return {}; }',
        '  helper() { return 1; }',
        '}',
        '@Injectable() export class Logger implements NestMiddleware { use(req: unknown, res: unknown, next: () => void) { next(); } }',
        '@Injectable() export class Guard implements CanActivate { canActivate() { return true; } }',
        'export class NotAController { @Get() list() { return []; } }',
      ].join('\n'),
    },
    'users.controller.ts',
    ['Guard.canActivate:nestjs:hook', 'Logger.use:nestjs:middleware', 'UsersController.create:nestjs:handler', 'UsersController.list:nestjs:handler'],
  ],
  [
    'aws lambda handler',
    { 'lambda.ts': "import type { APIGatewayProxyHandler } from 'aws-lambda';\nexport const handler: APIGatewayProxyHandler = async () => ({ statusCode: 200, body: '' });" },
    'lambda.ts',
    ['handler:aws-lambda:handler'],
  ],
  ['an exported handler without lambda types is not one', { 'util.ts': 'export function handler() { return 1; }' }, 'util.ts', []],
  [
    'a Map named app is not an express app',
    { 'cache.ts': "const app = new Map<string, () => void>();\napp.get('x');\nexport function use() { app.set('y', () => {}); }" },
    'cache.ts',
    [],
  ],
] as const satisfies readonly (readonly [string, Record<string, string>, string, readonly string[]])[]).map(([name, files, fileName, expected]) => ({
  name,
  files,
  fileName,
  expected: expected.slice().sort(),
}));

describe('handler detection', () => {
  it.each(cases)('$name (typed)', ({ files, fileName, expected }) => {
    expect(handlerSummary(files, fileName, true)).toEqual(expected);
  });

  it.each(cases)('$name (untyped)', ({ files, fileName, expected }) => {
    expect(handlerSummary(files, fileName, false)).toEqual(expected);
  });

  it('finds a handler passed by name from another file (typed)', () => {
    const files = {
      'controllers.ts': "import type { Request, Response } from 'express';\nexport function showUser(req: Request, res: Response) { res.json({}); }",
      'routes.ts': "import express from 'express';\nimport { showUser } from './controllers.js';\nconst app = express();\napp.get('/u/:id', showUser);",
    };
    const { program, file } = createProgram(files);
    const handlers = findHandlers(file('routes.ts'), { checker: program.getTypeChecker() });
    const [fn] = [...handlers.keys()];
    expect(fn?.getSourceFile().fileName).toMatch(/controllers\.ts$/);
    expect(fn !== undefined && ts.isFunctionDeclaration(fn) ? fn.name?.text : undefined).toBe('showUser');
  });
});
