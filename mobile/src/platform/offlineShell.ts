/** Phones have the app installed: nothing to cache. */
export function registerOfflineShell(): void {}
