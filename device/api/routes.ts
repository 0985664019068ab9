/** The §5 routes: method + path → handler. Handlers return a reply; errors are thrown as coded errors. */
import { ApiError } from './errors.ts';
import { gradeBodySchema, gradeIdSchema, gradesQuerySchema, parseOrThrow } from './schemas.ts';
import type { ApiServices } from './types.ts';

export type Reply = { status: number; json: unknown } | { status: number; body: Buffer; contentType: string; cacheControl?: string };

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  readBody: () => Promise<string>;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle: (request: RouteRequest, params: string[]) => Promise<Reply> | Reply;
}

function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) {
    if (key in out) throw new ApiError(400, 'BAD_REQUEST', `query.${key}: given more than once`);
    out[key] = value;
  }
  return out;
}

export function apiRoutes(services: ApiServices): Route[] {
  const gradeId = (raw: string) => parseOrThrow(gradeIdSchema, decodeURIComponent(raw), 'id');
  return [
    { method: 'GET', pattern: /^\/api\/health$/, handle: () => ({ status: 200, json: services.health() }) },
    {
      method: 'POST',
      pattern: /^\/api\/grade$/,
      handle: async (request) => {
        const text = (await request.readBody()).trim();
        let body: unknown = {};
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            throw new ApiError(400, 'BAD_REQUEST', 'body: expected empty or a JSON object');
          }
        }
        parseOrThrow(gradeBodySchema, body, 'body');
        const result = await services.grade();
        return result.ok ? { status: 201, json: { record: result.record } } : { status: 422, json: { error: result.error } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/grades$/,
      handle: (request) => ({ status: 200, json: { grades: services.listGrades(parseOrThrow(gradesQuerySchema, queryObject(request.query), 'query')) } }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/grades\/([^/]+)$/,
      handle: (_request, [id]) => {
        const record = services.getGrade(gradeId(id));
        if (!record) throw new ApiError(404, 'GRADE_NOT_FOUND', `no grade with id ${id}`);
        return { status: 200, json: { record } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/grades\/([^/]+)\/thumbnail$/,
      handle: (_request, [id]) => {
        const thumbnail = services.thumbnail(gradeId(id));
        if (!thumbnail) throw new ApiError(404, 'THUMBNAIL_NOT_FOUND', `no thumbnail for grade ${id} (unknown id, or removed by retention)`);
        return { status: 200, body: thumbnail, contentType: 'image/jpeg', cacheControl: 'private, max-age=31536000, immutable' };
      },
    },
    { method: 'GET', pattern: /^\/api\/preview$/, handle: async () => ({ status: 200, body: await services.preview(), contentType: 'image/jpeg', cacheControl: 'no-store' }) },
  ];
}

/** Finds the route; a known path with the wrong method is 405, an unknown /api path 404. */
export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (route.method === method) return { route, params: match.slice(1) };
  }
  if (pathMatched) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
  return undefined;
}
