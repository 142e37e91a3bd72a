/** Gets this device's push token, asking the person first; null when refused or not possible here. */
export interface PushRegistrar {
  readonly supported: boolean;
  register(): Promise<{ token: string; platform: 'ios' | 'android' | 'web' } | null>;
}
