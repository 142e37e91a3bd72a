/** The API's shapes the apps share, read from the generated OpenAPI types (never written by hand). */
import type { ResponseJson } from './operations';

export type User = ResponseJson<'get', '/api/auth/me'>['user'];
export type Role = User['role'];
export type SignedIn = ResponseJson<'post', '/api/auth/login'>;
export type Tokens = Pick<SignedIn, 'accessToken' | 'refreshToken'>;
export type PublicConfig = ResponseJson<'get', '/api/config'>;
