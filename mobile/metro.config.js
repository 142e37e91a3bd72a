// Expo's defaults, plus `wasm` as an asset: expo-sqlite's web worker ships its SQLite build as a .wasm file.
// @voyce/api-client is a file: dependency (a symlink to ../clients/api-client): Metro watches its folder and
// resolves what its built files import (Babel's helpers) from this app's node_modules.
const path = require('path');
const { getDefaultConfig } = require('expo/metro-config');

const config = getDefaultConfig(__dirname);
config.resolver.assetExts.push('wasm');
config.watchFolders = [...(config.watchFolders ?? []), path.resolve(__dirname, '../clients/api-client')];
config.resolver.nodeModulesPaths = [path.resolve(__dirname, 'node_modules')];

module.exports = config;
