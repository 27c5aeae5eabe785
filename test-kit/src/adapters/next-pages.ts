import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Target } from '../core/dispatch.js';
import { fromListener } from './node-server.js';

/** What Next.js adds to `req` and `res` for a pages API route. */
export interface NextApiRequestLike extends IncomingMessage {
  query: Record<string, string | string[]>;
  body: unknown;
  cookies: Record<string, string>;
}

export interface NextApiResponseLike extends ServerResponse {
  status(code: number): NextApiResponseLike;
  json(body: unknown): void;
  send(body: unknown): void;
  redirect(statusOrUrl: number | string, url?: string): NextApiResponseLike;
}

/** A pages API handler: `export default function handler(req, res)`. */
export type PagesApiHandler = (req: NextApiRequestLike, res: NextApiResponseLike) => unknown;

/** Raised for a body Next's parser rejects; answered 400 as Next does. */
class InvalidBodyError extends Error {
  override name = 'InvalidBodyError';
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    // Next gives `{}` for an empty JSON body and answers 400 "Invalid JSON" for a malformed one.
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new InvalidBodyError('Invalid JSON');
    }
  }
  if (text === '') return undefined;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

/**
 * A Next.js pages API route, with the helpers Next's API resolver gives it: `req.query` (also the
 * route's dynamic segments when `route` is given), parsed `req.body`, `req.cookies`, and
 * `res.status()/json()/send()/redirect()`. A thrown error or rejected promise answers 500, as Next does.
 */
export function fromPagesApi(handler: PagesApiHandler, route: string | undefined, matchRoute: (pattern: string, path: string) => Record<string, string | string[]> | undefined): Target {
  return fromListener((rawReq, rawRes) => {
    const req = rawReq as NextApiRequestLike;
    const res = rawRes as NextApiResponseLike;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const previous = query[name];
      query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    Object.assign(query, route === undefined ? {} : (matchRoute(route, url.pathname) ?? {}));
    req.query = query;
    req.cookies = Object.fromEntries(
      (req.headers.cookie ?? '')
        .split(';')
        .map((pair) => pair.trim().split('='))
        .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== ''),
    );
    res.status = (code) => {
      res.statusCode = code;
      return res;
    };
    res.json = (body) => {
      if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    };
    res.send = (body) => {
      if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body)) {
        res.json(body);
        return;
      }
      res.end(body as string | Buffer);
    };
    res.redirect = (statusOrUrl, target) => {
      res.statusCode = typeof statusOrUrl === 'number' ? statusOrUrl : 307;
      res.setHeader('location', typeof statusOrUrl === 'number' ? (target ?? '/') : statusOrUrl);
      res.end();
      return res;
    };
    // Next answers an exception with a bare 500 (the error goes to its logs, not the client).
    const fail = (error: unknown): void => {
      if (res.headersSent) {
        res.end();
        return;
      }
      const invalid = error instanceof InvalidBodyError;
      res.statusCode = invalid ? 400 : 500;
      res.end(invalid ? error.message : 'Internal Server Error');
    };
    readBody(req)
      .then(async (body) => {
        req.body = body;
        await handler(req, res);
      })
      .catch(fail);
  });
}
