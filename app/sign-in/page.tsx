import type { Metadata } from "next";
import { Suspense } from "react";
import { SignIn } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  // The form reads ?next= from the address, which is only known in the browser for a static page.
  return (
    <Suspense>
      <SignIn />
    </Suspense>
  );
}
