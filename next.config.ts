import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: [
    "onnxruntime-node",
    "onnx-proto",
    "@ffmpeg-installer/ffmpeg",
    "busboy",
    "azurite",
    "@azure/storage-blob",
    "@azure/data-tables",
    "@azure/identity",
    "microsoft-cognitiveservices-speech-sdk",
  ],
  // Static files get their type from an old MIME table (application/javascript); serve the
  // microphone's AudioWorklet module with the type browsers expect of module scripts.
  headers: async () => [
    {
      source: "/live-capture-worklet.js",
      headers: [{ key: "Content-Type", value: "text/javascript; charset=utf-8" }],
    },
  ],
};

export default nextConfig;
