import { StatusBar } from 'expo-status-bar';
import { useEffect, useState } from 'react';
import { AppRoot } from './AppRoot';
import { createAppDeps, startAppDeps } from './appDeps';
import { registerOfflineShell } from './platform/offlineShell';

/** The app entry: real dependencies, started once. */
export function App() {
  const [deps] = useState(createAppDeps);
  useEffect(() => {
    void startAppDeps(deps);
    registerOfflineShell();
  }, [deps]);
  return (
    <>
      <StatusBar style="dark" />
      <AppRoot deps={deps} />
    </>
  );
}
