import Constants from 'expo-constants';
import * as Device from 'expo-device';
import * as Notifications from 'expo-notifications';
import { Platform } from 'react-native';
import type { PushRegistrar } from './push';

/** Expo push tokens on a real phone (Expo Go or a build with an EAS project id). */
export function createSystemPush(): PushRegistrar {
  Notifications.setNotificationHandler({
    handleNotification: async () => ({ shouldShowBanner: true, shouldShowList: true, shouldPlaySound: false, shouldSetBadge: false }),
  });
  return {
    supported: Device.isDevice,
    async register() {
      if (!Device.isDevice) return null;
      if (Platform.OS === 'android') {
        await Notifications.setNotificationChannelAsync('default', { name: 'Submissions', importance: Notifications.AndroidImportance.DEFAULT });
      }
      let { status } = await Notifications.getPermissionsAsync();
      if (status !== 'granted') status = (await Notifications.requestPermissionsAsync()).status;
      if (status !== 'granted') return null;
      const projectId = (Constants.expoConfig?.extra as { eas?: { projectId?: string } } | undefined)?.eas?.projectId ?? Constants.easConfig?.projectId;
      const { data } = await Notifications.getExpoPushTokenAsync(projectId ? { projectId } : undefined);
      return { token: data, platform: Platform.OS === 'ios' ? 'ios' : 'android' };
    },
  };
}
