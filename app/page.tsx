import { Transcriber } from "@/components/transcriber/transcriber";

export default function HomePage() {
  return <Transcriber />;
}
