import { stopAllQueues } from './src/testing/fakes';

// Safe-area insets come from the native side; the library ships this mock for tests (fixed zero insets).
jest.mock('react-native-safe-area-context', () => jest.requireActual('react-native-safe-area-context/jest/mock').default);

// The app's own code reaches native modules only through its interfaces (Recorder, QueueStore, Connectivity,
// PushRegistrar, KeyValue), which the tests replace with fakes: no other native mocks here.
afterEach(() => stopAllQueues());
