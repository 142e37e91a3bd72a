import { makeRedirectUri } from 'expo-auth-session';
import * as Crypto from 'expo-crypto';
import * as WebBrowser from 'expo-web-browser';
import { Platform } from 'react-native';
import { bytesToBase64Url, toBase64Url, type OauthBrowser } from './oauthBrowser';

/**
 * expo-auth-session's redirect address (`voyce://oauth`, or Expo Go's `exp://` one) and expo-web-browser's
 * auth session, with a PKCE pair from expo-crypto. Not on the web build, whose pages are not an app a
 * redirect can reach (the web app signs in with its own flow).
 */
export function createExpoOauthBrowser(): OauthBrowser {
  return {
    supported: Platform.OS !== 'web',
    redirectUri: () => makeRedirectUri({ scheme: 'voyce', path: 'oauth' }),
    async open(url, redirectUri) {
      const result = await WebBrowser.openAuthSessionAsync(url, redirectUri);
      return result.type === 'success' ? result.url : null;
    },
    async pkce() {
      const verifier = bytesToBase64Url(Crypto.getRandomBytes(32));
      const digest = await Crypto.digestStringAsync(Crypto.CryptoDigestAlgorithm.SHA256, verifier, { encoding: Crypto.CryptoEncoding.BASE64 });
      return { verifier, challenge: toBase64Url(digest) };
    },
    randomState: () => bytesToBase64Url(Crypto.getRandomBytes(16)),
  };
}
