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
};

export default nextConfig;
