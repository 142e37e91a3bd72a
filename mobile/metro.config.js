// Expo's defaults, plus `wasm` as an asset: expo-sqlite's web worker ships its SQLite build as a .wasm file.
const { getDefaultConfig } = require('expo/metro-config');

const config = getDefaultConfig(__dirname);
config.resolver.assetExts.push('wasm');

module.exports = config;
