// Components read nothing from native modules directly (they use the app's interfaces), so no native mocks here.
export {};
