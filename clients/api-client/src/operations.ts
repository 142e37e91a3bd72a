/**
 * Types of the API's operations, read from the OpenAPI document's generated `paths` (src/generated/schema.ts,
 * made by `npm run build`): the request body, the path and query parameters and the JSON of a 2xx answer.
 */
import type { paths } from './generated/schema';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that have an operation for `M`. */
export type PathOf<M extends Method> = { [P in keyof paths]: paths[P][M] extends undefined ? never : P }[keyof paths];

export type Operation<M extends Method, P extends PathOf<M>> = NonNullable<paths[P][M]>;

type Content<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type Success = 200 | 201 | 202 | 204;

/** The JSON body of the operation's 2xx answers. */
export type ResponseJson<M extends Method, P extends PathOf<M>> =
  Operation<M, P> extends { responses: infer R } ? { [S in keyof R & Success]: R[S] extends { content: object } ? Content<R[S]> : undefined }[keyof R & Success] : never;

/** The JSON request body of the operation (never when it takes none). */
export type RequestJson<M extends Method, P extends PathOf<M>> = Operation<M, P> extends { requestBody?: infer B } ? Content<NonNullable<B>> : never;

type Params<M extends Method, P extends PathOf<M>, Where extends 'path' | 'query'> = Operation<M, P> extends { parameters: { [K in Where]?: infer Q } } ? Q : never;

export type PathParams<M extends Method, P extends PathOf<M>> = Params<M, P, 'path'>;
export type QueryParams<M extends Method, P extends PathOf<M>> = Params<M, P, 'query'>;

/** What a typed call takes: the parameters and body the operation declares, and nothing it does not. */
export type CallOptions<M extends Method, P extends PathOf<M>> = (PathParams<M, P> extends Record<string, unknown> ? { params: PathParams<M, P> } : { params?: never }) &
  (QueryParams<M, P> extends Record<string, unknown> ? { query?: QueryParams<M, P> } : { query?: never }) &
  ([RequestJson<M, P>] extends [never] ? { body?: never } : { body: RequestJson<M, P> }) & {
    /** Send the access token (refreshing it when needed). Default true. */
    auth?: boolean;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  };

/** `/api/submissions/{id}` with `{id}` filled in (encoded), plus the query string of the defined values. */
export function buildPath(template: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null) search.append(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
