import { METHODS } from 'node:http';

/** Every method Node's HTTP parser accepts, lower-cased: what Express and @koa/router turn into `app.<method>()`. */
export const nodeHttpMethods: readonly string[] = METHODS.map((method) => method.toLowerCase());

/** The method exports Next.js App Router reads from a `route.ts` file. */
export const nextRouteMethodExports: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** The route methods Fastify exposes as shorthands (`fastify.get`). */
export const fastifyShorthandMethods: readonly string[] = ['get', 'head', 'post', 'put', 'delete', 'options', 'patch', 'all'];

/** The route methods Hono exposes as shorthands (`app.get`). */
export const honoShorthandMethods: readonly string[] = ['get', 'post', 'put', 'delete', 'options', 'patch', 'all'];
