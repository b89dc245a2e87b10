import { redirect } from "next/navigation";

/** The original app listed recordings here; keep old bookmarks working. */
export default function ListAudioPage() {
  redirect("/recordings");
}
