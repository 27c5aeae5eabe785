import { loadTemplate } from './templates.js';

export async function GET(): Promise<Response> {
  return new Response(loadTemplate('home'), { headers: { 'content-type': 'text/html' } });
}
