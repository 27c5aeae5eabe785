// A user's request handler with a blocking call: the packed plugin and CLI must both report it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export const server = createServer((request, response) => {
  response.end(readFileSync('index.html'));
});
