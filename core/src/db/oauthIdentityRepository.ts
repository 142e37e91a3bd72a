import type { Db } from './knex';

/** Which user an OpenID Connect identity (provider, subject) signs in as. */
export function createOauthIdentityRepository(db: Db) {
  return {
    async findUserId(provider: string, subject: string): Promise<string | null> {
      const row = await db('oauth_identities').where({ provider, subject }).first<{ user_id: string } | undefined>('user_id');
      return row?.user_id ?? null;
    },
    /** Links the identity to a user; a concurrent link of the same identity keeps the first. */
    async link(provider: string, subject: string, userId: string, email: string | null): Promise<void> {
      await db('oauth_identities').insert({ provider, subject, user_id: userId, email }).onConflict(['provider', 'subject']).ignore();
    },
  };
}

export type OauthIdentityRepository = ReturnType<typeof createOauthIdentityRepository>;
