"use client";
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { usePathname, useRouter } from "next/navigation";
import { api, ApiError, messageOf, type Me, type Workspace } from "@/components/api/client";

type SessionState = { me: Me | null; workspaces: Workspace[] | null; error: string | null; refresh: () => Promise<void> };

const SessionContext = createContext<SessionState>({ me: null, workspaces: null, error: null, refresh: async () => {} });

export const useSession = () => useContext(SessionContext);

/** Loads who is signed in; a 401 sends the visitor to /sign-in and back here afterwards. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [me, setMe] = useState<Me | null>(null);
  const [workspaces, setWorkspaces] = useState<Workspace[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      const [nextMe, nextWorkspaces] = await Promise.all([api.me(), api.workspaces()]);
      setMe(nextMe);
      setWorkspaces(nextWorkspaces);
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) router.replace(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
      else setError(messageOf(e));
    }
  }, [router]);
  useEffect(() => {
    void refresh();
  }, [refresh, pathname]);
  return <SessionContext.Provider value={{ me, workspaces, error, refresh }}>{children}</SessionContext.Provider>;
}
